/**
 * Timing: warm-up runs, then measured runs. A run prepares its inputs untimed (and collects the
 * garbage of the previous run), then times short intervals of a fixed number of operations with
 * the wall clock. A run's figure is its median interval, so the intervals in which the OS gave
 * the CPU to another process (a shared machine) do not count; the result is the median run.
 */

export interface Timing {
  /** Nanoseconds per operation: the median over runs of each run's median interval. */
  median: number;
  /** The fastest and slowest runs (by their median interval). */
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
 * returns the nanoseconds of each interval of `opsPerInterval` operations; `cleanup(input)`
 * releases what `prepare()` built.
 */
export interface RunSpec<T> {
  prepare(): T;
  intervals(input: T): number[];
  cleanup?(input: T): void;
  opsPerInterval: number;
}

export function measure<T>(spec: RunSpec<T>, warmupRuns: number, runs: number): Timing {
  const perOp: number[] = [];
  let intervals = 0;
  for (let r = 0; r < warmupRuns + runs; r++) {
    const input = spec.prepare();
    collectGarbage();
    const times = spec.intervals(input);
    spec.cleanup?.(input);
    intervals = times.length;
    if (r >= warmupRuns) perOp.push(median(times) / spec.opsPerInterval);
  }
  perOp.sort((a, b) => a - b);
  return {
    median: perOp[Math.floor(perOp.length / 2)],
    min: perOp[0],
    max: perOp[perOp.length - 1],
    opsPerInterval: spec.opsPerInterval,
    intervals,
    runs,
  };
}
