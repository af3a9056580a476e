/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.StepLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { LRScheduler } from '../lr-scheduler';
import { floorDiv, pow } from '../math';
import type { OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { encodeFloat } from '../state/encoding';
import { FINITE, NON_ZERO } from '../state/rules';
import type { StateReader, SchedulerState } from '../state/state-reader';

export interface StepLROptions {
  /** Period of learning-rate decay, in epochs (PyTorch `step_size`; a fractional period is legal). */
  stepSize: number;
  /** Multiplicative factor of decay. @default 0.1 */
  gamma?: number;
  /** Index of the last epoch when resuming. @default -1 */
  lastEpoch?: number;
}

/**
 * Decays each group's learning rate by `gamma` every `stepSize` epochs.
 *
 * `lr = initial_lr * gamma ** floor(epoch / stepSize)`
 *
 * @example
 * const scheduler = new StepLR(optimizer, { stepSize: 30, gamma: 0.1 }); // initial lr 0.05
 * // epochs 0-29: 0.05, 30-59: 0.005, 60-89: 0.0005, ...
 *
 * Differs from PyTorch: `stepSize` 0 throws at construction (PyTorch raises ZeroDivisionError at
 * the first step); a NaN or infinite `gamma`, which can only produce NaN or infinite learning rates,
 * is rejected (by the constructor and by `loadStateDict()`).
 */
export class StepLR extends LRScheduler {
  static override readonly className = 'StepLR';
  stepSize: number;
  gamma: number;

  constructor(optimizer: OptimizerLike, options: StepLROptions) {
    const check = new OptionChecker('StepLR', options, '{ stepSize: 30 }', 'stepSize').known(['stepSize', 'gamma', 'lastEpoch']);
    const stepSize = check.number('stepSize', options.stepSize, undefined, NON_ZERO);
    const gamma = check.number('gamma', options.gamma, 0.1, FINITE);
    super(optimizer, check.lastEpoch(options.lastEpoch));
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const groups = this.groups;
    const lrs = this.nextLrs;
    // Python's `last_epoch % step_size == 0`: its `%` is 0 exactly when JavaScript's is (it only
    // adds the divisor to a non-zero remainder of the other sign), and stepSize is never 0.
    if (this.lastEpoch !== 0 && this.lastEpoch % this.stepSize === 0) {
      const gamma = this.gamma;
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr * gamma;
    } else {
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr;
    }
    return lrs;
  }

  protected override closedFormLr(): readonly number[] {
    const factor = pow(this.gamma, floorDiv(this.lastEpoch, this.stepSize));
    const lrs = this.nextLrs;
    for (let i = 0; i < lrs.length; i++) lrs[i] = this.baseLrs[i] * factor;
    return lrs;
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state.step_size = encodeFloat(this.stepSize);
    state.gamma = encodeFloat(this.gamma);
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const stepSize = reader.number('step_size', NON_ZERO);
    const gamma = reader.number('gamma', FINITE);
    return () => {
      applyBase();
      this.stepSize = stepSize;
      this.gamma = gamma;
    };
  }
}
