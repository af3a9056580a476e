/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.ReduceLROnPlateau` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { InvalidArgumentError, LRSchedulerError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import type { OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { decodeFloat, encodeFloat } from '../state/encoding';
import { WRITTEN_LR, numberRule } from '../state/rules';
import { describeValue, encodeFloatList, type SchedulerState, type StateReader } from '../state/state-reader';
import { EPOCH_DEPRECATION_WARNING, warn } from '../warnings';
import { metricValue, type Metric } from '../metric';

export interface ReduceLROnPlateauOptions {
  /** `'min'`: reduce when the metric stops decreasing; `'max'`: when it stops increasing. @default 'min' */
  mode?: 'min' | 'max';
  /** Factor by which the learning rate is reduced: `new_lr = lr * factor`. Must be < 1. @default 0.1 */
  factor?: number;
  /** Number of epochs with no improvement after which the learning rate is reduced. @default 10 */
  patience?: number;
  /** Threshold for measuring the new optimum, to only focus on significant changes. @default 1e-4 */
  threshold?: number;
  /**
   * `'rel'`: the dynamic threshold is `best * (1 - threshold)` in min mode, `best * (1 + threshold)`
   * in max mode; `'abs'`: `best - threshold` / `best + threshold`. @default 'rel'
   */
  thresholdMode?: 'rel' | 'abs';
  /** Number of epochs to wait before resuming normal operation after a reduction. @default 0 */
  cooldown?: number;
  /** A lower bound on the learning rate: one number for every group, or a list with one per group. @default 0 */
  minLr?: number | readonly number[];
  /** Minimal decay applied to the lr: a reduction smaller than `eps` is ignored. @default 1e-8 */
  eps?: number;
}

/** `factor`, as PyTorch checks it (`factor >= 1.0` raises; NaN passes, and never reduces the lr), also when loaded. */
const FACTOR = numberRule('a number < 1', (n) => !(n >= 1.0));

/** The four comparisons of PyTorch's `_is_better`, chosen once from mode and threshold mode. */
const enum Comparison {
  MinRel,
  MinAbs,
  MaxRel,
  MaxAbs,
}

interface ComparisonSetup {
  mode: 'min' | 'max';
  thresholdMode: 'rel' | 'abs';
  modeWorse: number;
  comparison: Comparison;
}

/**
 * Reduces the learning rate when a metric has stopped improving.
 *
 * Each `step(metrics)` compares `metrics` with the best value so far (min mode, rel threshold:
 * better when `metrics < best * (1 - threshold)`; abs: `metrics < best - threshold`; max mode
 * mirrored). After more than `patience` epochs without improvement every group's lr becomes
 * `max(lr * factor, minLr)`, written only when that lowers it by more than `eps`; then `cooldown`
 * epochs pass in which bad epochs are not counted. A NaN metric is never better (every comparison
 * with NaN is false), so it counts as a bad epoch.
 *
 * @example
 * const scheduler = new ReduceLROnPlateau(optimizer, { factor: 0.5, patience: 1 }); // initial lr 0.1
 * for (const loss of [1.0, 0.9, 0.95, 0.95, 0.95, 0.95]) scheduler.step(loss);
 * // lr after each step: 0.1, 0.1, 0.1, 0.05, 0.05, 0.025
 *
 * Like PyTorch, the constructor takes no `lastEpoch` and makes no initial step (`lastEpoch` is 0,
 * `getLastLr()` the groups' lrs), it neither sets nor needs `initial_lr`, and `getLr()` throws a
 * `NotImplementedError`-typed error. `step(metrics, epoch)` takes the metric first.
 *
 * `metrics` is a number or, as in PyTorch, a one-element tensor (a tfjs loss such as
 * `tf.scalar(0.5)`), read synchronously with `dataSync()` and left to the caller to dispose; a
 * tensor with more elements throws a `ValueError`-typed error, as `float(tensor)` does.
 *
 * Differs from PyTorch: a numeric string is not a metric (PyTorch's `float("0.5")` accepts it); a
 * missing or non-number metric throws a `TypeError`-typed error, as `float(None)` does. A non-number `patience`, `threshold`, `cooldown`, `eps` or `minLr`
 * throws at construction (PyTorch accepts it and fails at a later step). `loadStateDict()`
 * validates everything before changing anything (PyTorch updates its attributes, then raises on
 * an unknown `mode`), with the constructor's rules (a `factor` >= 1 is rejected).
 */
export class ReduceLROnPlateau extends LRScheduler {
  static override readonly className = 'ReduceLROnPlateau';
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  /** PyTorch's `min_lrs`: the lower bound of each group's lr. */
  minLrs: number[];
  /** PyTorch's `default_min_lr`: the single `minLr` given, or `null` when a list was given. */
  defaultMinLr: number | null;
  eps: number;
  /** The best metric so far (`Infinity` in min mode, `-Infinity` in max mode until the first improvement). */
  best: number;
  /** PyTorch's `mode_worse`: the worst value for the mode, where `best` starts. */
  modeWorse: number;
  numBadEpochs: number;
  cooldownCounter: number;
  private comparison: Comparison;

  constructor(optimizer: OptimizerLike, options: ReduceLROnPlateauOptions = {}) {
    const check = new OptionChecker('ReduceLROnPlateau', options, "{ mode: 'min', patience: 10 }", 'mode').known([
      'mode',
      'factor',
      'patience',
      'threshold',
      'thresholdMode',
      'cooldown',
      'minLr',
      'eps',
    ]);
    const factor = check.number('factor', options.factor, 0.1);
    if (!FACTOR.test(factor)) throw new InvalidArgumentError('ReduceLROnPlateau: Factor should be < 1.0.');
    const patience = check.number('patience', options.patience, 10);
    const threshold = check.number('threshold', options.threshold, 1e-4);
    const cooldown = check.number('cooldown', options.cooldown, 0);
    const eps = check.number('eps', options.eps, 1e-8);
    super(optimizer, -1, false);
    const groupCount = this.optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    if (Array.isArray(minLr)) {
      if (minLr.length !== groupCount) {
        throw new InvalidArgumentError(`ReduceLROnPlateau: expected ${groupCount} min_lrs, got ${minLr.length}`);
      }
      this.minLrs = minLr.map((value: unknown, i: number) => check.number(`minLr[${i}]`, value, undefined));
      this.defaultMinLr = null;
    } else {
      const single = check.number('minLr', minLr, 0, 'a number or a list of numbers');
      this.minLrs = new Array<number>(groupCount).fill(single);
      this.defaultMinLr = single;
    }
    this.factor = factor;
    this.patience = patience;
    this.cooldown = cooldown;
    this.eps = eps;
    this.lastEpoch = 0;
    this.recordLastLrs();
    const setup = comparisonSetup(options.mode ?? 'min', options.thresholdMode ?? 'rel');
    if ('error' in setup) throw new InvalidArgumentError(`ReduceLROnPlateau: ${setup.error}`, setup.pythonType);
    this.mode = setup.mode;
    this.threshold = threshold;
    this.thresholdMode = setup.thresholdMode;
    this.modeWorse = setup.modeWorse;
    this.comparison = setup.comparison;
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  /** Whether the scheduler is in its cooldown after a reduction (PyTorch's `in_cooldown`). */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /**
   * Records one epoch's metric and reduces the lr after more than `patience` bad epochs. With
   * `epoch` (deprecated in PyTorch, which warns) `lastEpoch` becomes `epoch`, otherwise it grows by 1.
   */
  override step(metrics?: Metric, epoch?: number): void {
    const current = typeof metrics === 'number' ? metrics : metricValue(metrics, 'ReduceLROnPlateau.step: metrics');
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
    } else {
      if (typeof epoch !== 'number') {
        throw new InvalidArgumentError(`ReduceLROnPlateau.step: epoch must be a number, got ${describeValue(epoch)}`, 'TypeError');
      }
      warn(EPOCH_DEPRECATION_WARNING);
    }
    this.lastEpoch = epoch;

    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }

    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // ignore any bad epochs in cooldown
    }

    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }

    this.recordLastLrs();
  }

  /** PyTorch's `_reduce_lr`: `new_lr = max(old_lr * factor, min_lr)`, written only if `old_lr - new_lr > eps`. */
  private reduceLr(): void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.minLrs.length) {
      if (this.defaultMinLr === null) {
        throw new LRSchedulerError(
          `ReduceLROnPlateau: The number of param groups in the \`optimizer\` (${groups.length}) differs from when ` +
            `\`ReduceLROnPlateau\` was initialized (${this.minLrs.length}), usually due to a new param group being ` +
            'added to the optimizer. Please modify the `minLrs` field to match the length of the `optimizer` param groups.',
        );
      }
      this.minLrs = new Array<number>(groups.length).fill(this.defaultMinLr);
    }
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i];
      const oldLr = group.lr;
      const scaled = oldLr * this.factor;
      const minLr = this.minLrs[i];
      // new_lr = max(scaled, min_lr): Python's max(a, b) returns a unless b > a (so a NaN product
      // stays NaN). Two branches rather than one variable holding either: V8 would box `scaled`
      // to merge it with a small-integer `minLr`, a heap number per group and reduction.
      if (minLr > scaled) {
        if (oldLr - minLr > this.eps) group.lr = minLr;
      } else if (oldLr - scaled > this.eps) {
        group.lr = scaled;
      }
    }
  }

  /** PyTorch's `_is_better`, in its operation order; false whenever NaN is involved. */
  private isBetter(a: number, best: number): boolean {
    switch (this.comparison) {
      case Comparison.MinRel:
        return a < best * (1.0 - this.threshold);
      case Comparison.MinAbs:
        return a < best - this.threshold;
      case Comparison.MaxRel:
        return a > best * (this.threshold + 1.0);
      default:
        return a > best + this.threshold;
    }
  }

  /** PyTorch's `LRScheduler.get_lr()`, which ReduceLROnPlateau does not override: it raises. */
  override getLr(): readonly number[] {
    throw new LRSchedulerError('ReduceLROnPlateau: getLr() is not implemented (use getLastLr())', 'NotImplementedError');
  }

  protected override writeState(state: SchedulerState): void {
    state.factor = encodeFloat(this.factor);
    state.min_lrs = encodeFloatList(this.minLrs);
    state.default_min_lr = this.defaultMinLr === null ? null : encodeFloat(this.defaultMinLr);
    state.patience = encodeFloat(this.patience);
    state.cooldown = encodeFloat(this.cooldown);
    state.eps = encodeFloat(this.eps);
    state.last_epoch = encodeFloat(this.lastEpoch);
    if (this.lastLrs !== null) state._last_lr = encodeFloatList(this.lastLrs);
    state.mode_worse = encodeFloat(this.modeWorse);
    state.mode = this.mode;
    state.threshold = encodeFloat(this.threshold);
    state.threshold_mode = this.thresholdMode;
    state.best = encodeFloat(this.best);
    state.cooldown_counter = encodeFloat(this.cooldownCounter);
    state.num_bad_epochs = encodeFloat(this.numBadEpochs);
  }

  /** Validates every key, then re-derives the comparison from mode, threshold and threshold mode (PyTorch's `_init_is_better`). */
  protected override readState(reader: StateReader): () => void {
    const groupCount = this.optimizer.paramGroups.length;
    const factor = reader.number('factor', FACTOR);
    const minLrs = reader.numberList('min_lrs', groupCount);
    const defaultMinLr = reader.has('default_min_lr')
      ? reader.value<number | null>('default_min_lr', 'a number or null', (raw) => (raw === null ? null : decodeFloat(raw)))
      : this.defaultMinLr;
    const patience = reader.number('patience');
    const cooldown = reader.number('cooldown');
    const eps = reader.number('eps');
    const lastEpoch = reader.number('last_epoch');
    const lastLrs = reader.has('_last_lr') ? reader.numberList('_last_lr', groupCount, WRITTEN_LR) : this.lastLrs;
    reader.number('mode_worse'); // validated; re-derived from `mode` below, as PyTorch does
    const mode = reader.string('mode', ['min', 'max'] as const);
    const threshold = reader.number('threshold');
    const thresholdMode = reader.string('threshold_mode', ['rel', 'abs'] as const);
    const best = reader.number('best');
    const cooldownCounter = reader.number('cooldown_counter');
    const numBadEpochs = reader.number('num_bad_epochs');
    const setup = comparisonSetup(mode, thresholdMode);
    if ('error' in setup) throw reader.error('mode', setup.error, mode);
    return () => {
      this.factor = factor;
      this.minLrs = minLrs;
      this.defaultMinLr = defaultMinLr;
      this.patience = patience;
      this.cooldown = cooldown;
      this.eps = eps;
      this.lastEpoch = lastEpoch;
      this.lastLrs = lastLrs === null ? null : lastLrs.slice();
      this.best = best;
      this.cooldownCounter = cooldownCounter;
      this.numBadEpochs = numBadEpochs;
      this.mode = setup.mode;
      this.threshold = threshold;
      this.thresholdMode = setup.thresholdMode;
      this.modeWorse = setup.modeWorse;
      this.comparison = setup.comparison;
    };
  }
}

