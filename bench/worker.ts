/**
 * One measurement in its own process (so every timed call site sees one scheduler class and one
 * kind of param group, and V8 starts cold, as in a real training run):
 *
 *   node --expose-gc --import tsx bench/worker.ts plain <Class> <out.json> [--quick]
 *   node --expose-gc --import tsx bench/worker.ts alloc <Class> <out.json> [--quick]
 *   node --expose-gc --import tsx bench/worker.ts insitu <Class> <sgd|adam> <cpu|wasm> <small|large> <out.json> [--quick] [--in-situ-every-round]
 *   node --expose-gc --import tsx bench/worker.ts fit <cpu|wasm> <out.json> [--quick]
 *   node --expose-gc --import tsx bench/worker.ts reference <out.json> [--quick]
 */
import { writeFileSync } from 'node:fs';
import { allocatedBytes, measurementOverhead } from '../spec/helpers/allocation';
import { benchConfig, buildPlain, EPOCHS, epochConfig, hasClosedForm, STEPS_PER_SCHEDULE, stepperFor, takesEpoch, type Stepper } from './cases';
import { checkLimit, makeLimits, type LimitState } from './limits';
import { loadLibrary, pymath, setWarningHandler, type LRScheduler } from './library';
import { measure, now, type Timing } from './timing';

const flags = ['--quick', '--in-situ-every-round'];
const args = process.argv.slice(2).filter((arg) => !flags.includes(arg));
const quick = process.argv.includes('--quick');
const WARMUP_RUNS = quick ? 2 : 3;
const RUNS = quick ? 5 : 11;

let warnings = 0;

/** Steps each driver (built beforehand) `count` times, timing intervals of `chunk` steps. */
function timeDrivers(drivers: LRScheduler[], stepper: Stepper, count: number, chunk = count): number[] {
  const times: number[] = [];
  for (const driver of drivers) {
    for (let first = 0; first < count; first += chunk) {
      const start = now();
      stepper(driver, chunk, first);
      times.push(now() - start);
    }
  }
  return times;
}

/** The learning rates (and momentums) after each of the first `steps` steps of a fresh sample schedule. */
function classTrace(className: string, steps: number, withMomentum: boolean): number[][] {
  const config = benchConfig(className);
  if (config === undefined) throw new Error(`no sample configuration for ${className}`);
  const built = buildPlain(config);
  const stepper = stepperFor(className);
  const trace: number[][] = [];
  for (let k = 0; k < steps; k++) {
    stepper(built.driver, 1, k);
    trace.push(built.optimizer.paramGroups.flatMap((group) => (withMomentum ? [group.lr, group.momentum as number] : [group.lr])));
  }
  return trace;
}

/** The hand-written limit of the class (bench/limits.ts), timed like the class, after checking it gives the class's values. */
function limitTiming(className: string, schedules: number): { timing: Timing | null; mismatch: string | null } {
  const limit = makeLimits()[className];
  if (limit === undefined) return { timing: null, mismatch: 'no limit loop' };
  const mismatch = checkLimit(limit, classTrace(className, STEPS_PER_SCHEDULE, limit.momentum === true));
  const timing = measure(
    {
      prepare: () => Array.from({ length: schedules }, () => limit.start()),
      intervals: (states: LimitState[]) =>
        states.map((state) => {
          const start = now();
          limit.steps(state, STEPS_PER_SCHEDULE);
          return now() - start;
        }),
      opsPerInterval: STEPS_PER_SCHEDULE,
    },
    WARMUP_RUNS,
    RUNS,
  );
  return { timing, mismatch };
}

function plain(className: string): unknown {
  const config = benchConfig(className);
  if (config === undefined) throw new Error(`no sample configuration for ${className}`);
  const stepper = stepperFor(className);
  const schedules = quick ? 20 : 100;
  // A schedule that lives through all runs, as in training: when every schedule of a run dies in
  // the collection between runs, V8 drops their hidden classes and the optimized step code with them.
  const keepAlive = buildPlain(config).driver;
  const warningsBefore = warnings;
  const step = measure(
    {
      prepare: () => Array.from({ length: schedules }, () => buildPlain(config).driver),
      intervals: (drivers) => timeDrivers(drivers, stepper, STEPS_PER_SCHEDULE),
      opsPerInterval: STEPS_PER_SCHEDULE,
    },
    WARMUP_RUNS,
    RUNS,
  );
  const warningsInStepLoop = warnings - warningsBefore;
  let epoch: Record<string, Timing> | null = null;
  let closedForm: boolean | null = null;
  if (takesEpoch(className)) {
    const atConfig = epochConfig(className);
    if (atConfig === undefined) throw new Error(`no epoch configuration for ${className}`);
    epoch = {};
    for (const at of EPOCHS) {
      const stepAt: Stepper = (driver, count) => {
        for (let i = 0; i < count; i++) driver.step(at);
      };
      epoch[String(at)] = measure(
        {
          prepare: () => Array.from({ length: schedules }, () => buildPlain(atConfig).driver),
          intervals: (drivers) => timeDrivers(drivers, stepAt, STEPS_PER_SCHEDULE),
          opsPerInterval: STEPS_PER_SCHEDULE,
        },
        WARMUP_RUNS,
        RUNS,
      );
    }
    closedForm = hasClosedForm(keepAlive);
  }
  stepper(keepAlive, 1, 0);
  const limit = limitTiming(className, quick ? 200 : 1000);
  return { className, step, warningsInStepLoop, epoch, closedForm, limit: limit.timing, limitMismatch: limit.mismatch };
}

