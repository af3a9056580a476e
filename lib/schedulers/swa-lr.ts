/**
 * `torch.optim.swa_utils.SWALR` of PyTorch 2.13, operation for operation.
 * PyTorch is BSD-3-Clause licensed (the full notice is in NOTICE): Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the
 * PyTorch contributors (https://github.com/pytorch/pytorch/blob/main/LICENSE).
 */
import { LRScheduler } from '../lr-scheduler';
import { PI, cos } from '../math';
import { asOptimizer, type OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { FINITE, numberRule } from '../state/rules';
import type { SchedulerState, StateReader } from '../state/state-reader';

export type SWALRAnnealStrategy = 'cos' | 'linear';

export interface SWALROptions {
  /** The learning rate to anneal to and keep: one number for every group, or one per group (PyTorch `swa_lr`). */
  swaLr: number | readonly number[];
  /** Number of steps the anneal takes; 0 sets `swaLr` at construction (PyTorch `anneal_epochs`). @default 10 */
  annealEpochs?: number;
  /** `'cos'` for cosine annealing, `'linear'` for linear annealing (PyTorch `anneal_strategy`). @default 'cos' */
  annealStrategy?: SWALRAnnealStrategy;
  /** Index of the last epoch when resuming (it does not shift the anneal, see the class notes). @default -1 */
  lastEpoch?: number;
}

const ANNEAL_STRATEGIES: readonly SWALRAnnealStrategy[] = ['cos', 'linear'];
/** What the constructor and `loadStateDict` accept as `annealEpochs` / `anneal_epochs`. */
const ANNEAL_EPOCHS = numberRule('an integer >= 0', (n) => Number.isInteger(n) && n >= 0);

/**
 * Anneals each group's learning rate from its current value to `swaLr` over `annealEpochs` steps,
 * then keeps it there: the schedule of Stochastic Weight Averaging, usually switched to late in
 * training after another scheduler on the same optimizer.
 *
 * With `k` the number of `step()` calls so far (the constructor's initial step is call 0; `k` is at
 * least 1 when `annealEpochs` is 0), `t = clamp(k / max(1, annealEpochs), 0, 1)` and
 * `alpha = (1 - cos(pi * t)) / 2` (`'cos'`) or `t` (`'linear'`), each step first reconstructs the
 * anneal's start value from the current lr and the previous position (`alphaPrev` at `k - 1`):
 * `start = (lr - alphaPrev * swaLr) / (1 - alphaPrev)` (`swaLr` once `alphaPrev` is 1), then sets
 * `lr = swaLr * alpha + start * (1 - alpha)`.
 *
 * Quirks of PyTorch's, reproduced: the anneal follows the number of `step()` calls (`_step_count`),
 * not `lastEpoch`, so `step(epoch)` only sets `lastEpoch` (with PyTorch's deprecation warning; SWALR
 * has no closed form) and `lastEpoch` >= 0 at construction does not shift the anneal. Because it
 * starts from the current lr, it continues from whatever another scheduler on the same optimizer
 * left there. `swaLr` is written into every param group as `swa_lr` and read from there at every
 * step, so it travels with the optimizer's state dict, as in PyTorch.
 *
 * @example
 * // PyTorch's pattern: CosineAnnealingLR until swaStart, then SWALR (initial lr 0.1)
 * const cosine = new CosineAnnealingLR(optimizer, { tMax: 100 });
 * const swa = new SWALR(optimizer, { swaLr: 0.05, annealEpochs: 5, annealStrategy: 'linear' });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   trainOneEpoch();
 *   if (epoch > swaStart) swa.step(); else cosine.step();
 * }
 * // new SWALR(optimizer, { swaLr: 0.05, annealEpochs: 4, annealStrategy: 'linear' }) alone, from 0.1:
 * // 0.1, 0.0875..., 0.075..., 0.0625..., 0.05, 0.05, ...
 *
 * Differs from PyTorch: every option is checked before anything is written (PyTorch has already
 * written `swa_lr` into the groups when its `annealStrategy` or `annealEpochs` check fails), and a
 * `swaLr` that is not a finite number, which could only crash or produce NaN learning rates, is
 * rejected at construction.
 */
export class SWALR extends LRScheduler {
  static override readonly className = 'SWALR';
  /** PyTorch's `anneal_epochs`. */
  annealEpochs: number;
  /** PyTorch's `_anneal_strategy`. */
  annealStrategy: SWALRAnnealStrategy;
  /** The last position and its `alpha` (a step's `alpha` is the next step's `alphaPrev`). */
  private cachedT = Number.NaN;
  private cachedAlpha = Number.NaN;

  constructor(optimizer: OptimizerLike, options: SWALROptions) {
    const check = new OptionChecker('SWALR', options, '{ swaLr: 0.05 }', 'swaLr').known(['swaLr', 'annealEpochs', 'annealStrategy', 'lastEpoch']);
    const groups = asOptimizer(optimizer).paramGroups;
    // the group key swa_lr is checked with the same rule when param groups are loaded (optimizer-view)
    const swaLrs = check.perGroup('swaLr', options.swaLr, groups.length, undefined, FINITE);
    const annealStrategy = check.choice('annealStrategy', options.annealStrategy, ANNEAL_STRATEGIES, 'cos');
    const annealEpochs = check.number('annealEpochs', options.annealEpochs, 10, ANNEAL_EPOCHS);
    super(optimizer, check.lastEpoch(options.lastEpoch));
    groups.forEach((group, i) => {
      group.swa_lr = swaLrs[i];
    });
    this.annealEpochs = annealEpochs;
    this.annealStrategy = annealStrategy;
    this.initialStep();
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const groups = this.groups;
    const lrs = this.nextLrs;
    const annealEpochs = this.annealEpochs;
    const span = annealEpochs > 1 ? annealEpochs : 1;
    let step = this.stepCount - 1;
    if (annealEpochs === 0 && step < 1) step = 1;
    const prevAlpha = this.alphaAt(clamp((step - 1) / span));
    for (let i = 0; i < groups.length; i++) {
      const swaLr = groups[i].swa_lr as number;
      lrs[i] = prevAlpha === 1 ? swaLr : (groups[i].lr - prevAlpha * swaLr) / (1 - prevAlpha);
    }
    const alpha = this.alphaAt(clamp(step / span));
    for (let i = 0; i < groups.length; i++) lrs[i] = (groups[i].swa_lr as number) * alpha + lrs[i] * (1 - alpha);
    return lrs;
  }

  /** PyTorch's `anneal_func(t)`, remembering the last position: one `cos` per step at most. */
  private alphaAt(t: number): number {
    if (t !== this.cachedT) {
      this.cachedAlpha = this.annealStrategy === 'cos' ? (1 - cos(PI * t)) / 2 : t;
      this.cachedT = t;
    }
    return this.cachedAlpha;
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state._anneal_strategy = this.annealStrategy;
    state.anneal_epochs = this.annealEpochs;
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const annealStrategy = reader.string('_anneal_strategy', ANNEAL_STRATEGIES);
    const annealEpochs = reader.number('anneal_epochs', ANNEAL_EPOCHS);
    return () => {
      applyBase();
      this.annealStrategy = annealStrategy;
      this.annealEpochs = annealEpochs;
      this.cachedT = Number.NaN;
    };
  }
}

/** Python's `max(0, min(1, x))`. */
function clamp(x: number): number {
  const upper = x < 1 ? x : 1;
  return upper > 0 ? upper : 0;
}
