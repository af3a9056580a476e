/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.ChainedScheduler` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { InvalidArgumentError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import { asOptimizer, type OptimizerLike, type OptimizerView } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { WRITTEN_LR } from '../state/rules';
import { encodeFloatList, type SchedulerState, type StateReader } from '../state/state-reader';
import { checkChildren, notImplementedGetLr, positionalArgumentsError, prepareChildrenLoad, type CompositeScheduler } from './composite';

export interface ChainedSchedulerOptions {
  /** The schedulers to step together, in order, all on one optimizer (no ReduceLROnPlateau). */
  schedulers: readonly LRScheduler[];
  /** The optimizer (PyTorch's optional keyword); the first scheduler's when absent. @default undefined */
  optimizer?: OptimizerLike | null;
}

/**
 * Chains schedulers: one `step()` steps every one of them, in order, so their chainable forms
 * multiply (each child computes from the lr the previous one just wrote).
 *
 * `getLastLr()` is the groups' lrs after the last child stepped. The constructor makes no step.
 *
 * @example
 * const constant = new ConstantLR(optimizer, { factor: 0.1, totalIters: 2 }); // initial lr 1
 * const exponential = new ExponentialLR(optimizer, { gamma: 0.9 });
 * const scheduler = new ChainedScheduler(null, { schedulers: [constant, exponential] });
 * // lr at epochs 0, 1, 2, 3: 0.1, 0.09000000000000001, 0.8100000000000002, 0.7290000000000002
 * // (ConstantLR: x0.1 until epoch 2, where it multiplies by 10; ExponentialLR: x0.9 every epoch)
 *
 * PyTorch's argument order works too: `new ChainedScheduler([constant, exponential])`, or
 * `new ChainedScheduler(schedulers, optimizer)`. In the options form the optimizer is optional
 * (`createScheduler` passes `null`; give `optimizer` in the options, or positionally, or neither). `step()` takes no epoch: `step(epoch)`
 * throws a TypeError-typed error, as Python does; `getLr()` throws a NotImplementedError-typed error.
 *
 * Differs from PyTorch: PyTorch's ChainedScheduler has no `last_epoch`; here `lastEpoch` is the
 * read-only `lastEpoch` of the last chained scheduler (0 after construction, +1 per `step()` when
 * the chain is only stepped through this scheduler), so it is not part of the state dict and
 * assigning it throws. `step(undefined)` is `step()` (Python's `step(None)` raises a TypeError).
 */
export class ChainedScheduler extends LRScheduler implements CompositeScheduler {
  static override readonly className = 'ChainedScheduler';
  /** PyTorch's `_schedulers`. */
  readonly schedulers: readonly LRScheduler[];
  /** Whether a parent SequentialLR ran this scheduler's initial step (PyTorch then stores `_step_count`). */
  private initialStepRun = false;

  /** PyTorch's order: `ChainedScheduler(schedulers, optimizer=None)`. */
  constructor(schedulers: readonly LRScheduler[], optimizer?: OptimizerLike | null);
  constructor(optimizer: OptimizerLike | null, options: ChainedSchedulerOptions);
  constructor(first: OptimizerLike | readonly LRScheduler[] | null, second?: ChainedSchedulerOptions | OptimizerLike | null) {
    const pytorchOrder = Array.isArray(first) && (first.length === 0 || first.every((item: unknown) => item instanceof LRScheduler));
    const optimizer = pytorchOrder ? null : (first as OptimizerLike | null);
    const options = pytorchOrder ? { schedulers: first as readonly LRScheduler[], optimizer: second as OptimizerLike | null | undefined } : (second as ChainedSchedulerOptions);
    const usage = 'new ChainedScheduler([first, second]) or new ChainedScheduler(null, { schedulers: [first, second] })';
    new OptionChecker('ChainedScheduler', options, usage).known(['schedulers', 'optimizer']);
    const given = resolveOptimizer(optimizer, options.optimizer);
    const schedulers = checkChildren(
      'ChainedScheduler',
      options.schedulers,
      given,
      'ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.',
    );
    super(given ?? schedulers[0].optimizer, -1, false);
    this.schedulers = schedulers;
    const last = schedulers[schedulers.length - 1];
    Object.defineProperty(this, 'lastEpoch', {
      configurable: true,
      enumerable: true,
      get: (): number => last.lastEpoch,
      set: (): never => {
        throw new InvalidArgumentError(
          "ChainedScheduler: lastEpoch is read-only (it is the last chained scheduler's lastEpoch)",
          'AttributeError',
        );
      },
    });
    this.recordLastLrs();
  }

  /** Steps every chained scheduler in order, then records the groups' lrs. */
  override step(epoch?: never): void {
    // Python's step(self) takes no epoch: step(epoch) raises a TypeError (step(undefined) is step()).
    if (epoch !== undefined) throw positionalArgumentsError('ChainedScheduler');
    const schedulers = this.schedulers;
    for (let i = 0; i < schedulers.length; i++) schedulers[i].step();
    this.recordLastLrs();
  }

  protected override initialStep(): void {
    this.initialStepRun = true;
    super.initialStep();
  }

  override getLr(): readonly number[] {
    throw notImplementedGetLr('ChainedScheduler');
  }

  /** PyTorch's inherited `_update_lr` (reached from a parent SequentialLR at a milestone) ends in `get_lr()`, which raises. */
  protected override updateLr(): void {
    throw notImplementedGetLr('ChainedScheduler');
  }

  protected override writeState(state: SchedulerState): void {
    state._schedulers = this.schedulers.map((scheduler) => scheduler.stateDict());
    if (this.lastLrs !== null) state._last_lr = encodeFloatList(this.lastLrs);
    if (this.initialStepRun) state._step_count = this.stepCount;
  }

  /** Validates this scheduler's keys and every child's state before anything is applied. */
  protected override readState(reader: StateReader): () => void {
    const groupCount = this.optimizer.paramGroups.length;
    const lastLrs = reader.has('_last_lr') ? reader.numberList('_last_lr', groupCount, WRITTEN_LR) : this.lastLrs;
    const stepCount = reader.optional('_step_count', 'an integer', (raw) => (Number.isInteger(raw) ? (raw as number) : undefined), this.stepCount);
    const applyChildren = prepareChildrenLoad(reader, this.schedulers);
    return () => {
      this.lastLrs = lastLrs === null ? null : lastLrs.slice();
      this.stepCount = stepCount;
      applyChildren();
    };
  }
}

/** The positional optimizer or the `optimizer` option (they must agree when both are given). */
function resolveOptimizer(positional: OptimizerLike | null | undefined, option: OptimizerLike | null | undefined): OptimizerView | null {
  const fromPositional = positional === null || positional === undefined ? null : asOptimizer(positional);
  const fromOption = option === null || option === undefined ? null : asOptimizer(option);
  if (fromPositional !== null && fromOption !== null && !fromPositional.sameGroupsAs(fromOption)) {
    throw new InvalidArgumentError(
      'ChainedScheduler: the optimizer argument and the "optimizer" option are different optimizers (give one of them)',
    );
  }
  return fromOption ?? fromPositional;
}
