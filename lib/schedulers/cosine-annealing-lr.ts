/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.CosineAnnealingLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { PythonArithmeticError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import { PI, cos } from '../math';
import type { OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { encodeFloat } from '../state/encoding';
import { FINITE, NON_ZERO } from '../state/rules';
import type { SchedulerState, StateReader } from '../state/state-reader';

export interface CosineAnnealingLROptions {
  /** Half-period of the cosine, in epochs (PyTorch `T_max`; a fractional or negative value is legal). */
  tMax: number;
  /** Minimum learning rate. @default 0 */
  etaMin?: number;
  /** Index of the last epoch when resuming. @default -1 */
  lastEpoch?: number;
}

/**
 * Anneals each group's learning rate from its initial value to `etaMin` along a cosine over
 * `tMax` epochs, then back up over the next `tMax` (the schedule is periodic; it never restarts).
 *
 * Closed form (`step(epoch)`): `lr = etaMin + (initial_lr - etaMin) * (1 + cos(pi * epoch / tMax)) / 2`.
 * Chainable form (`step()`), PyTorch's recursion from the current lr:
 * `lr' = (1 + cos(pi * epoch / tMax)) / (1 + cos(pi * (epoch - 1) / tMax)) * (lr - etaMin) + etaMin`,
 * with PyTorch's special cases: the first step of a resumed scheduler uses the closed form, and the
 * step leaving the minimum (`(epoch - 1 - tMax) % (2 * tMax) == 0`) adds
 * `(initial_lr - etaMin) * (1 - cos(pi / tMax)) / 2`.
 *
 * @example
 * const scheduler = new CosineAnnealingLR(optimizer, { tMax: 4 }); // initial lr 0.1
 * // epochs 0..8: 0.1, 0.0853..., 0.05, 0.0146..., 0, 0.0146..., 0.05, 0.0853..., 0.1
 *
 * Differs from PyTorch: `tMax` 0 throws at construction (PyTorch raises ZeroDivisionError at the
 * first step); a NaN `tMax` or a non-finite `etaMin`, which can only produce NaN learning rates, is
 * rejected.
 */
export class CosineAnnealingLR extends LRScheduler {
  static override readonly className = 'CosineAnnealingLR';
  tMax: number;
  etaMin: number;
  /** The argument and value of the last `cos` of the chainable form (see `cachedCos`). */
  private cosArgument = Number.NaN;
  private cosValue = Number.NaN;
  /** `1 - cos(pi / T_max)` and the `T_max` it was computed for. */
  private riseTMax = Number.NaN;
  private riseValue = Number.NaN;

  constructor(optimizer: OptimizerLike, options: CosineAnnealingLROptions) {
    const check = new OptionChecker('CosineAnnealingLR', options, '{ tMax: 100 }', 'tMax').known(['tMax', 'etaMin', 'lastEpoch']);
    const tMax = check.number('tMax', options.tMax, undefined, NON_ZERO);
    const etaMin = check.number('etaMin', options.etaMin, 0, FINITE);
    super(optimizer, check.lastEpoch(options.lastEpoch));
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const groups = this.groups;
    const lrs = this.nextLrs;
    const { etaMin, tMax, lastEpoch } = this;
    if (this.isInitial) {
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr;
    } else if (this.stepCount === 1 && lastEpoch > 0) {
      // PyTorch's operation order here is `last_epoch * pi / T_max` (the closed form has `pi * last_epoch / T_max`).
      const factor = 1 + cos((lastEpoch * PI) / tMax);
      for (let i = 0; i < groups.length; i++) lrs[i] = etaMin + ((this.baseLrs[i] - etaMin) * factor) / 2;
    } else if ((lastEpoch - 1 - tMax) % (2 * tMax) === 0) {
      // Python's `%` is 0 exactly when JavaScript's is (tMax is never 0). `1 - cos(pi / T_max)`
      // depends on T_max only: computed when it changes, not once per period.
      if (tMax !== this.riseTMax) {
        this.riseValue = 1 - cos(PI / tMax);
        this.riseTMax = tMax;
      }
      const rise = this.riseValue;
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr + ((this.baseLrs[i] - etaMin) * rise) / 2;
    } else {
      const denominator = 1 + this.cachedCos((PI * (lastEpoch - 1)) / tMax);
      // Python raises ZeroDivisionError here; reachable only with a fractional epoch given to step(epoch).
      if (denominator === 0) throw new PythonArithmeticError('CosineAnnealingLR: float division by zero', 'ZeroDivisionError');
      const ratio = (1 + this.cachedCos((PI * lastEpoch) / tMax)) / denominator;
      for (let i = 0; i < groups.length; i++) lrs[i] = ratio * (groups[i].lr - etaMin) + etaMin;
    }
    return lrs;
  }

  /**
   * `cos(x)`, remembering the last argument: step after step, the denominator's
   * `cos(pi * (epoch - 1) / tMax)` is the previous step's numerator, so one `cos` per step is computed.
   */
  private cachedCos(x: number): number {
    if (x !== this.cosArgument) {
      this.cosValue = cos(x);
      this.cosArgument = x;
    }
    return this.cosValue;
  }

  protected override closedFormLr(): readonly number[] {
    const { etaMin } = this;
    const factor = 1 + cos((PI * this.lastEpoch) / this.tMax);
    const lrs = this.nextLrs;
    for (let i = 0; i < lrs.length; i++) lrs[i] = etaMin + ((this.baseLrs[i] - etaMin) * factor) / 2;
    return lrs;
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state.T_max = encodeFloat(this.tMax);
    state.eta_min = this.etaMin;
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const tMax = reader.number('T_max', NON_ZERO);
    const etaMin = reader.number('eta_min', FINITE);
    return () => {
      applyBase();
      this.tMax = tMax;
      this.etaMin = etaMin;
    };
  }
}
