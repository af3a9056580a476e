/**
 * Class name -> constructor, and `createScheduler(optimizer, type, args)`, which takes PyTorch's
 * class name and snake_case keyword arguments so a Python constructor call ports by copy-paste.
 * Schedule functions (HuggingFace transformers' `get_*_schedule*`) are registered beside the
 * classes under their Python names.
 */
import { InvalidArgumentError } from './errors';
import type { LRScheduler } from './lr-scheduler';
import type { OptimizerLike } from './optim/optimizer-view';
import { camelCaseOption } from './options';
import { describeValue } from './state/state-reader';
import { StepLR } from './schedulers/step-lr';
import { GradualWarmupScheduler } from './warmup/gradual-warmup-scheduler';
// -- imports: simple schedulers --
import { LambdaLR } from './schedulers/lambda-lr';
import { MultiplicativeLR } from './schedulers/multiplicative-lr';
import { MultiStepLR } from './schedulers/multi-step-lr';
import { ConstantLR } from './schedulers/constant-lr';
import { LinearLR } from './schedulers/linear-lr';
import { ExponentialLR } from './schedulers/exponential-lr';
import { PolynomialLR } from './schedulers/polynomial-lr';
// -- imports: cyclic and cosine schedulers --
import { CosineAnnealingLR } from './schedulers/cosine-annealing-lr';
import { CosineAnnealingWarmRestarts } from './schedulers/cosine-annealing-warm-restarts';
import { CyclicLR } from './schedulers/cyclic-lr';
import { OneCycleLR } from './schedulers/one-cycle-lr';
// -- imports: plateau and composite schedulers --
import { ReduceLROnPlateau } from './schedulers/reduce-lr-on-plateau';
import { SequentialLR } from './schedulers/sequential-lr';
import { ChainedScheduler } from './schedulers/chained-scheduler';
// -- imports: SWA and transformers schedules --
import { SWALR } from './schedulers/swa-lr';
import { TRANSFORMERS_SCHEDULE_FUNCTIONS } from './transformers';

export { camelCaseOption };

/**
 * A scheduler class: `new (optimizer, options)` (`optimizer` is `null` only for ChainedScheduler).
 * The parameters are `never` so that every class, whatever its options type, fits.
 */
export type SchedulerConstructor = new (optimizer: never, options: never) => LRScheduler;

/** How the factory calls a registered class: options are checked by the class itself. */
type FactoryCall = new (optimizer: OptimizerLike | null, options: Record<string, unknown>) => LRScheduler;

/**
 * A schedule function: `(optimizer, options) => scheduler`, called without `new` (transformers'
 * `get_cosine_schedule_with_warmup`, ...). The parameters are `never` so that every function fits.
 */
export type ScheduleFunction = (optimizer: never, options: never) => LRScheduler;

/** How the factory calls a registered schedule function. */
type FunctionCall = (optimizer: OptimizerLike | null, options: Record<string, unknown>) => LRScheduler;

const registry = new Map<string, SchedulerConstructor>();
const functions = new Map<string, ScheduleFunction>();

/** Adds a scheduler class to the factory under `name` (usually its `className`). */
export function registerScheduler(name: string, constructor: SchedulerConstructor): void {
  if (typeof name !== 'string' || name === '') {
    throw new InvalidArgumentError(`registerScheduler: name must be a non-empty string, got ${describeValue(name)}`);
  }
  if (typeof constructor !== 'function') {
    throw new InvalidArgumentError(`registerScheduler: constructor must be a class, got ${describeValue(constructor)}`, 'TypeError');
  }
  registry.set(name, constructor);
}

/** Adds a schedule function to the factory under `name` (its Python name, e.g. `get_linear_schedule_with_warmup`). */
export function registerScheduleFunction(name: string, fn: ScheduleFunction): void {
  if (typeof name !== 'string' || name === '') {
    throw new InvalidArgumentError(`registerScheduleFunction: name must be a non-empty string, got ${describeValue(name)}`);
  }
  if (typeof fn !== 'function') {
    throw new InvalidArgumentError(`registerScheduleFunction: fn must be a function, got ${describeValue(fn)}`, 'TypeError');
  }
  functions.set(name, fn);
}

