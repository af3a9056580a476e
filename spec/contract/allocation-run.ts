/**
 * The measurement behind allocation.spec.ts, run in a worker thread of its own: a fresh V8 isolate,
 * where the step path has seen only the samples' classes and param groups, as in a training
 * script. (In the process running every spec, the base class has met dozens of param-group shapes,
 * and V8 boxes the numbers it stores through such megamorphic property accesses.)
 * Posts `{ overhead, control, perClass }`, bytes per step.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setWarningHandler, VirtualOptimizer, type LRScheduler } from '../../lib';
import { allocatedBytes, measurementOverhead, preboxed } from '../helpers/allocation';
import { longRunSample } from '../helpers/sample-schedules';
import { build } from '../state/schedule-run';
import { classSamples } from './class-samples';

const { warmupSteps, measuredSteps } = workerData as { warmupSteps: number; measuredSteps: number };

/** ReduceLROnPlateau's metrics: already boxed numbers, as a loss the training loop holds. */
const METRICS = preboxed([1, 2, 3, 4, 5, 6, 7].map((n) => 1 / n));

function stepMany(driver: LRScheduler, count: number): void {
  for (let i = 0; i < count; i++) driver.step();
}

function stepManyWithMetric(driver: LRScheduler, count: number): void {
  const plateau = driver as unknown as { step(metrics: number): void };
  for (let i = 0; i < count; i++) plateau.step(METRICS[i % 7]);
}

setWarningHandler(() => {});
const overhead = measurementOverhead();
const ring: object[] = new Array<object>(1024);
const control =
  (allocatedBytes(() => {
    for (let i = 0; i < measuredSteps; i++) ring[i & 1023] = { value: i };
  }) - overhead) / measuredSteps;
const perClass: Record<string, number> = {};
for (const { className } of classSamples()) {
  const config = longRunSample(className);
  if (config === undefined) continue;
  let optimizer: VirtualOptimizer | undefined;
  const driver = build(config, { optimizer: (_kind, groups) => (optimizer = new VirtualOptimizer(groups)) }).driver;
  optimizer?.step();
  const stepper = className === 'ReduceLROnPlateau' ? stepManyWithMetric : stepMany;
  stepper(driver, warmupSteps);
  perClass[className] = (allocatedBytes(() => stepper(driver, measuredSteps)) - overhead) / measuredSteps;
}
parentPort?.postMessage({ overhead, control, perClass });
