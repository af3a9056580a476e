/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.LambdaLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { LRScheduler } from '../lr-scheduler';
import type { OptimizerLike } from '../optim/optimizer-view';
import type { StateReader, SchedulerState } from '../state/state-reader';
import { checkLrLambdaOptions, checkedFactor, readLrLambdas, sharedPureLambda, stillShared, writeLrLambdas, type LrLambda } from './lr-lambdas';

export interface LambdaLROptions {
  /**
   * A function of the epoch giving the factor applied to the initial learning rate, or a list of
   * such functions, one per param group (PyTorch `lr_lambda`).
   */
  lrLambda: LrLambda | readonly LrLambda[];
  /** Index of the last epoch when resuming. @default -1 */
  lastEpoch?: number;
}

/**
 * Sets each group's learning rate to its initial learning rate times a function of the epoch.
 *
 * `lr = initial_lr * lrLambda(epoch)`
 *
 * @example
 * // Python's `lambda epoch: 0.95 ** epoch` (pymath.pow is Python's `**`, bit for bit)
 * const scheduler = new LambdaLR(optimizer, { lrLambda: (epoch) => pymath.pow(0.95, epoch) }); // initial lr 0.1
 * // epoch 0: 0.1, 1: 0.095, 2: 0.09025, 3: 0.0857375, ...
 *
 * Differs from PyTorch: a `lrLambda` that is not a function throws a TypeError at construction
 * (PyTorch raises "'float' object is not callable" in the constructor's initial step, after
 * writing `initial_lr` into the groups). The state dict stores `null` for every lambda
 * (TypeScript functions carry no attributes to save; transformers' schedule functions' lambdas
 * store `{}`, as PyTorch does for their `functools.partial`); loading accepts `null` or an object
 * per lambda and keeps the live lambdas. A lambda that returns something other than a number throws
 * a TypeError-typed error naming the class, the group and the value (PyTorch raises a TypeError too;
 * the step's `lastEpoch` has advanced, as in PyTorch, and no learning rate is written).
 */
export class LambdaLR extends LRScheduler {
  static override readonly className = 'LambdaLR';
  /** PyTorch's `lr_lambdas`: one function per param group. */
  readonly lrLambdas: readonly LrLambda[];
  /** The lambda of every group when it is one of this package's pure lambdas (see `markPure`), else null. */
  private readonly sharedLambda: LrLambda | null;

  constructor(optimizer: OptimizerLike, options: LambdaLROptions) {
    const { lrLambdas, lastEpoch } = checkLrLambdaOptions(
      'LambdaLR',
      optimizer,
      options,
      (typeName) => `option "lrLambda" must be a function or a list of functions, got ${typeName} ('${typeName}' object is not callable)`,
      '{ lrLambda: (epoch) => 1 / (epoch + 1) }',
    );
    super(optimizer, lastEpoch);
    this.lrLambdas = lrLambdas;
    this.sharedLambda = sharedPureLambda(lrLambdas);
    this.initialStep();
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const lrs = this.nextLrs;
    const epoch = this.lastEpoch;
    const lambdas = this.lrLambdas;
    const shared = this.sharedLambda;
    // one call for every group when they share one of the package's pure lambdas
    if (stillShared(lambdas, shared)) {
      const factor = checkedFactor('LambdaLR', 0, epoch, shared(epoch));
      for (let i = 0; i < lrs.length; i++) lrs[i] = this.baseLrs[i] * factor;
    } else {
      for (let i = 0; i < lrs.length; i++) lrs[i] = this.baseLrs[i] * checkedFactor('LambdaLR', i, epoch, lambdas[i](epoch));
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
