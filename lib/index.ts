/**
 * tfjs-lr-scheduler: PyTorch's learning-rate schedulers for TensorFlow.js.
 */
export { LRScheduler } from './lr-scheduler';
export { StepLR, type StepLROptions } from './schedulers/step-lr';
export { GradualWarmupScheduler, type GradualWarmupSchedulerOptions } from './warmup/gradual-warmup-scheduler';
// -- simple schedulers --
export { LambdaLR, type LambdaLROptions } from './schedulers/lambda-lr';
export { MultiplicativeLR, type MultiplicativeLROptions } from './schedulers/multiplicative-lr';
export { MultiStepLR, type MultiStepLROptions } from './schedulers/multi-step-lr';
export { ConstantLR, type ConstantLROptions } from './schedulers/constant-lr';
export { LinearLR, type LinearLROptions } from './schedulers/linear-lr';
export { ExponentialLR, type ExponentialLROptions } from './schedulers/exponential-lr';
export { PolynomialLR, type PolynomialLROptions } from './schedulers/polynomial-lr';
// -- cyclic and cosine schedulers --
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './schedulers/cosine-annealing-lr';
export { CosineAnnealingWarmRestarts, type CosineAnnealingWarmRestartsOptions } from './schedulers/cosine-annealing-warm-restarts';
export { CyclicLR, type CyclicLROptions, type CyclicLRMode, type CyclicLRScaleFn } from './schedulers/cyclic-lr';
export { OneCycleLR, type OneCycleLROptions, type OneCycleLRPhase } from './schedulers/one-cycle-lr';
// -- plateau and composite schedulers --
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedulers/reduce-lr-on-plateau';
export { SequentialLR, type SequentialLROptions } from './schedulers/sequential-lr';
export { ChainedScheduler, type ChainedSchedulerOptions } from './schedulers/chained-scheduler';
// -- SWA and transformers schedules --
export { SWALR, type SWALROptions, type SWALRAnnealStrategy } from './schedulers/swa-lr';
export {
  getScheduler,
  SchedulerType,
  getConstantSchedule,
  getConstantScheduleWithWarmup,
  getLinearScheduleWithWarmup,
  getCosineScheduleWithWarmup,
  getCosineWithHardRestartsScheduleWithWarmup,
  getPolynomialDecayScheduleWithWarmup,
  getInverseSqrtSchedule,
  getCosineWithMinLrScheduleWithWarmup,
  getCosineWithMinLrScheduleWithWarmupLrRate,
  getWsdSchedule,
  getReduceOnPlateauSchedule,
  type GetSchedulerOptions,
  type LastEpochOption,
  type ConstantScheduleWithWarmupOptions,
  type LinearScheduleWithWarmupOptions,
  type CosineScheduleWithWarmupOptions,
  type CosineWithHardRestartsScheduleWithWarmupOptions,
  type PolynomialDecayScheduleWithWarmupOptions,
  type InverseSqrtScheduleOptions,
  type CosineWithMinLrScheduleWithWarmupOptions,
  type CosineWithMinLrScheduleWithWarmupLrRateOptions,
  type WsdScheduleOptions,
  type WsdShape,
} from './transformers';

export {
  createScheduler,
  registerScheduler,
  registeredSchedulers,
  registerScheduleFunction,
  registeredScheduleFunctions,
  camelCaseOption,
  type SchedulerConstructor,
  type ScheduleFunction,
} from './registry';
export { fromConfig, ConfigError, type ScheduleConfig, type SchedulerConfig, type OptimizerConfig, type BuiltSchedule, type FromConfigOptions } from './config/from-config';

export { asOptimizer, OptimizerView, VirtualOptimizer, type OptimizerLike, type OptimizerState, type OptimizerStateLike } from './optim/optimizer-view';
export type { ParamGroup, ParamGroupsLike } from './optim/param-group';

export { setWarningHandler, defaultWarningHandler, type SchedulerWarning, type WarningHandler } from './warnings';
export {
  LRSchedulerError,
  InvalidArgumentError,
  InvalidStateError,
  SchedulerTypeError,
  NotComputedError,
  PythonArithmeticError,
} from './errors';
export type { SchedulerState, SchedulerStateLike } from './state/state-reader';
export type { Metric, TensorLike } from './metric';
export type { JsonValue } from './state/encoding';

export * as pymath from './math';
export { pyrepr, type PyReprValue } from './python/repr';
// -- callbacks --
export {
  LRSchedulerCallback,
  type LRSchedulerCallbackOptions,
  type SchedulerFactory,
  type TfjsLayersLike,
  type CallbackLogs,
} from './callbacks/lr-scheduler-callback';