/** PyTorch's `_init_is_better`: checks mode and threshold mode, derives `mode_worse` and the comparison. */
function comparisonSetup(mode: unknown, thresholdMode: unknown): ComparisonSetup | { error: string; pythonType: string } {
  // Python: `"mode " + mode` raises a TypeError for a non-string before the ValueError.
  if (typeof mode !== 'string') return { error: `option "mode" must be "min" or "max", got ${describeValue(mode)}`, pythonType: 'TypeError' };
  if (mode !== 'min' && mode !== 'max') return { error: `mode ${mode} is unknown!`, pythonType: 'ValueError' };
  if (typeof thresholdMode !== 'string') {
    return { error: `option "thresholdMode" must be "rel" or "abs", got ${describeValue(thresholdMode)}`, pythonType: 'TypeError' };
  }
  if (thresholdMode !== 'rel' && thresholdMode !== 'abs') return { error: `threshold mode ${thresholdMode} is unknown!`, pythonType: 'ValueError' };
  let comparison: Comparison;
  if (mode === 'min') comparison = thresholdMode === 'rel' ? Comparison.MinRel : Comparison.MinAbs;
  else comparison = thresholdMode === 'rel' ? Comparison.MaxRel : Comparison.MaxAbs;
  return { mode, thresholdMode, modeWorse: mode === 'min' ? Infinity : -Infinity, comparison };
}
