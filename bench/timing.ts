/**
 * Timing: warm-up runs, then measured runs. A run prepares its inputs untimed (and collects the
 * garbage of the previous run), then times short intervals with the wall clock: several identical
 * schedules, each stepped in `positions` consecutive intervals. Each position's figure is its
 * median over the schedules, so the intervals in which the OS gave the CPU to another process (a
 * shared machine) do not count, while the work that differs along a schedule's life (a milestone,
 * a plateau reduction) counts as it is. A run's figure is the mean over positions; the result is
 * the median run.
 */

export interface Timing {
  /** Nanoseconds per operation: the median over runs. */
  median: number;
  /** The fastest and slowest runs. */
  min: number;
  max: number;
  /** Operations per timed interval, intervals per run, measured runs. */
  opsPerInterval: number;
  intervals: number;
  runs: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Collects garbage if the process runs with `--expose-gc` (then heap figures are stable). */
export function collectGarbage(): void {
  if (gc !== undefined) {
    gc();
    gc();
  }
}

export function gcAvailable(): boolean {
  return gc !== undefined;
}

/** Nanoseconds since an arbitrary origin, as a double (exact below 2^53 ns, i.e. 104 days). */
export function now(): number {
  return Number(process.hrtime.bigint());
}

export function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * A run: `prepare()` builds everything (untimed); `intervals(input)` performs the operations and
 * returns the nanoseconds of each interval of `opsPerInterval` operations, `positions` intervals
 * per schedule, schedule after schedule; `cleanup(input)` releases what `prepare()` built.
 */
export interface RunSpec<T> {
  prepare(): T;
  intervals(input: T): number[];
  cleanup?(input: T): void;
  opsPerInterval: number;
  /** Consecutive intervals per schedule. @default 1 */
  positions?: number;
}

/** One run: per position the median interval over the schedules; their mean, per operation. */
function runOnce<T>(spec: RunSpec<T>): { perOp: number; intervals: number } {
  const input = spec.prepare();
  collectGarbage();
  const times = spec.intervals(input);
  spec.cleanup?.(input);
  const positions = spec.positions ?? 1;
  let total = 0;
  for (let p = 0; p < positions; p++) total += median(times.filter((_, i) => i % positions === p));
  if (process.env.BENCH_DEBUG) process.stderr.write(`run: ${(total / (positions * spec.opsPerInterval)).toFixed(1)} ns/op [${times.slice(0, 12).map((t) => Math.round(t / spec.opsPerInterval)).join(' ')} ...]\n`);
  return { perOp: total / (positions * spec.opsPerInterval), intervals: times.length };
}

function summarize(perOp: number[], opsPerInterval: number, intervals: number): Timing {
  const sorted = perOp.slice().sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)],
    min: sorted[0],
    max: sorted[sorted.length - 1],
    opsPerInterval,
    intervals,
    runs: perOp.length,
  };
}

export function measure<T>(spec: RunSpec<T>, warmupRuns: number, runs: number): Timing {
  const perOp: number[] = [];
  let intervals = 0;
  for (let r = 0; r < warmupRuns + runs; r++) {
    const run = runOnce(spec);
    intervals = run.intervals;
    if (r >= warmupRuns) perOp.push(run.perOp);
  }
  return summarize(perOp, spec.opsPerInterval, intervals);
}
