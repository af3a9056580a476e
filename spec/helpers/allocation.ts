/**
 * Bytes allocated on the V8 heap, from V8's own accounting, for the allocation contract spec and
 * the benchmark: the growth of the used heap while a function runs, plus what every garbage
 * collection in between freed (`v8.GCProfiler` reports the used heap before and after each one).
 * Every object the function allocates is counted once, whether it is still alive at the end or was
 * collected on the way; nothing is sampled or estimated.
 */
import * as v8 from 'node:v8';

/** What one `GCProfiler` entry reports (Node's objects use camelCase, unlike `@types/node`'s). */
interface HeapFigures {
  usedHeapSize?: number;
  used_heap_size?: number;
}

function used(figures: HeapFigures): number {
  return figures.usedHeapSize ?? figures.used_heap_size ?? Number.NaN;
}

/** Whether this Node has `v8.GCProfiler` (Node >= 18.15 / 19.6). */
export function canCountAllocations(): boolean {
  return typeof (v8 as { GCProfiler?: unknown }).GCProfiler === 'function';
}

/** The bytes `fn` allocates, measured as described above (includes a constant few KB of the measurement's own). */
export function allocatedBytes(fn: () => void): number {
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = v8.getHeapStatistics().used_heap_size;
  fn();
  const after = v8.getHeapStatistics().used_heap_size;
  const { statistics } = profiler.stop();
  let freed = 0;
  for (const gc of statistics) {
    freed += used(gc.beforeGC.heapStatistics as HeapFigures) - used(gc.afterGC.heapStatistics as HeapFigures);
  }
  return after - before + freed;
}

/** The measurement's own allocation (what `allocatedBytes` reports for a function that does nothing). */
export function measurementOverhead(): number {
  let smallest = Infinity;
  for (let i = 0; i < 5; i++) smallest = Math.min(smallest, allocatedBytes(() => {}));
  return smallest;
}

/**
 * The numbers as an array of already boxed values (V8's generic elements kind): reading one
 * allocates nothing, as a training loop passing a loss it already holds. Read from an array of
 * doubles, each value passed to a function that is not inlined would be boxed by the caller, and
 * that allocation would be counted against the scheduler.
 */
export function preboxed(values: readonly number[]): readonly number[] {
  const boxed: unknown[] = ['generic elements'];
  boxed.pop();
  for (const value of values) boxed.push(value);
  return boxed as number[];
}
