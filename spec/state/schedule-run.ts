/**
 * Running a schedule configuration (spec/helpers/sample-schedules.ts, or a generated one) step by
 * step, observing it, and saving / restoring it the way user code does: the driver's
 * `stateDict()` plus the optimizer view's `stateDict()`, as JSON text.
 */
import { fromConfig, setWarningHandler, type BuiltSchedule, type FromConfigOptions, type ScheduleConfig, type SchedulerState, type OptimizerState } from '../../lib';
import { stepSample } from '../helpers/sample-schedules';

/** Runs `fn` with warnings swallowed (they are the business of other specs). */
export function quietly<T>(fn: () => T): T {
  const previous = setWarningHandler(() => {});
  try {
    return fn();
  } finally {
    setWarningHandler(previous);
  }
}

export function build(config: ScheduleConfig, options?: FromConfigOptions): BuiltSchedule {
  return quietly(() => fromConfig(config, options));
}

/** The ids whose state the state dict of `id` contains: itself and, recursively, its children. */
export function coveredIds(config: ScheduleConfig, id: string): Set<string> {
  const covered = new Set<string>([id]);
  const spec = config.schedulers.find((s) => s.id === id);
  const refs: unknown[] = [];
  if (spec?.type === 'SequentialLR' || spec?.type === 'ChainedScheduler') refs.push(...((spec.args?.schedulers as unknown[]) ?? []));
  if (spec?.type === 'GradualWarmupScheduler') refs.push(spec.args?.after_scheduler);
  for (const ref of refs) {
    const child = (ref as { ref?: unknown } | null)?.ref;
    if (typeof child === 'string') for (const nested of coveredIds(config, child)) covered.add(nested);
  }
  return covered;
}

/** Everything observable after a step: each group's lr and momentum, the driver's last lrs and last epoch. */
export function observation(built: BuiltSchedule): Array<number | null> {
  const out: Array<number | null> = [];
  for (const group of built.optimizer.paramGroups) {
    out.push(group.lr);
    out.push(Array.isArray(group.betas) ? group.betas[0] : typeof group.momentum === 'number' ? group.momentum : null);
  }
  let lastLr: number[] | null;
  try {
    lastLr = built.driver.getLastLr();
  } catch {
    lastLr = null;
  }
  out.push(lastLr === null ? null : lastLr.length);
  if (lastLr !== null) out.push(...lastLr);
  out.push(typeof built.driver.lastEpoch === 'number' ? built.driver.lastEpoch : null);
  return out;
}

/** One step of the training loop: the driver's step (with a metric where it needs one). */
export function stepDriver(built: BuiltSchedule, i: number): void {
  quietly(() => stepSample(built.driver as unknown as Parameters<typeof stepSample>[0], i));
}

/** Steps `from` .. `to - 1`, returning the observation after each. */
export function run(built: BuiltSchedule, from: number, to: number): Array<Array<number | null>> {
  const trace: Array<Array<number | null>> = [];
  for (let i = from; i < to; i++) {
    stepDriver(built, i);
    trace.push(observation(built));
  }
  return trace;
}

interface Saved {
  optimizer: OptimizerState;
  /** The driver's state, and the state of any scheduler the driver does not nest. */
  schedulers: Record<string, SchedulerState>;
}

/** What a training script writes: JSON text of the driver's and the optimizer view's state dicts. */
export function save(config: ScheduleConfig, built: BuiltSchedule): string {
  const covered = coveredIds(config, built.driverId);
  const schedulers: Record<string, SchedulerState> = {};
  for (const spec of config.schedulers) {
    if (spec.id === built.driverId || !covered.has(spec.id)) schedulers[spec.id] = built.schedulers[spec.id].stateDict();
  }
  return JSON.stringify({ optimizer: built.optimizer.stateDict(), schedulers } satisfies Saved);
}

/** Fresh optimizer and schedulers from the configuration, then the saved state loaded into them. */
export function restore(config: ScheduleConfig, text: string, options?: FromConfigOptions): BuiltSchedule {
  const saved = JSON.parse(text) as Saved;
  const built = build(config, options);
  built.optimizer.loadStateDict(saved.optimizer);
  // Definition order: children before the composites that nest them.
  for (const spec of config.schedulers) {
    const state = saved.schedulers[spec.id];
    if (state !== undefined) built.schedulers[spec.id].loadStateDict(state);
  }
  return built;
}

/** Whether two traces are the same doubles (NaN equals NaN, 0 differs from -0); the first difference otherwise. */
export function firstDifference(expected: ReadonlyArray<ReadonlyArray<number | null>>, actual: ReadonlyArray<ReadonlyArray<number | null>>): string | undefined {
  if (expected.length !== actual.length) return `trace length ${actual.length}, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (a.length !== e.length || a.some((value, j) => !Object.is(value, e[j]))) {
      return `step ${i}: expected ${JSON.stringify(e.map(String))}, got ${JSON.stringify(a.map(String))}`;
    }
  }
  return undefined;
}

/** The configuration's scheduler types that are not registered (a sample waiting for its class). */
export function missingTypes(config: ScheduleConfig, registered: readonly string[]): string[] {
  return config.schedulers.map((s) => s.type).filter((type) => !registered.includes(type));
}
