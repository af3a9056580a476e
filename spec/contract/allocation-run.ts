/**
 * The measurement behind allocation.spec.ts, in a process of its own:
 *
 *   node --predictable --import tsx spec/contract/allocation-run.ts <settings.json>
 *
 * - a fresh V8 isolate, where the step path has seen only the samples' classes and param groups,
 *   as in a training script (in the process running every spec, the base class has met dozens of
 *   param-group shapes, and V8 boxes the numbers it stores through such megamorphic accesses);
 * - the package compiled to one ES module (`bundle`), as users run it: through tsx, the sources'
 *   imports become getter calls (esbuild's CommonJS live bindings), which changes what V8 inlines,
 *   and a number returned from a call it does not inline is boxed;
 * - `--predictable` (no concurrent compilation): the same result run after run, where the moment
 *   a background compile finishes would otherwise decide whether a rarely taken branch of
 *   lib/math runs deoptimized (boxing its numbers) during the counted steps.
 * Prints `{ overhead, control, perClass }` (bytes per step) as JSON.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type * as Library from '../../lib';
import { allocatedBytes, measurementOverhead, preboxed } from '../helpers/allocation';
import { longRunSample } from '../helpers/sample-schedules';

const { bundle, classes, warmupSteps, measuredSteps } = JSON.parse(readFileSync(process.argv[2], 'utf8')) as {
  bundle: string;
  classes: string[];
  warmupSteps: number;
  measuredSteps: number;
};

/** ReduceLROnPlateau's metrics: already boxed numbers, as a loss the training loop holds. */
const METRICS = preboxed([1, 2, 3, 4, 5, 6, 7].map((n) => 1 / n));

interface Steppable {
  step(metrics?: number): void;
}

function stepMany(driver: Steppable, count: number): void {
  for (let i = 0; i < count; i++) driver.step();
}

function stepManyWithMetric(driver: Steppable, count: number): void {
  for (let i = 0; i < count; i++) driver.step(METRICS[i % 7]);
}

async function main(): Promise<void> {
  const lib = (await import(pathToFileURL(bundle).href)) as typeof Library;
  lib.setWarningHandler(() => {});
  const overhead = measurementOverhead();
  const ring: object[] = new Array<object>(1024);
  const control =
    (allocatedBytes(() => {
      for (let i = 0; i < measuredSteps; i++) ring[i & 1023] = { value: i };
    }) - overhead) / measuredSteps;
  const perClass: Record<string, number> = {};
  for (const className of classes) {
    const config = longRunSample(className);
    if (config === undefined) continue;
    let optimizer: InstanceType<typeof lib.VirtualOptimizer> | undefined;
    const driver = lib.fromConfig(config, { optimizer: (_kind, groups) => (optimizer = new lib.VirtualOptimizer(groups)) }).driver as unknown as Steppable;
    optimizer?.step();
    const stepper = className === 'ReduceLROnPlateau' ? stepManyWithMetric : stepMany;
    stepper(driver, warmupSteps);
    perClass[className] = (allocatedBytes(() => stepper(driver, measuredSteps)) - overhead) / measuredSteps;
  }
  process.stdout.write(`${JSON.stringify({ overhead, control, perClass })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
