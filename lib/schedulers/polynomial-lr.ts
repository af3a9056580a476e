/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.PolynomialLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { PythonArithmeticError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import { pow } from '../math';
import type { OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { encodeFloat } from '../state/encoding';
import { NOT_NAN, numberRule } from '../state/rules';
import type { StateReader, SchedulerState } from '../state/state-reader';

/** `power`: >= 0 (a negative power raises ZeroDivisionError once the epoch reaches totalIters; NaN gives NaN). */
const POWER = numberRule('a number >= 0', (n) => n >= 0);

export interface PolynomialLROptions {
  /** The number of epochs over which the learning rate decays to 0. @default 5 */
  totalIters?: number;
  /** The power of the polynomial, >= 0. @default 1 */
  power?: number;
  /** Index of the last epoch when resuming. @default -1 */
  lastEpoch?: number;
}

/**
 * Decays each group's learning rate to 0 over `totalIters` epochs along a polynomial.
 *
 * `lr = initial_lr * (1 - min(totalIters, epoch) / totalIters) ** power`
 *
 * @example
 * const scheduler = new PolynomialLR(optimizer, { totalIters: 4, power: 2 }); // initial lr 1
 * // epoch 0: 1, 1: 0.5625, 2: 0.25, 3: 0.0625, 4 and later: 0
 *
 * `totalIters` 0 is legal as in PyTorch: the chainable steps keep the learning rates, and
 * `step(epoch)` raises ZeroDivisionError (PyTorch's closed form divides by it).
 *
 * Differs from PyTorch: a negative `power` throws at construction (PyTorch accepts it and raises
 * ZeroDivisionError, `0.0 ** power`, at the step that reaches `totalIters`); a NaN `power` or
 * `totalIters`, which can only produce NaN learning rates, is rejected. `loadStateDict()` applies
 * the same rules.
 */
export class PolynomialLR extends LRScheduler {
  static override readonly className = 'PolynomialLR';
  totalIters: number;
  power: number;

  constructor(optimizer: OptimizerLike, options: PolynomialLROptions = {}) {
    const check = new OptionChecker('PolynomialLR', options, '{ totalIters: 10, power: 2 }', 'totalIters').known(['totalIters', 'power', 'lastEpoch']);
    const totalIters = check.number('totalIters', options.totalIters, 5, NOT_NAN);
    const power = check.number('power', options.power, 1.0);
    if (power < 0) {
      check.fail('power', 'a number >= 0 (a negative power raises ZeroDivisionError once the epoch reaches totalIters)', power);
    }
    if (!POWER.test(power)) check.fail('power', POWER.expected, power);
    super(optimizer, check.lastEpoch(options.lastEpoch));
    this.totalIters = totalIters;
    this.power = power;
    this.initialStep();
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const groups = this.groups;
    const lrs = this.nextLrs;
    if (this.isInitial || this.lastEpoch > this.totalIters) {
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr;
      return lrs;
    }
    // Reached with lastEpoch <= 0 outside the initial step (direct getLr(), loaded state); Python raises too.
    if (this.totalIters === 0) throw new PythonArithmeticError('division by zero', 'ZeroDivisionError');
    const decayFactor = pow(
      (1.0 - this.lastEpoch / this.totalIters) / (1.0 - (this.lastEpoch - 1) / this.totalIters),
      this.power,
    );
    for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr * decayFactor;
    return lrs;
  }

  protected override closedFormLr(): readonly number[] {
    if (this.totalIters === 0) throw new PythonArithmeticError('division by zero', 'ZeroDivisionError');
    // Python's min(total_iters, last_epoch): total_iters unless last_epoch is strictly smaller.
    const epoch = this.lastEpoch < this.totalIters ? this.lastEpoch : this.totalIters;
    const factor = pow(1.0 - epoch / this.totalIters, this.power);
    const lrs = this.nextLrs;
    for (let i = 0; i < lrs.length; i++) lrs[i] = this.baseLrs[i] * factor;
    return lrs;
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state.total_iters = encodeFloat(this.totalIters);
    state.power = encodeFloat(this.power);
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const totalIters = reader.number('total_iters', NOT_NAN);
    const power = reader.number('power', POWER);
    return () => {
      applyBase();
      this.totalIters = totalIters;
      this.power = power;
    };
  }
}
