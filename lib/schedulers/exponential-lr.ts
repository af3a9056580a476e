/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.ExponentialLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { LRScheduler } from '../lr-scheduler';
import { pow } from '../math';
import type { OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { encodeFloat } from '../state/encoding';
import { FINITE } from '../state/rules';
import type { StateReader, SchedulerState } from '../state/state-reader';

export interface ExponentialLROptions {
  /** Multiplicative factor of decay, applied every epoch. */
  gamma: number;
  /** Index of the last epoch when resuming. @default -1 */
  lastEpoch?: number;
}

/**
 * Decays each group's learning rate by `gamma` every epoch.
 *
 * `lr = initial_lr * gamma ** epoch`
 *
 * @example
 * const scheduler = new ExponentialLR(optimizer, { gamma: 0.5 }); // initial lr 0.1
 * // epoch 0: 0.1, 1: 0.05, 2: 0.025, 3: 0.0125, ...
 *
 * Differs from PyTorch: a NaN or infinite `gamma`, which can only produce NaN or infinite learning
 * rates, is rejected (by the constructor and by `loadStateDict()`).
 */
export class ExponentialLR extends LRScheduler {
  static override readonly className = 'ExponentialLR';
  gamma: number;

  constructor(optimizer: OptimizerLike, options: ExponentialLROptions) {
    const check = new OptionChecker('ExponentialLR', options, '{ gamma: 0.9 }', 'gamma').known(['gamma', 'lastEpoch']);
    const gamma = check.number('gamma', options.gamma, undefined, FINITE);
    super(optimizer, check.lastEpoch(options.lastEpoch));
    this.gamma = gamma;
    this.initialStep();
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const groups = this.groups;
    const lrs = this.nextLrs;
    // The constructor's initial step keeps the lrs (a resumed scheduler must not decay twice).
    if (this.isInitial) {
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr;
    } else {
      const gamma = this.gamma;
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr * gamma;
    }
    return lrs;
  }

  protected override closedFormLr(): readonly number[] {
    const factor = pow(this.gamma, this.lastEpoch);
    const lrs = this.nextLrs;
    for (let i = 0; i < lrs.length; i++) lrs[i] = this.baseLrs[i] * factor;
    return lrs;
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state.gamma = encodeFloat(this.gamma);
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const gamma = reader.number('gamma', FINITE);
    return () => {
      applyBase();
      this.gamma = gamma;
    };
  }
}
