/**
 * transformers' `get_scheduler(name, optimizer, num_warmup_steps, num_training_steps,
 * scheduler_specific_kwargs)`, the function the HuggingFace `Trainer` builds its schedule with
 * (`TrainingArguments.lr_scheduler_type` and `lr_scheduler_kwargs`), and its `SchedulerType` names.
 *
 * Follows `src/transformers/optimization.py` (and `SchedulerType` of `trainer_utils.py`) of
 * huggingface/transformers at commit 005edacb6b5dabbf0843e92c6623de9e07ca6241, translated to
 * TypeScript. Those files are: Copyright 2018 The Google AI Language Team Authors and The HuggingFace
 * Inc. team (optimization.py), Copyright 2020-present the HuggingFace Inc. team (trainer_utils.py).
 * Licensed under the Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0);
 * distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND.
 */
import { InvalidArgumentError } from '../errors';
import type { LambdaLR } from '../schedulers/lambda-lr';
import type { ReduceLROnPlateau } from '../schedulers/reduce-lr-on-plateau';
import type { OptimizerLike } from '../optim/optimizer-view';
import { camelCaseOption, OptionChecker } from '../options';
import { describeValue } from '../state/state-reader';
import {
  getConstantSchedule,
  getConstantScheduleWithWarmup,
  getCosineScheduleWithWarmup,
  getCosineWithHardRestartsScheduleWithWarmup,
  getCosineWithMinLrScheduleWithWarmup,
  getCosineWithMinLrScheduleWithWarmupLrRate,
  getInverseSqrtSchedule,
  getLinearScheduleWithWarmup,
  getPolynomialDecayScheduleWithWarmup,
  getReduceOnPlateauSchedule,
  getWsdSchedule,
} from './schedules';

/** transformers' `SchedulerType`: the names `get_scheduler` and `TrainingArguments.lr_scheduler_type` take. */
export const SchedulerType = {
  LINEAR: 'linear',
  COSINE: 'cosine',
  COSINE_WITH_RESTARTS: 'cosine_with_restarts',
  POLYNOMIAL: 'polynomial',
  CONSTANT: 'constant',
  CONSTANT_WITH_WARMUP: 'constant_with_warmup',
  INVERSE_SQRT: 'inverse_sqrt',
  REDUCE_ON_PLATEAU: 'reduce_lr_on_plateau',
  COSINE_WITH_MIN_LR: 'cosine_with_min_lr',
  COSINE_WARMUP_WITH_MIN_LR: 'cosine_warmup_with_min_lr',
  WARMUP_STABLE_DECAY: 'warmup_stable_decay',
} as const;

export type SchedulerType = (typeof SchedulerType)[keyof typeof SchedulerType];

export interface GetSchedulerOptions {
  /** The number of warmup steps; required by every name but `constant` and `reduce_lr_on_plateau`. @default null */
  numWarmupSteps?: number | null;
  /** The number of training steps; required by the names with a decay (not by `warmup_stable_decay`). @default null */
  numTrainingSteps?: number | null;
  /**
   * The selected function's other options (the Trainer's `lr_scheduler_kwargs`), with transformers'
   * snake_case keys (`{ num_cycles: 1.5 }`) or this package's camelCase ones (`{ numCycles: 1.5 }`).
   * Dropped for `constant`, `constant_with_warmup` and `inverse_sqrt`, as transformers drops them. @default null
   */
  schedulerSpecificKwargs?: Readonly<Record<string, unknown>> | null;
}

const NAMES: readonly string[] = Object.values(SchedulerType);
/** `SchedulerType` member of each name, for transformers' messages (`SchedulerType.COSINE requires ...`). */
const MEMBERS = new Map(Object.entries(SchedulerType).map(([member, value]) => [value as string, member]));

/** The selected function's options: the given kwargs with camelCase keys, plus the step counts. */
function kwargsOf(check: OptionChecker, kwargs: unknown, given: Record<string, unknown>): Record<string, unknown> {
  if (kwargs === null || kwargs === undefined) return { ...given };
  if (typeof kwargs !== 'object' || Array.isArray(kwargs)) check.fail('schedulerSpecificKwargs', 'an object of options or null', kwargs, 'TypeError');
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kwargs)) {
    const name = camelCaseOption(key);
    if (Object.prototype.hasOwnProperty.call(options, name) || Object.prototype.hasOwnProperty.call(given, name)) {
      throw new InvalidArgumentError(`${check.className}: got multiple values for option "${name}" (schedulerSpecificKwargs.${key})`, 'TypeError');
    }
    options[name] = value;
  }
  return { ...given, ...options };
}

/**
 * transformers' unified `get_scheduler`: the schedule function that `name` selects, called with the
 * arguments it takes. Ports the HuggingFace `Trainer`'s schedule line for line:
 * `get_scheduler(args.lr_scheduler_type, optimizer, num_warmup_steps, num_training_steps, scheduler_specific_kwargs=args.lr_scheduler_kwargs)`.
 *
 * Reproduces transformers' argument routing: `constant` ignores every option; `reduce_lr_on_plateau`
 * takes only `schedulerSpecificKwargs` (ReduceLROnPlateau's options); `constant_with_warmup` and
 * `inverse_sqrt` take only `numWarmupSteps` and silently drop `schedulerSpecificKwargs` (so a
 * `timescale` there has no effect, as in transformers); `warmup_stable_decay` passes
 * `numTrainingSteps` even when it is null; the others require both step counts.
 *
 * @example
 * // Python: get_scheduler("cosine", optimizer, num_warmup_steps=100, num_training_steps=1000)
 * const scheduler = getScheduler('cosine', optimizer, { numWarmupSteps: 100, numTrainingSteps: 1000 });
 * // Python: get_scheduler("cosine_with_restarts", optimizer, 0, 1000, scheduler_specific_kwargs={"num_cycles": 3})
 * const restarts = getScheduler('cosine_with_restarts', optimizer, { numWarmupSteps: 0, numTrainingSteps: 1000, schedulerSpecificKwargs: { num_cycles: 3 } });
 */
