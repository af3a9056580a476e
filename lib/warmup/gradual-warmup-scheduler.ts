/**
 * Follows ildoonet/pytorch-gradual-warmup-lr's `GradualWarmupScheduler`
 * (warmup_scheduler/scheduler.py, the version the conformance corpus records) operation for
 * operation, translated to TypeScript. Copyright (c) Ildoo Kim; MIT License (the full notice is in
 * NOTICE).
 */
import { InvalidArgumentError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import type { Metric } from '../metric';
import { asOptimizer, type OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { encodeFloat } from '../state/encoding';
import { FINITE, NON_ZERO, numberRule, type NumberRule } from '../state/rules';
import { decodeNumberList, type SchedulerState, type StateReader } from '../state/state-reader';

/** The target lr is `base_lr * multiplier`: at least 1, as the original asserts, and finite. */
const MULTIPLIER = numberRule('a finite number >= 1', (n) => n >= 1 && Number.isFinite(n));

export interface GradualWarmupSchedulerOptions {
  /** Target lr = base lr * multiplier; with 1 the warmup starts from 0 and ends at the base lr. */
  multiplier: number;
  /** The number of epochs the warmup lasts; the target lr is reached at `totalEpoch`. */
  totalEpoch: number;
  /** The scheduler that takes over after the warmup (any scheduler, including ReduceLROnPlateau). @default undefined */
  afterScheduler?: LRScheduler | null;
}

/** What `step(metrics, epoch)` of a ReduceLROnPlateau after-scheduler looks like. */
interface PlateauLike {
  step(metrics?: Metric, epoch?: number): void;
}

/**
 * Gradually warms the learning rate up over the first `totalEpoch` epochs, then hands over to
 * `afterScheduler` (ildoonet/pytorch-gradual-warmup-lr at 7021d63, quirks included).
 *
 * `lr = base_lr * epoch / totalEpoch` when `multiplier` is 1, otherwise
 * `lr = base_lr * ((multiplier - 1) * epoch / totalEpoch + 1)`; at the hand-off the after-scheduler's
 * `baseLrs` are set to `base_lr * multiplier` (once), and from then on `step()` steps it.
 *
 * With `multiplier` > 1 the learning rate drops at the hand-off, as in the original: the first
 * value after the warmup is the after-scheduler's last lr, computed from the un-multiplied base lr
 * at its construction, and a chainable after-scheduler (`step()`) continues from there; only its
 * closed form (`step(epoch)`) uses the rescaled base lrs, one epoch later. SGD lr 0.0125,
 * `multiplier: 8`, `totalEpoch: 5`, `CosineAnnealingLR({ tMax: 10 })`, `step()` every epoch:
 * 0.03, 0.0475, 0.065, 0.0825, 0.1 (epoch 5), then 0.0125, 0.012194103226844711, 0.011306356214843423, ...
 * (with `step(epoch)`: 0.1, then 0.0125, 0.09045084971874738, 0.07938926261462366, ...). For the
 * continuous curve (0.1, then the cosine from 0.1: 0.09755282581475769, ...), set the optimizer's lr
 * to the peak and use `SequentialLR` of `LinearLR({ startFactor: 1 / multiplier, totalIters })`
 * and the after-scheduler, with `milestones: [totalIters]`.
 *
 * @example
 * const after = new StepLR(optimizer, { stepSize: 10, gamma: 0.1 }); // SGD lr 0.1
 * const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 5, afterScheduler: after });
 * // warmup.step(epoch) for epochs 1..19: 0.02, 0.04, 0.06, 0.08, 0.1, 0.1 ... 0.1, then 0.01 from epoch 15
 *
 * With a ReduceLROnPlateau after-scheduler, `step(epoch?, metrics?)` follows the original's plateau
 * path: the warmup counts from epoch 1 and always uses the `multiplier - 1` formula.
 *
 * Differs from the original: `stateDict()` nests the after-scheduler's own state dict (the original
 * pickles the live object, and a resumed run stops driving the optimizer); a `SequentialLR` or
 * `ChainedScheduler` after-scheduler is stepped with `step()` (the original passes `None` and raises
 * a TypeError); `totalEpoch` 0 throws a clear error at construction, and so does an infinite
 * `multiplier` (it can only produce infinite learning rates); an `afterScheduler` on another
 * optimizer throws (the original lets it pass, and its learning rates then reach only the other
 * optimizer, while `getLastLr()` reports them); `metrics` may be a one-element tensor;
 * `loadStateDict()` applies the same rules.
 */
export class GradualWarmupScheduler extends LRScheduler {
  static override readonly className = 'GradualWarmupScheduler';
  multiplier: number;
  totalEpoch: number;
  readonly afterScheduler: LRScheduler | null;
  finished: boolean;

  constructor(optimizer: OptimizerLike, options: GradualWarmupSchedulerOptions) {
    const usage = '{ multiplier: 1, totalEpoch: 5, afterScheduler }';
    const check = new OptionChecker('GradualWarmupScheduler', options, usage, 'multiplier').known(['multiplier', 'totalEpoch', 'afterScheduler']);
    const multiplier = check.number('multiplier', options.multiplier, undefined, MULTIPLIER);
    const totalEpoch = check.number('totalEpoch', options.totalEpoch, undefined, NON_ZERO);
    const afterScheduler = options.afterScheduler ?? null;
    if (afterScheduler !== null && !(afterScheduler instanceof LRScheduler)) {
      check.fail('afterScheduler', 'a scheduler', afterScheduler, 'TypeError');
    }
    if (afterScheduler !== null && !asOptimizer(optimizer).sameGroupsAs(afterScheduler.optimizer)) {
      throw new InvalidArgumentError(
        `GradualWarmupScheduler: option "afterScheduler" must schedule the same optimizer, got a ${afterScheduler.getClassName()} ` +
          'on another optimizer (other param groups): build it on the optimizer given to the GradualWarmupScheduler',
      );
    }
    super(optimizer);
    this.multiplier = multiplier;
    this.totalEpoch = totalEpoch;
    this.afterScheduler = afterScheduler;
    this.finished = false;
    this.initialStep();
  }

  /** Whether the after-scheduler is a ReduceLROnPlateau (the original checks the exact type). */
  private get afterIsPlateau(): boolean {
    return this.afterScheduler !== null && this.afterScheduler.getClassName() === 'ReduceLROnPlateau';
  }

  // The original (at 7021d63) does not warn when getLr() is called outside step().
  override getLr(): readonly number[] {
    const lrs = this.nextLrs;
    const baseLrs = this.baseLrs;
    if (this.lastEpoch > this.totalEpoch) {
      const after = this.afterScheduler;
      if (after !== null) {
        if (!this.finished) {
          after.baseLrs = baseLrs.map((baseLr) => baseLr * this.multiplier);
          this.finished = true;
        }
        const afterLrs = after.getLastLr();
        for (let i = 0; i < lrs.length; i++) lrs[i] = afterLrs[i];
        return lrs;
      }
      for (let i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * this.multiplier;
      return lrs;
    }
    if (this.multiplier === 1) {
      for (let i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * (this.lastEpoch / this.totalEpoch);
    } else {
      for (let i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * (((this.multiplier - 1) * this.lastEpoch) / this.totalEpoch + 1);
    }
    return lrs;
  }

  /**
   * Steps the warmup, or the after-scheduler once the warmup is over. `metrics` is passed on to a
   * ReduceLROnPlateau after-scheduler (note the order: `epoch` first, as in the original).
   */
  override step(epoch?: number, metrics?: Metric): void {
    const after = this.afterScheduler;
    if (this.afterIsPlateau) {
      this.stepWithPlateau(metrics, epoch);
      return;
    }
    if (this.finished && after !== null) {
      if (epoch === undefined) after.step();
      else after.step(epoch - this.totalEpoch);
      this.lastEpoch = after.lastEpoch + this.totalEpoch + 1;
      this.recordAfterLrs(after);
      return;
    }
    super.step(epoch);
  }

  /** The original's `step_ReduceLROnPlateau`: warmup from epoch 1, then `after.step(metrics, epoch - totalEpoch)`. */
  private stepWithPlateau(metrics: Metric | undefined, epoch: number | undefined): void {
    const stepEpoch = epoch ?? this.lastEpoch + 1;
    this.lastEpoch = stepEpoch !== 0 ? stepEpoch : 1;
    if (this.lastEpoch <= this.totalEpoch) {
      const groups = this.optimizer.paramGroups;
      for (let i = 0; i < groups.length; i++) {
        groups[i].lr = this.baseLrs[i] * (((this.multiplier - 1) * this.lastEpoch) / this.totalEpoch + 1);
      }
      return;
    }
    // The original tests `epoch is None` after replacing it, so this always passes an epoch.
    (this.afterScheduler as unknown as PlateauLike).step(metrics, stepEpoch - this.totalEpoch);
  }

  private recordAfterLrs(after: LRScheduler): void {
    const afterLrs = after.lastLrsView();
    if (afterLrs === null) {
      this.lastLrs = null;
      return;
    }
    let last = this.lastLrs;
    if (last === null || last.length !== afterLrs.length) last = this.lastLrs = new Array<number>(afterLrs.length);
    for (let i = 0; i < afterLrs.length; i++) last[i] = afterLrs[i];
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state.multiplier = encodeFloat(this.multiplier);
    state.total_epoch = encodeFloat(this.totalEpoch);
    state.finished = this.finished;
    state.after_scheduler = this.afterScheduler === null ? null : this.afterScheduler.stateDict();
  }

  /** The original's `step(epoch)` takes any epoch, and a fractional `totalEpoch` gives fractional epochs: any finite one loads. */
  protected override lastEpochRule(): NumberRule {
    return FINITE;
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const multiplier = reader.number('multiplier', MULTIPLIER);
    const totalEpoch = reader.number('total_epoch', NON_ZERO);
    const finished = reader.boolean('finished');
    const savedAfter = reader.raw('after_scheduler');
    let applyAfter = (): void => {};
    if (this.afterScheduler === null) {
      if (savedAfter !== null && savedAfter !== undefined) {
        throw reader.error('after_scheduler', 'null (this scheduler was built without an afterScheduler)', savedAfter);
      }
    } else {
      if (savedAfter === null || savedAfter === undefined) {
        throw reader.error('after_scheduler', `the state dict of a ${this.afterScheduler.getClassName()}`, savedAfter);
      }
      applyAfter = this.afterScheduler.prepareLoad(savedAfter, reader.child('after_scheduler'));
      // Until the hand-off nothing steps the after-scheduler: its last lrs are those of its construction
      // (finite), and the hand-off writes them into the groups.
      const afterLastLrs = decodeNumberList((savedAfter as Record<string, unknown>)._last_lr);
      if (!finished && afterLastLrs !== undefined && !afterLastLrs.every(Number.isFinite)) {
        throw reader.error('after_scheduler', 'the state of an after-scheduler with finite last lrs while the warmup has not finished', savedAfter);
      }
    }
    return () => {
      applyBase();
      this.multiplier = multiplier;
      this.totalEpoch = totalEpoch;
      this.finished = finished;
      applyAfter();
    };
  }
}
