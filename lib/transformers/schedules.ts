/**
 * HuggingFace transformers' schedule functions (`transformers.optimization.get_*_schedule*`) in
 * TypeScript spelling. Each validates its options, builds transformers' lr lambda (./lambdas) and
 * returns this package's `LambdaLR` (or `ReduceLROnPlateau`), so the learning rates, the state dict
 * (`lr_lambdas: [{}]`, as PyTorch saves a `functools.partial`) and resuming from a state dict saved
 * by a transformers run are PyTorch's.
 *
 * Follows `src/transformers/optimization.py` of huggingface/transformers at commit
 * 005edacb6b5dabbf0843e92c6623de9e07ca6241 (argument handling, defaults, checks and messages),
 * translated to TypeScript. That file is: Copyright 2018 The Google AI Language Team Authors and The
 * HuggingFace Inc. team. Licensed under the Apache License, Version 2.0
 * (http://www.apache.org/licenses/LICENSE-2.0); distributed on an "AS IS" BASIS, WITHOUT WARRANTIES
 * OR CONDITIONS OF ANY KIND.
 */
import { InvalidArgumentError } from '../errors';
import { asOptimizer, type OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { LambdaLR } from '../schedulers/lambda-lr';
import { markCallableObject, markPure } from '../schedulers/lr-lambdas';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from '../schedulers/reduce-lr-on-plateau';
import { warn } from '../warnings';
import {
  constantLambda,
  constantWithWarmupLambda,
  cosineWithHardRestartsLambda,
  cosineWithMinLrLrRateLambda,
  cosineWithWarmupLambda,
  inverseSqrtLambda,
  linearWithWarmupLambda,
  polynomialDecayLambda,
  wsdLambda,
  type HfLrLambda,
  type WsdShape,
} from './lambdas';

/** `lastEpoch`, which every LambdaLR-returning function passes on. */
export interface LastEpochOption {
  /** The index of the last epoch (optimizer step) when resuming training. @default -1 */
  lastEpoch?: number;
}

export interface ConstantScheduleWithWarmupOptions extends LastEpochOption {
  /** The number of steps of the linear warmup from 0 (transformers `num_warmup_steps`). */
  numWarmupSteps: number;
}

export interface LinearScheduleWithWarmupOptions extends ConstantScheduleWithWarmupOptions {
  /** The total number of training steps (transformers `num_training_steps`). */
  numTrainingSteps: number;
}

export interface CosineScheduleWithWarmupOptions extends LinearScheduleWithWarmupOptions {
  /** The number of waves of the cosine; 0.5 decreases from the base lr to 0 along a half-cosine. @default 0.5 */
  numCycles?: number;
}

export interface CosineWithHardRestartsScheduleWithWarmupOptions extends LinearScheduleWithWarmupOptions {
  /** The number of cosine cycles, each restarting at the base lr (hard restarts). @default 1 */
  numCycles?: number;
}

export interface PolynomialDecayScheduleWithWarmupOptions extends LinearScheduleWithWarmupOptions {
  /** The learning rate reached at `numTrainingSteps` and kept after it. @default 1e-7 */
  lrEnd?: number;
  /** The power of the polynomial decay (1.0 is linear, as in BERT and fairseq). @default 1.0 */
  power?: number;
}

export interface InverseSqrtScheduleOptions extends ConstantScheduleWithWarmupOptions {
  /** The time scale of the decay; `null`/absent means `numWarmupSteps`, or 10000 when that is 0. @default null */
  timescale?: number | null;
}

export interface CosineWithMinLrScheduleWithWarmupOptions extends CosineScheduleWithWarmupOptions {
  /** The learning rate to reach at the end of the cosine (exactly one of `minLr`, `minLrRate`). @default null */
  minLr?: number | null;
  /** The same as a ratio of the optimizer's initial learning rate. @default null */
  minLrRate?: number | null;
}

export interface CosineWithMinLrScheduleWithWarmupLrRateOptions extends CosineWithMinLrScheduleWithWarmupOptions {
  /** The warmup's starting factor; `null`/absent: the warmup is `(step + 1) / numWarmupSteps`. @default null */
  warmupLrRate?: number | null;
}

export interface WsdScheduleOptions extends LastEpochOption {
  /** The number of steps of the warmup phase. */
  numWarmupSteps: number;
  /** The number of steps of the decay phase. */
  numDecaySteps: number;
  /** The total number of steps; the stable phase is what warmup and decay leave (`numStableSteps` wins when both are given). @default null */
  numTrainingSteps?: number | null;
  /** The number of steps of the stable phase. @default null */
  numStableSteps?: number | null;
  /** The shape of the warmup. @default 'linear' */
  warmupType?: WsdShape;
  /** The shape of the decay. @default 'cosine' */
  decayType?: WsdShape;
  /** The minimum learning rate as a ratio of the initial one (start of the warmup, end of the decay). @default 0 */
  minLrRatio?: number;
  /** The number of waves of a cosine decay. @default 0.5 */
  numCycles?: number;
}

const A_NUMBER = 'a number';
const A_FINITE_NUMBER = 'a finite number';
const notNaN = (n: number): boolean => !Number.isNaN(n);
const WSD_SHAPES: readonly WsdShape[] = ['linear', 'cosine', '1-sqrt'];

/**
 * The options object of a schedule function, checked for unknown keys (Python: unexpected keyword
 * argument); `usage` and `positional` as in `OptionChecker`.
 */
function checker(functionName: string, options: unknown, names: readonly string[], usage: string, positional?: string): OptionChecker {
  return new OptionChecker(functionName, options, usage, positional).known(names);
}

/** A step count (transformers types it int; Python accepts any number): a number, not NaN. */
function steps(check: OptionChecker, name: string, value: unknown, fallback?: number): number {
  return check.number(name, value, fallback, A_NUMBER, notNaN);
}

/** `None` in Python: `null` or absent. */
function isNone(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/**
 * transformers' `optimizer.defaults["lr"]`: the `lr` the PyTorch optimizer was built with, which is
 * the first param group's initial learning rate. Here: the first group's `initial_lr` when a
 * scheduler already set it (or a loaded optimizer state brought it), else its current `lr`.
 */
function defaultLr(check: OptionChecker, optimizer: OptimizerLike): number {
  const first = asOptimizer(optimizer).paramGroups[0];
  if (first === undefined) throw new InvalidArgumentError(`${check.className}: the optimizer has no param groups (transformers reads the first one's lr)`);
  return typeof first.initial_lr === 'number' ? first.initial_lr : first.lr;
}

/** transformers' `LambdaLR(optimizer, partial(...), last_epoch)`: a callable object, saved as `{}`. */
function partialLambdaLR(check: OptionChecker, optimizer: OptimizerLike, lambda: HfLrLambda, lastEpoch: unknown): LambdaLR {
  return new LambdaLR(optimizer, { lrLambda: markPure(markCallableObject(lambda)), lastEpoch: check.lastEpoch(lastEpoch) });
}

/**
 * A constant learning rate: the optimizer's own (transformers `get_constant_schedule`). Its lambda is a
 * plain function returning the int 1, so the state holds `lr_lambdas: [null]`.
 *
 * @example
 * const scheduler = getConstantSchedule(optimizer); // lr 0.001: 0.001, 0.001, ...
 */
export function getConstantSchedule(optimizer: OptimizerLike, options: LastEpochOption = {}): LambdaLR {
  const check = checker('getConstantSchedule', options, ['lastEpoch'], 'getConstantSchedule(optimizer)');
  return new LambdaLR(optimizer, { lrLambda: markPure(constantLambda()), lastEpoch: check.lastEpoch(options.lastEpoch) });
}

/**
 * A constant learning rate after a linear warmup from 0 over `numWarmupSteps` steps
 * (transformers `get_constant_schedule_with_warmup`): `lr = base_lr * min(step / numWarmupSteps, 1)`.
 *
 * @example
 * const scheduler = getConstantScheduleWithWarmup(optimizer, { numWarmupSteps: 4 }); // lr 0.1
 * // steps 0..5: 0, 0.025, 0.05, 0.075..., 0.1, 0.1
 */
export function getConstantScheduleWithWarmup(optimizer: OptimizerLike, options: ConstantScheduleWithWarmupOptions): LambdaLR {
  const check = checker('getConstantScheduleWithWarmup', options, ['numWarmupSteps', 'lastEpoch'], '{ numWarmupSteps: 100 }', 'numWarmupSteps');
  const numWarmupSteps = steps(check, 'numWarmupSteps', options.numWarmupSteps);
  return partialLambdaLR(check, optimizer, constantWithWarmupLambda(numWarmupSteps), options.lastEpoch);
}

/**
 * A linear warmup from 0 to the base lr over `numWarmupSteps`, then a linear decay to 0 at
 * `numTrainingSteps`, and 0 after it (transformers `get_linear_schedule_with_warmup`, the Trainer's
 * default `"linear"`).
 *
 * `lr = base_lr * (step < w ? step / max(1, w) : max(0, (T - step) / max(1, T - w)))`
 *
 * @example
 * const scheduler = getLinearScheduleWithWarmup(optimizer, { numWarmupSteps: 2, numTrainingSteps: 6 }); // lr 0.1
 * // steps 0..7: 0, 0.05, 0.1, 0.075..., 0.05, 0.025, 0, 0
 */
export function getLinearScheduleWithWarmup(optimizer: OptimizerLike, options: LinearScheduleWithWarmupOptions): LambdaLR {
  const check = checker(
    'getLinearScheduleWithWarmup',
    options,
    ['numWarmupSteps', 'numTrainingSteps', 'lastEpoch'],
    '{ numWarmupSteps: 100, numTrainingSteps: 1000 }',
  );
  const numWarmupSteps = steps(check, 'numWarmupSteps', options.numWarmupSteps);
  const numTrainingSteps = steps(check, 'numTrainingSteps', options.numTrainingSteps);
  return partialLambdaLR(check, optimizer, linearWithWarmupLambda(numWarmupSteps, numTrainingSteps), options.lastEpoch);
}

/**
 * A linear warmup, then a cosine from the base lr down to 0 over the remaining steps
 * (transformers `get_cosine_schedule_with_warmup`, the Trainer's `"cosine"`).
 *
 * `progress = (step - w) / max(1, T - w)`, `lr = base_lr * max(0, 0.5 * (1 + cos(pi * numCycles * 2 * progress)))`
 *
 * As in transformers, nothing clamps it past `numTrainingSteps`: with the default half cycle the
 * cosine rises again after the end (`numCycles` 0.5 reaches 0 exactly at `numTrainingSteps`).
 *
 * @example
 * const scheduler = getCosineScheduleWithWarmup(optimizer, { numWarmupSteps: 2, numTrainingSteps: 6 }); // lr 0.1
 * // steps 0..6: 0, 0.05, 0.1, 0.0853..., 0.05, 0.0146..., 0
 */
export function getCosineScheduleWithWarmup(optimizer: OptimizerLike, options: CosineScheduleWithWarmupOptions): LambdaLR {
  const check = checker(
    'getCosineScheduleWithWarmup',
    options,
    ['numWarmupSteps', 'numTrainingSteps', 'numCycles', 'lastEpoch'],
    '{ numWarmupSteps: 100, numTrainingSteps: 1000 }',
  );
  const numWarmupSteps = steps(check, 'numWarmupSteps', options.numWarmupSteps);
  const numTrainingSteps = steps(check, 'numTrainingSteps', options.numTrainingSteps);
  const numCycles = check.number('numCycles', options.numCycles, 0.5, A_FINITE_NUMBER, Number.isFinite);
  return partialLambdaLR(check, optimizer, cosineWithWarmupLambda(numWarmupSteps, numTrainingSteps, numCycles), options.lastEpoch);
}

/**
 * A linear warmup, then `numCycles` cosines from the base lr to 0, each restarting at the base lr,
 * and 0 from `numTrainingSteps` on (transformers `get_cosine_with_hard_restarts_schedule_with_warmup`,
 * the Trainer's `"cosine_with_restarts"`).
 *
 * `lr = base_lr * max(0, 0.5 * (1 + cos(pi * ((numCycles * progress) % 1))))` while `progress < 1`
 *
 * @example
 * const scheduler = getCosineWithHardRestartsScheduleWithWarmup(optimizer, { numWarmupSteps: 0, numTrainingSteps: 4, numCycles: 2 });
 * // lr 0.1, steps 0..4: 0.1, 0.05, 0.1, 0.05, 0
 */
export function getCosineWithHardRestartsScheduleWithWarmup(optimizer: OptimizerLike, options: CosineWithHardRestartsScheduleWithWarmupOptions): LambdaLR {
  const check = checker(
    'getCosineWithHardRestartsScheduleWithWarmup',
    options,
    ['numWarmupSteps', 'numTrainingSteps', 'numCycles', 'lastEpoch'],
    '{ numWarmupSteps: 100, numTrainingSteps: 1000, numCycles: 2 }',
  );
  const numWarmupSteps = steps(check, 'numWarmupSteps', options.numWarmupSteps);
  const numTrainingSteps = steps(check, 'numTrainingSteps', options.numTrainingSteps);
  const numCycles = check.number('numCycles', options.numCycles, 1, A_FINITE_NUMBER, Number.isFinite);
  return partialLambdaLR(check, optimizer, cosineWithHardRestartsLambda(numWarmupSteps, numTrainingSteps, numCycles), options.lastEpoch);
}

/**
 * A linear warmup, then a polynomial decay from the optimizer's initial lr `lrInit` to `lrEnd` at
 * `numTrainingSteps`, `lrEnd` after it (transformers `get_polynomial_decay_schedule_with_warmup`, the
 * Trainer's `"polynomial"`).
 *
 * `lr = base_lr * ((lrInit - lrEnd) * (1 - (step - w) / (T - w)) ** power + lrEnd) / lrInit`
 *
 * As in transformers, `lrInit` is `optimizer.defaults["lr"]` (here: the first param group's initial
 * lr) and the factor applies to every group's own base lr; `lrEnd` must be below `lrInit`.
 *
 * @example
 * const scheduler = getPolynomialDecayScheduleWithWarmup(optimizer, { numWarmupSteps: 0, numTrainingSteps: 4, lrEnd: 0.02 });
 * // lr 0.1, steps 0..5: 0.1, 0.08, 0.06, 0.04, 0.02, 0.02
 *
 * Differs from transformers: `numWarmupSteps` equal to `numTrainingSteps` throws at construction
 * (Python raises ZeroDivisionError at that step), and so does a negative `power` (Python raises
 * ZeroDivisionError at `numTrainingSteps`, `0.0 ** power`).
 */
export function getPolynomialDecayScheduleWithWarmup(optimizer: OptimizerLike, options: PolynomialDecayScheduleWithWarmupOptions): LambdaLR {
  const name = 'getPolynomialDecayScheduleWithWarmup';
  const check = checker(
    name,
    options,
    ['numWarmupSteps', 'numTrainingSteps', 'lrEnd', 'power', 'lastEpoch'],
    '{ numWarmupSteps: 100, numTrainingSteps: 1000, lrEnd: 1e-7, power: 1 }',
  );
  const numWarmupSteps = steps(check, 'numWarmupSteps', options.numWarmupSteps);
  const numTrainingSteps = steps(check, 'numTrainingSteps', options.numTrainingSteps);
  const lrEnd = check.number('lrEnd', options.lrEnd, 1e-7, A_NUMBER, notNaN);
  const power = check.number('power', options.power, 1.0, 'a number >= 0', (n) => n >= 0);
  const lrInit = defaultLr(check, optimizer);
  if (!(lrInit > lrEnd)) {
    throw new InvalidArgumentError(`${name}: lrEnd (${lrEnd}) must be smaller than initial lr (${lrInit})`);
  }
  if (numWarmupSteps === numTrainingSteps) {
    check.fail(
      'numWarmupSteps',
      `different from numTrainingSteps (transformers divides by numTrainingSteps - numWarmupSteps and raises ZeroDivisionError at step ${numTrainingSteps})`,
      numWarmupSteps,
    );
  }
  return partialLambdaLR(check, optimizer, polynomialDecayLambda(numWarmupSteps, numTrainingSteps, lrEnd, power, lrInit), options.lastEpoch);
}

/**
 * A linear warmup, then an inverse square-root decay from the base lr (transformers
 * `get_inverse_sqrt_schedule`, the Trainer's `"inverse_sqrt"`, after big_vision):
 * `lr = base_lr / sqrt((step + timescale - w) / timescale)`.
 *
 * @example
 * const scheduler = getInverseSqrtSchedule(optimizer, { numWarmupSteps: 4 }); // lr 0.1, timescale 4
 * // steps 0..8: 0, 0.025, 0.05, 0.075..., 0.1, 0.0894..., 0.0816..., 0.0755..., 0.0707...
 *
 * Differs from transformers: a `timescale` that is not positive throws at construction (Python
 * divides by it, or takes the square root of a negative number, at a later step).
 */
export function getInverseSqrtSchedule(optimizer: OptimizerLike, options: InverseSqrtScheduleOptions): LambdaLR {
  const check = checker('getInverseSqrtSchedule', options, ['numWarmupSteps', 'timescale', 'lastEpoch'], '{ numWarmupSteps: 100 }', 'numWarmupSteps');
  const numWarmupSteps = steps(check, 'numWarmupSteps', options.numWarmupSteps);
  let timescale: number;
  if (isNone(options.timescale)) {
    // Python's `num_warmup_steps or 10_000`: 0 is falsy.
    timescale = numWarmupSteps !== 0 ? numWarmupSteps : 10_000;
  } else {
    timescale = check.number('timescale', options.timescale, undefined, 'a positive number or null', (n) => n > 0);
  }
  if (!(timescale > 0)) check.fail('numWarmupSteps', 'a number >= 0 when timescale is null (it becomes the timescale)', numWarmupSteps);
  return partialLambdaLR(check, optimizer, inverseSqrtLambda(numWarmupSteps, timescale), options.lastEpoch);
}

/** transformers' `min_lr` / `min_lr_rate` pair: exactly one is set; `min_lr` becomes `min_lr / defaults["lr"]`. */
function minLrRateOf(check: OptionChecker, optimizer: OptimizerLike, options: CosineWithMinLrScheduleWithWarmupOptions): number {
  const { minLr, minLrRate } = options;
  if (!isNone(minLr) && !isNone(minLrRate)) {
    throw new InvalidArgumentError(`${check.className}: Only one of minLr or minLrRate should be set`);
  }
  if (!isNone(minLr)) {
    const value = check.number('minLr', minLr, undefined, A_FINITE_NUMBER, Number.isFinite);
    const lr = defaultLr(check, optimizer);
    if (lr === 0) check.fail('minLr', 'given only with a non-zero initial lr (it is divided by the initial lr)', value, 'ZeroDivisionError');
    return value / lr;
  }
  if (isNone(minLrRate)) {
    throw new InvalidArgumentError(`${check.className}: One of minLr or minLrRate should be set through the \`lr_scheduler_kwargs\``);
  }
  return check.number('minLrRate', minLrRate, undefined, A_FINITE_NUMBER, Number.isFinite);
}

/**
 * A linear warmup, then a cosine from the base lr down to `minLr` (transformers
 * `get_cosine_with_min_lr_schedule_with_warmup`, the Trainer's `"cosine_with_min_lr"`):
 * `factor = 0.5 * (1 + cos(pi * numCycles * 2 * progress))`, `lr = base_lr * max(0, factor * (1 - minLrRate) + minLrRate)`.
 *
 * Give exactly one of `minLr` (divided by `optimizer.defaults["lr"]`, here the first group's initial lr)
 * and `minLrRate`. Not clamped past `numTrainingSteps`.
 *
 * @example
 * const scheduler = getCosineWithMinLrScheduleWithWarmup(optimizer, { numWarmupSteps: 0, numTrainingSteps: 2, minLrRate: 0.1 });
 * // lr 0.1, steps 0..2: 0.1, 0.055..., 0.01...
 */
export function getCosineWithMinLrScheduleWithWarmup(optimizer: OptimizerLike, options: CosineWithMinLrScheduleWithWarmupOptions): LambdaLR {
  const check = checker(
    'getCosineWithMinLrScheduleWithWarmup',
    options,
    ['numWarmupSteps', 'numTrainingSteps', 'numCycles', 'lastEpoch', 'minLr', 'minLrRate'],
    '{ numWarmupSteps: 100, numTrainingSteps: 1000, minLrRate: 0.1 }',
  );
  const numWarmupSteps = steps(check, 'numWarmupSteps', options.numWarmupSteps);
  const numTrainingSteps = steps(check, 'numTrainingSteps', options.numTrainingSteps);
  const numCycles = check.number('numCycles', options.numCycles, 0.5, A_FINITE_NUMBER, Number.isFinite);
  const minLrRate = minLrRateOf(check, optimizer, options);
  return partialLambdaLR(check, optimizer, cosineWithWarmupLambda(numWarmupSteps, numTrainingSteps, numCycles, minLrRate), options.lastEpoch);
}

/**
 * The variant of `getCosineWithMinLrScheduleWithWarmup` the Trainer calls `"cosine_warmup_with_min_lr"`
 * (transformers `get_cosine_with_min_lr_schedule_with_warmup_lr_rate`): its warmup is
 * `(step + 1) / max(1, w)`, or rises from `warmupLrRate` to 1 when that is given, and its cosine's
 * progress is `(step - w + 1) / max(1, T - w)`, so the first step after the warmup is already below the base lr.
 *
 * @example
 * const scheduler = getCosineWithMinLrScheduleWithWarmupLrRate(optimizer, { numWarmupSteps: 2, numTrainingSteps: 4, minLrRate: 0 });
 * // lr 0.1, steps 0..4: 0.05, 0.1, 0.05, 0, 0.0499...
 */
export function getCosineWithMinLrScheduleWithWarmupLrRate(optimizer: OptimizerLike, options: CosineWithMinLrScheduleWithWarmupLrRateOptions): LambdaLR {
  const check = checker('getCosineWithMinLrScheduleWithWarmupLrRate', options, [
    'numWarmupSteps', 'numTrainingSteps', 'numCycles', 'lastEpoch', 'minLr', 'minLrRate', 'warmupLrRate',
  ], '{ numWarmupSteps: 100, numTrainingSteps: 1000, minLrRate: 0.1 }');
  const numWarmupSteps = steps(check, 'numWarmupSteps', options.numWarmupSteps);
  const numTrainingSteps = steps(check, 'numTrainingSteps', options.numTrainingSteps);
  const numCycles = check.number('numCycles', options.numCycles, 0.5, A_FINITE_NUMBER, Number.isFinite);
  const minLrRate = minLrRateOf(check, optimizer, options);
  const warmupLrRate = isNone(options.warmupLrRate) ? null : check.number('warmupLrRate', options.warmupLrRate, undefined, A_FINITE_NUMBER, Number.isFinite);
  const lambda = cosineWithMinLrLrRateLambda(numWarmupSteps, numTrainingSteps, numCycles, minLrRate, warmupLrRate);
  return partialLambdaLR(check, optimizer, lambda, options.lastEpoch);
}

/**
 * Warmup, stable, decay (transformers `get_wsd_schedule`, the Trainer's `"warmup_stable_decay"`): from
 * `minLrRatio` up to 1 over `numWarmupSteps` (`warmupType` linear, cosine or 1-sqrt), 1 for
 * `numStableSteps`, down to `minLrRatio` over `numDecaySteps` (`decayType`), then `minLrRatio`.
 *
 * Give `numStableSteps`, or `numTrainingSteps` (the stable phase is then
 * `numTrainingSteps - numWarmupSteps - numDecaySteps`); with both, transformers warns and uses
 * `numStableSteps`.
 *
 * @example
 * const scheduler = getWsdSchedule(optimizer, { numWarmupSteps: 2, numDecaySteps: 2, numStableSteps: 2, decayType: 'linear' });
 * // lr 0.1, steps 0..7: 0, 0.05, 0.1, 0.1, 0.1, 0.05, 0, 0
 */
export function getWsdSchedule(optimizer: OptimizerLike, options: WsdScheduleOptions): LambdaLR {
  const check = checker('getWsdSchedule', options, [
    'numWarmupSteps', 'numDecaySteps', 'numTrainingSteps', 'numStableSteps', 'warmupType', 'decayType', 'minLrRatio', 'numCycles', 'lastEpoch',
  ], '{ numWarmupSteps: 100, numDecaySteps: 200, numTrainingSteps: 1000 }');
  const numWarmupSteps = steps(check, 'numWarmupSteps', options.numWarmupSteps);
  const numDecaySteps = steps(check, 'numDecaySteps', options.numDecaySteps);
  const numTrainingSteps = isNone(options.numTrainingSteps) ? null : steps(check, 'numTrainingSteps', options.numTrainingSteps);
  const givenStableSteps = isNone(options.numStableSteps) ? null : steps(check, 'numStableSteps', options.numStableSteps);
  const minLrRatio = check.number('minLrRatio', options.minLrRatio, 0, A_FINITE_NUMBER, Number.isFinite);
  const numCycles = check.number('numCycles', options.numCycles, 0.5, A_FINITE_NUMBER, Number.isFinite);
  if (numTrainingSteps === null && givenStableSteps === null) {
    throw new InvalidArgumentError('getWsdSchedule: Either numTrainingSteps or numStableSteps must be specified.');
  }
  if (numTrainingSteps !== null && givenStableSteps !== null) {
    warn('Both numTrainingSteps and numStableSteps are specified. numStableSteps will be used.');
  }
  const warmupType = options.warmupType ?? 'linear';
  if (!WSD_SHAPES.includes(warmupType)) {
    throw new InvalidArgumentError(`getWsdSchedule: Unknown warmup type: ${String(warmupType)}, expected 'linear', 'cosine' or '1-sqrt'`);
  }
  const decayType = options.decayType ?? 'cosine';
  if (!WSD_SHAPES.includes(decayType)) {
    throw new InvalidArgumentError(`getWsdSchedule: Unknown decay type: ${String(decayType)}, expected 'linear', 'cosine' or '1-sqrt'`);
  }
  const numStableSteps = givenStableSteps ?? (numTrainingSteps as number) - numWarmupSteps - numDecaySteps;
  const lambda = wsdLambda({ numWarmupSteps, numStableSteps, numDecaySteps }, warmupType, decayType, minLrRatio, numCycles);
  return partialLambdaLR(check, optimizer, lambda, options.lastEpoch);
}

/**
 * transformers' `get_reduce_on_plateau_schedule(optimizer, **kwargs)`: a `ReduceLROnPlateau` with
 * these options (the Trainer's `"reduce_lr_on_plateau"`; step it with the metric).
 */
export function getReduceOnPlateauSchedule(optimizer: OptimizerLike, options: ReduceLROnPlateauOptions = {}): ReduceLROnPlateau {
  return new ReduceLROnPlateau(optimizer, options);
}
