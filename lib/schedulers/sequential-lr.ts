/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.SequentialLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { InvalidArgumentError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import { asOptimizer, type OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { encodeFloat } from '../state/encoding';
import { INTEGER, WRITTEN_LR } from '../state/rules';
import { encodeFloatList, type SchedulerState, type StateReader } from '../state/state-reader';
import {
  bisectRight,
  checkChildren,
  copyLrs,
  isComposite,
  notImplementedGetLr,
  positionalArgumentsError,
  prepareChildrenLoad,
  type CompositeScheduler,
} from './composite';

export interface SequentialLROptions {
  /** The schedulers to run one after the other, all on this optimizer (no ReduceLROnPlateau). */
  schedulers: readonly LRScheduler[];
  /** The epochs at which the next scheduler takes over: one fewer than `schedulers`. */
  milestones: readonly number[];
  /** Index of the last epoch when resuming (`lastEpoch` starts at `lastEpoch + 1`). @default -1 */
  lastEpoch?: number;
}

/**
 * Runs a list of schedulers one after the other, switching to the next one at each milestone.
 *
 * At construction every group's lr goes back to its `initial_lr`, the initial step of every child
 * is undone (`lastEpoch -= 1`, recursively into nested SequentialLR / ChainedScheduler), and the
 * child active at epoch 0 makes its initial step again. `step()` then advances `lastEpoch`, finds
 * the active child with `bisect_right(milestones, lastEpoch)`, and either steps it (`step()`), or,
 * on the milestone itself, restarts it at epoch 0 (PyTorch's `_update_lr(0)`: the closed form where
 * the class has one, computed from its `baseLrs`).
 *
 * @example
 * const constant = new ConstantLR(optimizer, { factor: 0.1, totalIters: 2 }); // initial lr 1
 * const exponential = new ExponentialLR(optimizer, { gamma: 0.9 });
 * const scheduler = new SequentialLR(optimizer, { schedulers: [constant, exponential], milestones: [2] });
 * // lr at epochs 0, 1, 2, 3, 4: 0.1, 0.1, 1, 0.9, 0.81
 *
 * `step()` takes no epoch: `step(epoch)` throws a TypeError-typed error, as Python does. `getLr()`
 * throws a NotImplementedError-typed error (PyTorch's SequentialLR has no `get_lr`), which is also
 * what a nested SequentialLR / ChainedScheduler raises when it is reached at a milestone.
 *
 * Differs from PyTorch: `step(undefined)` is `step()` (Python's `step(None)` raises a TypeError).
 */
export class SequentialLR extends LRScheduler implements CompositeScheduler {
  static override readonly className = 'SequentialLR';
  /** PyTorch's `_schedulers`. */
  readonly schedulers: readonly LRScheduler[];
  /** PyTorch's `_milestones`. */
  milestones: number[];
  /** Whether a parent SequentialLR re-ran this scheduler's initial step (PyTorch then stores `_step_count`). */
  private initialStepRun = false;

  constructor(optimizer: OptimizerLike, options: SequentialLROptions) {
    const usage = '{ schedulers: [warmup, decay], milestones: [5] }';
    const check = new OptionChecker('SequentialLR', options, usage, 'schedulers').known(['schedulers', 'milestones', 'lastEpoch']);
    const view = asOptimizer(optimizer);
    const schedulers = checkChildren('SequentialLR', options.schedulers, view, 'SequentialLR expects at least one scheduler, but got no scheduler.');
    const rawMilestones = options.milestones as unknown;
    const milestones = Array.isArray(rawMilestones)
      ? rawMilestones.map((milestone: unknown, i: number) => check.number(`milestones[${i}]`, milestone, undefined))
      : check.fail('milestones', 'a list of numbers', rawMilestones, 'TypeError');
    if (milestones.length !== schedulers.length - 1) {
      throw new InvalidArgumentError(
        'SequentialLR: Sequential Schedulers expects number of schedulers provided to be one more than the number of ' +
          `milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be ` +
          `equal to ${milestones.length}`,
      );
    }
    const lastEpoch = check.lastEpoch(options.lastEpoch);
    view.paramGroups.forEach((group, i) => {
      if (typeof group.initial_lr !== 'number') {
        throw new InvalidArgumentError(`SequentialLR: param 'initial_lr' is not specified in paramGroups[${i}]`, 'KeyError');
      }
    });
    super(view, -1, false);
    this.schedulers = schedulers;
    this.milestones = milestones;
    this.lastEpoch = lastEpoch + 1;

    // Reset learning rates back to initial values.
    for (const group of this.optimizer.paramGroups) group.lr = group.initial_lr as number;
    // "Undo" the step performed by other schedulers.
    this.recursiveUndo(this);
    // Perform the initial step for only the scheduler meant to run at step 0.
    const active = this.schedulers[bisectRight(this.milestones, 0)];
    active.runInitialStep();
    this.lastLrs = active.getLastLr();
  }

  /** PyTorch's `recursive_undo`: `lastEpoch -= 1` on every leaf scheduler, recursing into composites. */
  private recursiveUndo(scheduler: LRScheduler): void {
    if (isComposite(scheduler)) {
      for (const child of scheduler.schedulers) this.recursiveUndo(child);
    } else {
      scheduler.lastEpoch -= 1;
    }
  }

  /** Advances one epoch: steps the active child, or restarts the next one at its milestone. */
  override step(epoch?: never): void {
    // Python's step(self) takes no epoch: step(epoch) raises a TypeError (step(undefined) is step()).
    if (epoch !== undefined) throw positionalArgumentsError('SequentialLR');
    this.lastEpoch += 1;
    const index = bisectRight(this.milestones, this.lastEpoch);
    const scheduler = this.schedulers[index];
    if (index > 0 && this.milestones[index - 1] === this.lastEpoch) scheduler.updateLrAt(0);
    else scheduler.step();
    const lastLrs = scheduler.lastLrsView();
    this.lastLrs = lastLrs === null ? scheduler.getLastLr() : copyLrs(this.lastLrs, lastLrs);
  }

  protected override initialStep(): void {
    this.initialStepRun = true;
    super.initialStep();
  }

  override getLr(): readonly number[] {
    throw notImplementedGetLr('SequentialLR');
  }

  protected override writeState(state: SchedulerState): void {
    state._schedulers = this.schedulers.map((scheduler) => scheduler.stateDict());
    state._milestones = encodeFloatList(this.milestones);
    state.last_epoch = encodeFloat(this.lastEpoch);
    if (this.lastLrs !== null) state._last_lr = encodeFloatList(this.lastLrs);
    if (this.initialStepRun) state._step_count = this.stepCount;
  }

  /** Validates this scheduler's keys and every child's state before anything is applied. */
  protected override readState(reader: StateReader): () => void {
    const groupCount = this.optimizer.paramGroups.length;
    const lastLrs = reader.has('_last_lr') ? reader.numberList('_last_lr', groupCount, WRITTEN_LR) : this.lastLrs;
    const milestones = reader.numberList('_milestones', this.schedulers.length - 1);
    const lastEpoch = reader.number('last_epoch', INTEGER);
    const stepCount = reader.optional('_step_count', 'an integer', (raw) => (Number.isInteger(raw) ? (raw as number) : undefined), this.stepCount);
    const applyChildren = prepareChildrenLoad(reader, this.schedulers);
    return () => {
      this.lastLrs = lastLrs === null ? null : lastLrs.slice();
      this.milestones = milestones;
      this.lastEpoch = lastEpoch;
      this.stepCount = stepCount;
      applyChildren();
    };
  }
}
