/**
 * What the benchmark measures, per scheduler class: the sample configuration of
 * spec/helpers/sample-schedules.ts (shared with the PyTorch script as JSON), how its driver is
 * stepped, and how it is built over a VirtualOptimizer or over real tfjs optimizers.
 */
import { buildLambda, fromConfig, VirtualOptimizer, type BuiltSchedule, type LRScheduler, type ScheduleConfig } from './library';
import { preboxed } from '../spec/helpers/allocation';
import { longRunSample, SAMPLE_SCHEDULES } from '../spec/helpers/sample-schedules';

/** The composites take no epoch (GradualWarmupScheduler does, but hands it to its after-scheduler). */
export const COMPOSITES: readonly string[] = ['SequentialLR', 'ChainedScheduler', 'GradualWarmupScheduler'];

/** Steps per freshly built schedule in the timed loops (below OneCycleLR's sample total of 1000). */
export const STEPS_PER_SCHEDULE = 500;

/** The epochs of the `step(epoch)` measurements. */
export const EPOCHS: readonly number[] = [10, 1e6, 1e9, 1e12];

/**
 * Arguments for `step(epoch)` up to 10^12 in which nothing underflows, overflows or takes a
 * shortcut of `pow` (`x ** 0`, `0 ** y`) at one epoch and not at another, so the figures compare
 * the same work: gammas just below 1 (`0.9 ** 1e12` is 0, and pow returns 0 at once), horizons
 * beyond 10^12 (OneCycleLR's total steps, PolynomialLR's total_iters: past them the formula is
 * constant), and CyclicLR's exp_range (triangular2's `2.0 ** (cycle - 1)` overflows after 1024
 * cycles, in PyTorch too).
 */
const EPOCH_ARGS: Readonly<Record<string, Record<string, unknown>>> = {
  StepLR: { gamma: 1 - 1e-9 },
  ExponentialLR: { gamma: 1 - 1e-10 },
  PolynomialLR: { total_iters: 2e12 },
  LambdaLR: { lr_lambda: { fn: 'pow', base: 1 - 1e-10 } },
  CyclicLR: { mode: 'exp_range', gamma: 1 - 1e-10 },
  OneCycleLR: { total_steps: 2e12 },
};

/** The configuration whose `step(epoch)` is measured at `EPOCHS` (the sample with `EPOCH_ARGS`). */
export function epochConfig(className: string): ScheduleConfig | undefined {
  const config = benchConfig(className);
  const args = EPOCH_ARGS[className];
  if (config !== undefined && args !== undefined) {
    const driverId = config.driver ?? config.schedulers[config.schedulers.length - 1].id;
    const driver = config.schedulers.find((s) => s.id === driverId);
    if (driver !== undefined) driver.args = { ...driver.args, ...args };
  }
  return config;
}

/**
 * Metrics fed to ReduceLROnPlateau, step `i` gets `PLATEAU_METRICS[i % 7]` (as `stepSample`):
 * already boxed numbers, as a loss a training loop holds (see `preboxed`).
 */
export const PLATEAU_METRICS: readonly number[] = preboxed([1, 2, 3, 4, 5, 6, 7].map((n) => 1 / n));

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

/** The sample configuration of `className` (`long`: fit for 10^7 steps, see `longRunSample`). */
export function benchConfig(className: string, long = false): ScheduleConfig | undefined {
  const sample = (long ? longRunSample(className) : SAMPLE_SCHEDULES[className]) ?? FUNCTION_CASES[className];
  return sample === undefined ? undefined : (JSON.parse(JSON.stringify(sample)) as ScheduleConfig);
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

const sharedLambdas = new Map<string, unknown>();

/**
 * The configuration with each `{"fn": ...}` lambda replaced by one function built once per process
 * and shared by every schedule built from it (fromConfig takes functions as they are), as a
 * training script has one lambda: a fresh closure per schedule would make the call site in
 * LambdaLR see a new function every 500 steps, which no training run does.
 */
function withSharedLambdas(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSharedLambdas);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if ('fn' in record) {
    const key = JSON.stringify(record);
    let lambda = sharedLambdas.get(key);
    if (lambda === undefined) {
      lambda = buildLambda(record, (message) => {
        throw new Error(message);
      });
      sharedLambdas.set(key, lambda);
    }
    return lambda;
  }
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, withSharedLambdas(item)]));
}

/** A schedule over a VirtualOptimizer, already "stepped" once so no warning check fires later. */
export function buildPlain(config: ScheduleConfig): BuiltSchedule {
  let virtual: InstanceType<typeof VirtualOptimizer> | undefined;
  const built = fromConfig(withSharedLambdas(config) as ScheduleConfig, {
    optimizer: (_kind, groups) => {
      virtual = new VirtualOptimizer(groups);
      return virtual;
    },
  });
  (virtual as InstanceType<typeof VirtualOptimizer>).step();
  return built;
}
