/**
 * tfjs-lr-scheduler: PyTorch's learning-rate schedulers for TensorFlow.js.
 */
export { LRScheduler } from './lr-scheduler';
export { StepLR, type StepLROptions } from './schedulers/step-lr';
export { GradualWarmupScheduler, type GradualWarmupSchedulerOptions } from './warmup/gradual-warmup-scheduler';
// -- simple schedulers --
// -- cyclic and cosine schedulers --
// -- plateau and composite schedulers --

export { createScheduler, registerScheduler, registeredSchedulers, camelCaseOption, type SchedulerConstructor } from './registry';
export { fromConfig, ConfigError, type ScheduleConfig, type SchedulerConfig, type OptimizerConfig, type BuiltSchedule, type FromConfigOptions } from './config/from-config';

export { asOptimizer, OptimizerView, VirtualOptimizer, type OptimizerLike, type OptimizerState } from './optim/optimizer-view';
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
export type { SchedulerState } from './state/state-reader';
export type { JsonValue } from './state/encoding';

export * as pymath from './math';
