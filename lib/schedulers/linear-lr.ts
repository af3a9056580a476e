/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.LinearLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { InvalidArgumentError, PythonArithmeticError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import type { OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { encodeFloat } from '../state/encoding';
import type { StateReader, SchedulerState } from '../state/state-reader';
import { NOT_NAN } from '../state/rules';
import { POSITIVE_UNIT_FACTOR, UNIT_FACTOR } from './factors';

export interface LinearLROptions {
  /** The factor at epoch 0, in (0, 1]. @default 1 / 3 */
  startFactor?: number;
  /** The factor reached at `totalIters`, in [0, 1]. @default 1 */
  endFactor?: number;
  /** The number of epochs over which the factor moves from `startFactor` to `endFactor`. @default 5 */
  totalIters?: number;
  /** Index of the last epoch when resuming. @default -1 */
  lastEpoch?: number;
}

const START_FACTOR_MESSAGE = 'LinearLR: Starting multiplicative factor expected to be greater than 0 and less or equal to 1.';
const END_FACTOR_MESSAGE = 'LinearLR: Ending multiplicative factor expected to be between 0 and 1.';

/**
 * Moves each group's learning-rate factor linearly from `startFactor` to `endFactor` over
 * `totalIters` epochs.
 *
 * `lr = initial_lr * (startFactor + (endFactor - startFactor) * min(totalIters, epoch) / totalIters)`
 *
 * @example
 * const scheduler = new LinearLR(optimizer, { startFactor: 0.5, totalIters: 2 }); // initial lr 1
 * // epoch 0: 0.5, 1: 0.75, 2 and later: 1
 *
 * `totalIters` 0 is legal as in PyTorch: the chainable steps keep `initial_lr * startFactor`
 * forever, and `step(epoch)` raises ZeroDivisionError (PyTorch's closed form divides by it).
 *
 * Differs from PyTorch: a NaN `startFactor`, `endFactor` or `totalIters` throws at construction
 * (PyTorch's range checks let NaN through; each can only produce NaN learning rates), and
 * `loadStateDict()` applies the same rules.
 */
export class LinearLR extends LRScheduler {
  static override readonly className = 'LinearLR';
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: OptimizerLike, options: LinearLROptions = {}) {
    const usage = '{ startFactor: 0.25, totalIters: 4 }';
    const check = new OptionChecker('LinearLR', options, usage, 'startFactor').known(['startFactor', 'endFactor', 'totalIters', 'lastEpoch']);
    const startFactor = check.number('startFactor', options.startFactor, 1.0 / 3);
    if (startFactor > 1.0 || startFactor <= 0) throw new InvalidArgumentError(START_FACTOR_MESSAGE);
    if (!POSITIVE_UNIT_FACTOR.test(startFactor)) check.fail('startFactor', POSITIVE_UNIT_FACTOR.expected, startFactor);
    const endFactor = check.number('endFactor', options.endFactor, 1.0);
    if (endFactor > 1.0 || endFactor < 0) throw new InvalidArgumentError(END_FACTOR_MESSAGE);
    if (!UNIT_FACTOR.test(endFactor)) check.fail('endFactor', UNIT_FACTOR.expected, endFactor);
    const totalIters = check.number('totalIters', options.totalIters, 5, NOT_NAN);
    super(optimizer, check.lastEpoch(options.lastEpoch));
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const groups = this.groups;
    const lrs = this.nextLrs;
    if (this.lastEpoch === 0) {
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr * this.startFactor;
      return lrs;
    }
    if (this.isInitial || this.lastEpoch > this.totalIters) {
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr;
      return lrs;
    }
    const denominator = this.totalIters * this.startFactor + (this.lastEpoch - 1) * (this.endFactor - this.startFactor);
    // Reached only after a negative step(epoch) (or such a loaded state); Python raises there.
    if (denominator === 0) throw new PythonArithmeticError('float division by zero', 'ZeroDivisionError');
    const multiplier = 1.0 + (this.endFactor - this.startFactor) / denominator;
    for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr * multiplier;
    return lrs;
  }

  protected override closedFormLr(): readonly number[] {
    if (this.totalIters === 0) throw new PythonArithmeticError('float division by zero', 'ZeroDivisionError');
    // Python's min(total_iters, last_epoch): total_iters unless last_epoch is strictly smaller.
    const epoch = this.lastEpoch < this.totalIters ? this.lastEpoch : this.totalIters;
    const multiplier = this.startFactor + ((this.endFactor - this.startFactor) * epoch) / this.totalIters;
    const lrs = this.nextLrs;
    for (let i = 0; i < lrs.length; i++) lrs[i] = this.baseLrs[i] * multiplier;
    return lrs;
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state.start_factor = encodeFloat(this.startFactor);
    state.end_factor = encodeFloat(this.endFactor);
    state.total_iters = encodeFloat(this.totalIters);
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const startFactor = reader.number('start_factor', POSITIVE_UNIT_FACTOR);
    const endFactor = reader.number('end_factor', UNIT_FACTOR);
    const totalIters = reader.number('total_iters', NOT_NAN);
    return () => {
      applyBase();
      this.startFactor = startFactor;
      this.endFactor = endFactor;
      this.totalIters = totalIters;
    };
  }
}
