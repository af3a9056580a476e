/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { InvalidArgumentError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import { PI, cos, floor, log, mod, pow, trunc } from '../math';
import type { OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { encodeFloat } from '../state/encoding';
import { FINITE, POSITIVE_INTEGER, numberRule } from '../state/rules';
import type { SchedulerState, StateReader } from '../state/state-reader';

/** `T_i`, the current period: `T_0 * T_mult ** n`, positive (Infinity once it overflows). */
const PERIOD = numberRule('a positive number', (n) => n > 0);

export interface CosineAnnealingWarmRestartsOptions {
  /** Number of epochs until the first restart (PyTorch `T_0`; a positive integer). */
  t0: number;
  /** Factor by which the period grows after each restart (PyTorch `T_mult`; an integer >= 1). @default 1 */
  tMult?: number;
  /** Minimum learning rate. @default 0 */
  etaMin?: number;
  /** Index of the last epoch when resuming. @default -1 */
  lastEpoch?: number;
}

/**
 * Cosine annealing with warm restarts (SGDR): the learning rate falls from its initial value to
 * `etaMin` over `T_i` epochs, then restarts; `T_0 = t0` and `T_(i+1) = T_i * tMult`.
 *
 * `lr = etaMin + (initial_lr - etaMin) * (1 + cos(pi * T_cur / T_i)) / 2`, where `T_cur` is the
 * number of epochs (possibly fractional) since the last restart. `step()` advances `T_cur` by one;
 * `step(epoch)` places the schedule at any epoch, fractional ones included (call it after every
 * batch with `epoch + i / batchesPerEpoch`), and later `step()` calls continue from there.
 *
 * @example
 * const scheduler = new CosineAnnealingWarmRestarts(optimizer, { t0: 2, tMult: 2 }); // initial lr 0.1
 * // epochs 0..6: 0.1, 0.05, 0.1, 0.0853..., 0.05, 0.0146..., 0.1
 * scheduler.step(1.5); // lr 0.0146... (fractional epoch)
 *
 * As in PyTorch, `step()` here is its own: it emits neither the epoch-deprecation warning nor the
 * "step before optimizer" warning, and `_step_count` stays 0.
 *
 * Differs from PyTorch: integral numbers are accepted for `t0`/`tMult` (JavaScript has no separate
 * int type: `2.0` is `2`); a NaN or infinite `etaMin`, which can only produce NaN learning rates,
 * is rejected; `step(epoch)` with a NaN or infinite epoch throws before changing anything (PyTorch
 * raises from `math.floor`/`int` after updating `T_cur`).
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  static override readonly className = 'CosineAnnealingWarmRestarts';
  /** PyTorch's `T_0`. */
  t0: number;
  /** PyTorch's `T_i`: the length of the current period. */
  tI: number;
  /** PyTorch's `T_mult`. */
  tMult: number;
  /** PyTorch's `T_cur`: epochs since the last restart. */
  tCur: number;
  etaMin: number;

  constructor(optimizer: OptimizerLike, options: CosineAnnealingWarmRestartsOptions) {
    const check = new OptionChecker('CosineAnnealingWarmRestarts', options, '{ t0: 10 }', 't0').known(['t0', 'tMult', 'etaMin', 'lastEpoch']);
    const t0 = options.t0;
    if (typeof t0 !== 'number' || !POSITIVE_INTEGER.test(t0)) {
      throw new InvalidArgumentError(`CosineAnnealingWarmRestarts: Expected positive integer t0, but got ${String(t0)}`);
    }
    const tMult = options.tMult ?? 1;
    if (typeof tMult !== 'number' || !POSITIVE_INTEGER.test(tMult)) {
      throw new InvalidArgumentError(`CosineAnnealingWarmRestarts: Expected integer tMult >= 1, but got ${String(tMult)}`);
    }
    const etaMin = options.etaMin ?? 0;
    if (typeof etaMin !== 'number') {
      throw new InvalidArgumentError(
        `CosineAnnealingWarmRestarts: Expected float or int etaMin, but got ${String(etaMin)} of type ${etaMin === null ? 'null' : typeof etaMin}`,
      );
    }
    if (!FINITE.test(etaMin)) check.fail('etaMin', FINITE.expected, etaMin);
    const lastEpoch = check.lastEpoch(options.lastEpoch);
    super(optimizer, lastEpoch);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    this.tCur = lastEpoch;
    this.initialStep();
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const lrs = this.nextLrs;
    const { etaMin } = this;
    const factor = 1 + cos((PI * this.tCur) / this.tI);
    for (let i = 0; i < lrs.length; i++) lrs[i] = etaMin + ((this.baseLrs[i] - etaMin) * factor) / 2;
    return lrs;
  }

  /**
   * Advances `T_cur` by one epoch, or (with `epoch`, which may be fractional) places the schedule
   * at that epoch: `T_i` and `T_cur` are derived from `t0` and `tMult`.
   */
  override step(epoch?: number): void {
    if (epoch !== undefined) {
      if (typeof epoch !== 'number') {
        throw new InvalidArgumentError(`CosineAnnealingWarmRestarts.step: epoch must be a number, got ${String(epoch)}`, 'TypeError');
      }
      if (epoch < 0) throw new InvalidArgumentError(`CosineAnnealingWarmRestarts: Expected non-negative epoch, but got ${String(epoch)}`);
      if (!Number.isFinite(epoch)) {
        throw new InvalidArgumentError(
          `CosineAnnealingWarmRestarts.step: epoch must be a finite number, got ${String(epoch)}`,
          Number.isNaN(epoch) ? 'ValueError' : 'OverflowError',
        );
      }
    }
    let target: number;
    if (epoch === undefined && this.lastEpoch >= 0) {
      target = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = mod(this.tCur, this.tI);
        this.tI = this.tI * this.tMult;
      }
      // floor(target) is target: lastEpoch is an integer (every step floors it, loadStateDict checks it)
      this.lastEpoch = target;
    } else {
      // PyTorch: `step()` with last_epoch < 0 (the initial step) is `step(0)`.
      target = epoch ?? 0;
      const { t0, tMult } = this;
      if (target >= t0) {
        if (tMult === 1) {
          this.tCur = mod(target, t0);
        } else {
          const n = trunc(log((target / t0) * (tMult - 1) + 1, tMult));
          this.tCur = target - (t0 * (pow(tMult, n) - 1)) / (tMult - 1);
          this.tI = t0 * pow(tMult, n);
        }
      } else {
        this.tI = t0;
        this.tCur = target;
      }
      this.lastEpoch = floor(target);
    }
    let values: readonly number[];
    // the flag cleared however getLr() ends (a catch that rethrows: fewer bytecodes than finally, see LRScheduler.updateLr)
    this.getLrCalledWithinStep = true;
    try {
      values = this.getLr();
    } catch (error) {
      this.getLrCalledWithinStep = false;
      throw error;
    }
    this.getLrCalledWithinStep = false;
    // applyLrs(values), inline when the sizes agree (as in LRScheduler.step)
    const groups = this.groups;
    const last = this.lastLrs;
    if (values.length !== groups.length || last === null || last.length !== groups.length) {
      this.applyLrs(values);
      return;
    }
    for (let i = 0; i < groups.length; i++) {
      const lr = values[i];
      groups[i].lr = lr;
      last[i] = lr;
    }
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state.T_0 = this.t0;
    state.T_i = encodeFloat(this.tI);
    state.T_mult = this.tMult;
    state.eta_min = this.etaMin;
    state.T_cur = encodeFloat(this.tCur);
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const t0 = reader.number('T_0', POSITIVE_INTEGER);
    const tMult = reader.number('T_mult', POSITIVE_INTEGER);
    const tI = reader.number('T_i', PERIOD);
    const tCur = reader.number('T_cur', FINITE);
    const etaMin = reader.number('eta_min', FINITE);
    return () => {
      applyBase();
      this.t0 = t0;
      this.tMult = tMult;
      this.tI = tI;
      this.tCur = tCur;
      this.etaMin = etaMin;
    };
  }
}
