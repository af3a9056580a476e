/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.ConstantLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { InvalidArgumentError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import type { OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { encodeFloat } from '../state/encoding';
import type { StateReader, SchedulerState } from '../state/state-reader';
import { POSITIVE_UNIT_FACTOR } from './factors';

export interface ConstantLROptions {
  /** The factor the learning rate is multiplied by until `totalIters`, in (0, 1]. @default 1 / 3 */
  factor?: number;
  /** The number of epochs the factor applies. @default 5 */
  totalIters?: number;
  /** Index of the last epoch when resuming. @default -1 */
  lastEpoch?: number;
}

/**
 * Multiplies each group's learning rate by a constant factor until the epoch reaches `totalIters`.
 *
 * `lr = initial_lr * factor` for `epoch < totalIters`, `initial_lr` afterwards
 *
 * @example
 * const scheduler = new ConstantLR(optimizer, { factor: 0.5, totalIters: 4 }); // initial lr 0.05
 * // epochs 0-3: 0.025, 4 and later: 0.05
 *
 * Differs from PyTorch: `factor` 0 throws at construction (PyTorch accepts it and raises
 * ZeroDivisionError at the step that reaches `totalIters`, where it divides by the factor), and so
 * does a NaN `factor` (PyTorch's range check lets NaN through; it can only produce NaN learning
 * rates). `loadStateDict()` applies the same rule to `factor`.
 */
export class ConstantLR extends LRScheduler {
  static override readonly className = 'ConstantLR';
  factor: number;
  totalIters: number;

  constructor(optimizer: OptimizerLike, options: ConstantLROptions = {}) {
    const check = new OptionChecker('ConstantLR', options, '{ factor: 0.5, totalIters: 4 }', 'factor').known(['factor', 'totalIters', 'lastEpoch']);
    const factor = check.number('factor', options.factor, 1.0 / 3);
    if (factor > 1.0 || factor < 0) {
      throw new InvalidArgumentError('ConstantLR: Constant multiplicative factor expected to be between 0 and 1.');
    }
    if (factor === 0) {
      throw new InvalidArgumentError(
        'ConstantLR: option "factor" must not be 0: the learning rate is divided by it when the epoch reaches ' +
          'totalIters (PyTorch raises ZeroDivisionError there)',
      );
    }
    if (!POSITIVE_UNIT_FACTOR.test(factor)) check.fail('factor', POSITIVE_UNIT_FACTOR.expected, factor);
    const totalIters = check.number('totalIters', options.totalIters, 5);
    super(optimizer, check.lastEpoch(options.lastEpoch));
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const groups = this.groups;
    const lrs = this.nextLrs;
    if (this.lastEpoch === 0) {
      const factor = this.factor;
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr * factor;
    } else if (this.lastEpoch !== this.totalIters) {
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr;
    } else {
      const factor = this.factor;
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr * (1.0 / factor);
    }
    return lrs;
  }

  protected override closedFormLr(): readonly number[] {
    // PyTorch: factor + (last_epoch >= total_iters) * (1 - factor), a bool times a float.
    const reached = this.lastEpoch >= this.totalIters ? 1 : 0;
    const multiplier = this.factor + reached * (1 - this.factor);
    const lrs = this.nextLrs;
    for (let i = 0; i < lrs.length; i++) lrs[i] = this.baseLrs[i] * multiplier;
    return lrs;
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state.factor = encodeFloat(this.factor);
    state.total_iters = encodeFloat(this.totalIters);
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const factor = reader.number('factor', POSITIVE_UNIT_FACTOR);
    const totalIters = reader.number('total_iters');
    return () => {
      applyBase();
      this.factor = factor;
      this.totalIters = totalIters;
    };
  }
}