/**
 * Bytes allocated per step on plain param groups, over 10^7 steps (10^6 with --quick) of one
 * schedule after 3 x 10^5 warm-up steps, and over the first 10^4 steps of another (the
 * interpreter and baseline tiers box every intermediate number; this is information, not a target).
 */
function alloc(className: string): unknown {
  const config = benchConfig(className, true);
  if (config === undefined) throw new Error(`no sample configuration for ${className}`);
  const stepper = stepperFor(className);
  const overhead = measurementOverhead();
  const first = buildPlain(config).driver;
  const firstSteps = 10_000;
  const firstBytes = allocatedBytes(() => stepper(first, firstSteps, 0)) - overhead;
  const driver = buildPlain(config).driver;
  const warmup = 300_000;
  stepper(driver, warmup, 0);
  const steps = quick ? 1_000_000 : 10_000_000;
  const start = now();
  const bytes = allocatedBytes(() => stepper(driver, steps, warmup)) - overhead;
  const ns = (now() - start) / steps;
  return { className, steps, bytesPerStep: bytes / steps, nsPerStep: ns, firstSteps, firstBytesPerStep: firstBytes / firstSteps, overheadBytes: overhead };
}

async function useBackend(backend: string): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (backend === 'wasm') require('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} is not available`);
  await tf.ready();
}

async function insitu(className: string, column: string, backend: string, size: string): Promise<unknown> {
  await useBackend(backend);
  const { inSitu, FULL_WINDOWS, QUICK_WINDOWS, LARGE_WINDOWS, everyRound } = await import('./in-situ');
  const windows = size === 'large' ? LARGE_WINDOWS : quick ? QUICK_WINDOWS : FULL_WINDOWS;
  return inSitu(
    className,
    column as 'sgd' | 'adam',
    backend,
    size as 'small' | 'large',
    process.argv.includes('--in-situ-every-round') ? everyRound(windows) : windows,
    () => warnings,
  );
}

async function fit(backend: string): Promise<unknown> {
  await useBackend(backend);
  const { fitBench } = await import('./fit');
  return fitBench(backend, quick);
}

/** For scale: one call of this package's cos / pow (Python's results) against Math.cos / Math.pow. */
function reference(): unknown {
  // Arguments as the schedulers pass them (cosine phases over a few periods), one call site per function.
  const inputs = Float64Array.from({ length: 1000 }, (_, i) => (Math.PI * (i % 40)) / 10);
  const timeCalls = (loop: (xs: Float64Array) => number): Timing => {
    let sink = 0;
    const timing = measure(
      {
        prepare: () => null,
        intervals: () =>
          Array.from({ length: quick ? 50 : 200 }, () => {
            const start = now();
            sink += loop(inputs);
            return now() - start;
          }),
        opsPerInterval: inputs.length,
      },
      WARMUP_RUNS,
      RUNS,
    );
    if (sink === 0.5) process.stderr.write('');
    return timing;
  };
  return {
    mathCos: timeCalls((xs) => {
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += Math.cos(xs[i]);
      return sum;
    }),
    pymathCos: timeCalls((xs) => {
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += pymath.cos(xs[i]);
      return sum;
    }),
    mathPow: timeCalls((xs) => {
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += Math.pow(0.95, xs[i]);
      return sum;
    }),
    pymathPow: timeCalls((xs) => {
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += pymath.pow(0.95, xs[i]);
      return sum;
    }),
  };
}

async function main(): Promise<void> {
  await loadLibrary();
  setWarningHandler(() => {
    warnings += 1;
  });
  const [mode, ...rest] = args;
  const out = rest[rest.length - 1];
  let result: unknown;
  if (mode === 'plain') result = plain(rest[0]);
  else if (mode === 'alloc') result = alloc(rest[0]);
  else if (mode === 'insitu') result = await insitu(rest[0], rest[1], rest[2], rest[3]);
  else if (mode === 'fit') result = await fit(rest[0]);
  else if (mode === 'reference') result = reference();
  else throw new Error(`bench/worker: unknown mode ${String(mode)}`);
  writeFileSync(out, JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