export function getScheduler(name: 'reduce_lr_on_plateau', optimizer: OptimizerLike, options?: GetSchedulerOptions): ReduceLROnPlateau;
export function getScheduler(name: Exclude<SchedulerType, 'reduce_lr_on_plateau'>, optimizer: OptimizerLike, options?: GetSchedulerOptions): LambdaLR;
export function getScheduler(name: SchedulerType, optimizer: OptimizerLike, options?: GetSchedulerOptions): LambdaLR | ReduceLROnPlateau;
export function getScheduler(name: SchedulerType, optimizer: OptimizerLike, options: GetSchedulerOptions = {}): LambdaLR | ReduceLROnPlateau {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`getScheduler: options must be an object, got ${describeValue(options)}`, 'TypeError');
  }
  const usage = "getScheduler('cosine', optimizer, { numWarmupSteps: 100, numTrainingSteps: 1000 })";
  const check = new OptionChecker('getScheduler', options, usage).known(['numWarmupSteps', 'numTrainingSteps', 'schedulerSpecificKwargs']);
  if (typeof name !== 'string' || !NAMES.includes(name)) {
    throw new InvalidArgumentError(
      `getScheduler: ${String(name)} is not a valid SchedulerType, please select one of [${NAMES.map((n) => `'${n}'`).join(', ')}]`,
    );
  }
  const { numWarmupSteps, numTrainingSteps, schedulerSpecificKwargs } = options;
  if (name === 'constant') return getConstantSchedule(optimizer);
  if (name === 'reduce_lr_on_plateau') return getReduceOnPlateauSchedule(optimizer, kwargsOf(check, schedulerSpecificKwargs, {}));
  const requires = (option: string, python: string): never => {
    throw new InvalidArgumentError(
      `getScheduler: SchedulerType.${MEMBERS.get(name) as string} requires option "${option}" (transformers: \`${python}\`), please provide that argument.`,
    );
  };
  if (numWarmupSteps === null || numWarmupSteps === undefined) return requires('numWarmupSteps', 'num_warmup_steps');
  kwargsOf(check, schedulerSpecificKwargs, {}); // checked even where transformers then drops it
  if (name === 'constant_with_warmup') return getConstantScheduleWithWarmup(optimizer, { numWarmupSteps });
  if (name === 'inverse_sqrt') return getInverseSqrtSchedule(optimizer, { numWarmupSteps });
  if (name === 'warmup_stable_decay') {
    return getWsdSchedule(optimizer, kwargsOf(check, schedulerSpecificKwargs, { numWarmupSteps, numTrainingSteps }) as never);
  }
  if (numTrainingSteps === null || numTrainingSteps === undefined) return requires('numTrainingSteps', 'num_training_steps');
  const functionOptions = kwargsOf(check, schedulerSpecificKwargs, { numWarmupSteps, numTrainingSteps }) as never;
  switch (name) {
    case 'linear':
      return getLinearScheduleWithWarmup(optimizer, functionOptions);
    case 'cosine':
      return getCosineScheduleWithWarmup(optimizer, functionOptions);
    case 'cosine_with_restarts':
      return getCosineWithHardRestartsScheduleWithWarmup(optimizer, functionOptions);
    case 'polynomial':
      return getPolynomialDecayScheduleWithWarmup(optimizer, functionOptions);
    case 'cosine_with_min_lr':
      return getCosineWithMinLrScheduleWithWarmup(optimizer, functionOptions);
    default:
      return getCosineWithMinLrScheduleWithWarmupLrRate(optimizer, functionOptions);
  }
}

/**
 * @internal Every transformers schedule function under its Python name, as `createScheduler` /
 * `fromConfig` call them: `(optimizer, options)`, `get_scheduler` with its `name` among the options.
 */
export const TRANSFORMERS_SCHEDULE_FUNCTIONS = {
  get_constant_schedule: getConstantSchedule,
  get_constant_schedule_with_warmup: getConstantScheduleWithWarmup,
  get_linear_schedule_with_warmup: getLinearScheduleWithWarmup,
  get_cosine_schedule_with_warmup: getCosineScheduleWithWarmup,
  get_cosine_with_hard_restarts_schedule_with_warmup: getCosineWithHardRestartsScheduleWithWarmup,
  get_polynomial_decay_schedule_with_warmup: getPolynomialDecayScheduleWithWarmup,
  get_inverse_sqrt_schedule: getInverseSqrtSchedule,
  get_cosine_with_min_lr_schedule_with_warmup: getCosineWithMinLrScheduleWithWarmup,
  get_cosine_with_min_lr_schedule_with_warmup_lr_rate: getCosineWithMinLrScheduleWithWarmupLrRate,
  get_wsd_schedule: getWsdSchedule,
  get_reduce_on_plateau_schedule: getReduceOnPlateauSchedule,
  get_scheduler: (optimizer: OptimizerLike, options: GetSchedulerOptions & { name: SchedulerType }): LambdaLR | ReduceLROnPlateau => {
    const { name, ...rest } = options;
    return getScheduler(name, optimizer, rest);
  },
} as const;
