/**
 * HuggingFace transformers' learning-rate schedules (`transformers.optimization`) in TypeScript
 * spelling, returning this package's `LambdaLR` / `ReduceLROnPlateau` with transformers' learning
 * rates bit for bit. Exported from the package root.
 */
export {
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
} from './schedules';
export type { WsdShape } from './lambdas';
export { getScheduler, SchedulerType, TRANSFORMERS_SCHEDULE_FUNCTIONS, type GetSchedulerOptions } from './get-scheduler';
