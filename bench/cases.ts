/**
 * What the benchmark measures, per scheduler class: the sample configuration of
 * spec/helpers/sample-schedules.ts (shared with the PyTorch script as JSON), how its driver is
 * stepped, and how it is built over a VirtualOptimizer or over real tfjs optimizers.
 */
import { fromConfig, VirtualOptimizer, type BuiltSchedule, type LRScheduler, type ScheduleConfig } from './library';
import { SAMPLE_SCHEDULES } from '../spec/helpers/sample-schedules';

/** The composites take no epoch (GradualWarmupScheduler does, but hands it to its after-scheduler). */
export const COMPOSITES: readonly string[] = ['SequentialLR', 'ChainedScheduler', 'GradualWarmupScheduler'];

/** Steps per freshly built schedule in the timed loops (below OneCycleLR's sample total of 1000). */
export const STEPS_PER_SCHEDULE = 500;

/** The epochs of the `step(epoch)` measurements. */
export const EPOCHS: readonly number[] = [10, 1_000_000];

/** Metrics fed to ReduceLROnPlateau, step `i` gets `PLATEAU_METRICS[i % 7]` (as `stepSample`). */
export const PLATEAU_METRICS: readonly number[] = [1, 2, 3, 4, 5, 6, 7].map((n) => 1 / n);

/**
 * For the 10^6-step runs and epoch 10^6: OneCycleLR's sample has 1000 total steps; CyclicLR's
 * triangular2 computes `2.0 ** (cycle - 1)`, which overflows (OverflowError in Python too) after
 * 1024 cycles, so its cycle is made longer.
 */
const LONG_RUN_OVERRIDES: Readonly<Record<string, Record<string, unknown>>> = {
  OneCycleLR: { total_steps: 2_000_000 },
  CyclicLR: { step_size_up: 1000 },
};

/**
 * Schedules measured beside the classes that are not classes: transformers' schedule functions
 * (they return a LambdaLR), under their TypeScript name; PyTorch's column runs transformers' code.
 */
export const FUNCTION_CASES: Readonly<Record<string, ScheduleConfig>> = {
  getCosineScheduleWithWarmup: {
    optimizer: { kind: 'sgd', groups: [{ lr: 0.1 }, { lr: 0.05 }] },
    schedulers: [{ id: 's', type: 'get_cosine_schedule_with_warmup', args: { num_warmup_steps: 5, num_training_steps: STEPS_PER_SCHEDULE } }],
  },
};

/** The sample configuration of `className` (`long`: fit for 10^6 steps and epoch 10^6). */
export function benchConfig(className: string, long = false): ScheduleConfig | undefined {
  const sample = SAMPLE_SCHEDULES[className] ?? FUNCTION_CASES[className];
  if (sample === undefined) return undefined;
  const config = JSON.parse(JSON.stringify(sample)) as ScheduleConfig;
  const override = long ? LONG_RUN_OVERRIDES[className] : undefined;
  if (override !== undefined) {
    const driverId = config.driver ?? config.schedulers[config.schedulers.length - 1].id;
    const driver = config.schedulers.find((s) => s.id === driverId);
    if (driver !== undefined) driver.args = { ...driver.args, ...override };
  }
  return config;
}

/** Whether `step(epoch)` is measured for the class (not the composites, not ReduceLROnPlateau). */
export function takesEpoch(className: string): boolean {
  return !COMPOSITES.includes(className) && className !== 'ReduceLROnPlateau';
}

/** Whether the class has PyTorch's `_get_closed_form_lr` (a `closedFormLr` method here). */
export function hasClosedForm(scheduler: LRScheduler): boolean {
  return typeof (scheduler as unknown as { closedFormLr?: unknown }).closedFormLr === 'function';
}

/**
 * Steps `scheduler` `count` times as a training loop would; `first` is the index of the first of
 * these steps in the schedule's life (ReduceLROnPlateau's metric at step `i` is
 * `PLATEAU_METRICS[i % 7]`). One function per kind of call, so each process sees one call shape.
 */
export type Stepper = (scheduler: LRScheduler, count: number, first: number) => void;

export function stepperFor(className: string): Stepper {
  if (className === 'ReduceLROnPlateau') {
    const metrics = PLATEAU_METRICS;
    return (scheduler, count, first) => {
      const plateau = scheduler as unknown as { step(metrics: number): void };
      for (let i = first; i < first + count; i++) plateau.step(metrics[i % 7]);
    };
  }
  return (scheduler, count) => {
    for (let i = 0; i < count; i++) scheduler.step();
  };
}

/** A schedule over a VirtualOptimizer, already "stepped" once so no warning check fires later. */
export function buildPlain(config: ScheduleConfig): BuiltSchedule {
  let virtual: InstanceType<typeof VirtualOptimizer> | undefined;
  const built = fromConfig(config, {
    optimizer: (_kind, groups) => {
      virtual = new VirtualOptimizer(groups);
      return virtual;
    },
  });
  (virtual as InstanceType<typeof VirtualOptimizer>).step();
  return built;
}
