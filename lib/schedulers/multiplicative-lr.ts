/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.MultiplicativeLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { LRScheduler } from '../lr-scheduler';
import type { OptimizerLike } from '../optim/optimizer-view';
import type { StateReader, SchedulerState } from '../state/state-reader';
import { checkLrLambdaOptions, checkedFactor, readLrLambdas, writeLrLambdas, type LrLambda } from './lr-lambdas';

export interface MultiplicativeLROptions {
  /**
   * A function of the epoch giving the factor each step multiplies the current learning rate by,
   * or a list of such functions, one per param group (PyTorch `lr_lambda`).
   */
  lrLambda: LrLambda | readonly LrLambda[];
  /** Index of the last epoch when resuming. @default -1 */
  lastEpoch?: number;
}

/**
 * Multiplies each group's learning rate by a function of the epoch, every step.
 *
 * `lr_epoch = lr_(epoch-1) * lrLambda(epoch)`; construction leaves the learning rates as they are.
 *
 * @example
 * const scheduler = new MultiplicativeLR(optimizer, { lrLambda: () => 0.5 }); // initial lr 0.1
 * // epoch 0: 0.1, 1: 0.05, 2: 0.025, 3: 0.0125, ...
 *
 * Differs from PyTorch: the state dict stores `null` for every lambda (TypeScript functions carry
 * no attributes to save); loading accepts `null` or an object per lambda and keeps the live
 * lambdas. A lambda that returns something other than a number throws a TypeError-typed error
 * naming the class, the group and the value (PyTorch raises a TypeError too; the step's
 * `lastEpoch` has advanced, as in PyTorch, and no learning rate is written).
 */
export class MultiplicativeLR extends LRScheduler {
  static override readonly className = 'MultiplicativeLR';
  /** PyTorch's `lr_lambdas`: one function per param group. */
  readonly lrLambdas: readonly LrLambda[];

  constructor(optimizer: OptimizerLike, options: MultiplicativeLROptions) {
    const { lrLambdas, lastEpoch } = checkLrLambdaOptions(
      'MultiplicativeLR',
      optimizer,
      options,
      (typeName) => `lrLambda should be a function, but got ${typeName}`,
      '{ lrLambda: () => 0.95 }',
    );
    super(optimizer, lastEpoch);
    this.lrLambdas = lrLambdas;
    this.initialStep();
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const groups = this.groups;
    const lrs = this.nextLrs;
    // Only the constructor's initial step keeps the lrs; any later step multiplies, also at
    // lastEpoch 0 (after step(-1)) and with step(epoch) (there is no closed form).
    if (this.isInitial) {
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr;
    } else {
      const lambdas = this.lrLambdas;
      for (let i = 0; i < groups.length; i++) {
        lrs[i] = groups[i].lr * checkedFactor('MultiplicativeLR', i, this.lastEpoch, lambdas[i](this.lastEpoch));
      }
    }
    return lrs;
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state.lr_lambdas = writeLrLambdas(this.lrLambdas);
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    readLrLambdas(reader, this.lrLambdas.length);
    return applyBase;
  }
}