/** The registered class names. */
export function registeredSchedulers(): string[] {
  return [...registry.keys()];
}

/** The registered schedule function names. */
export function registeredScheduleFunctions(): string[] {
  return [...functions.keys()];
}

/** The class registered under `name`; throws for an unknown name. */
export function schedulerClass(name: string): SchedulerConstructor {
  const found = registry.get(name);
  if (found === undefined) throw unknownType(name);
  return found;
}

function unknownType(name: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `createScheduler: unknown scheduler type ${describeValue(name)} (known: ${[...registeredSchedulers(), ...registeredScheduleFunctions()].join(', ')})`,
  );
}


/**
 * Builds a scheduler from PyTorch's class name and keyword arguments as live values (numbers,
 * arrays, scheduler instances, functions). For `ChainedScheduler`, `optimizer` may be `null`.
 *
 * @example
 * createScheduler(optimizer, 'StepLR', { step_size: 30, gamma: 0.1 });
 */
export function createScheduler(optimizer: OptimizerLike | null, type: string, args: Record<string, unknown> = {}): LRScheduler {
  const fn = functions.get(type);
  const constructor = fn === undefined ? schedulerClass(type) : undefined;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new InvalidArgumentError(`createScheduler: args for ${type} must be an object of keyword arguments, got ${describeValue(args)}`, 'TypeError');
  }
  const options: Record<string, unknown> = {};
  const spelledAs = new Map<string, string>();
  for (const [key, value] of Object.entries(args)) {
    const name = camelCaseOption(key);
    const earlier = spelledAs.get(name);
    if (earlier !== undefined) {
      throw new InvalidArgumentError(
        `createScheduler: ${type} got the option "${name}" twice, as "${earlier}" and as "${key}"; give one of them`,
        'TypeError',
      );
    }
    spelledAs.set(name, key);
    // An own property even for "__proto__" (from JSON.parse), so the class rejects it as an unknown option.
    Object.defineProperty(options, name, { value, enumerable: true, writable: true, configurable: true });
  }
  if (fn !== undefined) return (fn as unknown as FunctionCall)(optimizer, options);
  return new (constructor as unknown as FactoryCall)(optimizer, options);
}

registerScheduler(StepLR.className, StepLR);
registerScheduler(GradualWarmupScheduler.className, GradualWarmupScheduler);
// -- simple schedulers --
registerScheduler(LambdaLR.className, LambdaLR);
registerScheduler(MultiplicativeLR.className, MultiplicativeLR);
registerScheduler(MultiStepLR.className, MultiStepLR);
registerScheduler(ConstantLR.className, ConstantLR);
registerScheduler(LinearLR.className, LinearLR);
registerScheduler(ExponentialLR.className, ExponentialLR);
registerScheduler(PolynomialLR.className, PolynomialLR);
// -- cyclic and cosine schedulers --
registerScheduler(CosineAnnealingLR.className, CosineAnnealingLR);
registerScheduler(CosineAnnealingWarmRestarts.className, CosineAnnealingWarmRestarts);
registerScheduler(CyclicLR.className, CyclicLR);
registerScheduler(OneCycleLR.className, OneCycleLR);
// -- plateau and composite schedulers --
registerScheduler(ReduceLROnPlateau.className, ReduceLROnPlateau);
registerScheduler(SequentialLR.className, SequentialLR);
registerScheduler(ChainedScheduler.className, ChainedScheduler);
// -- SWA and transformers schedules --
registerScheduler(SWALR.className, SWALR);
for (const [name, fn] of Object.entries(TRANSFORMERS_SCHEDULE_FUNCTIONS)) registerScheduleFunction(name, fn);
