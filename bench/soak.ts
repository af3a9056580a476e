/**
 * `npm run soak`: every registered scheduler class (its sample configuration) on real tfjs
 * optimizers (CPU backend; SGD or Momentum, and Adam for the classes that cycle beta1), stepped
 * 10^7 times in one long run, as a long training job would. Every 10^6 steps it records the number
 * of live tensors and the heap after a full garbage collection; at the end it prints, per run, the
 * tensor count and heap at the first and last sample, the largest heap change between samples,
 * and the time per step. The step loop must neither leave tensors behind nor grow the heap.
 *
 *   npm run soak                       10^7 steps per run (a few minutes; run it with nice)
 *   npm run soak -- --steps 1000000    another length
 *   npm run soak -- --only StepLR,CyclicLR
 *
 * Not part of npm test. Timings are indicative only (a shared machine).
 */
import * as tf from '@tensorflow/tfjs';
import { benchConfig, stepperFor } from './cases';
import { loadLibrary, registeredSchedulers, setWarningHandler, type ScheduleConfig } from './library';
import { collectGarbage, gcAvailable, now } from './timing';
import { buildTfjs, columnConfig, type TfjsColumn } from './tfjs-setup';

const argv = process.argv.slice(2);
const stepsArg = argv[argv.indexOf('--steps') + 1];
const STEPS = argv.includes('--steps') ? Number(stepsArg) : 10_000_000;
const SAMPLES = 10;
const WARMUP = 10_000;
const onlyArg = argv[argv.indexOf('--only') + 1];
const only = argv.includes('--only') ? onlyArg.split(',') : null;

/**
 * The samples made fit for 10^7 steps: OneCycleLR's cycle is that long; CyclicLR's triangular2
 * amplitude `1 / 2 ** (cycle - 1)` overflows (OverflowError in Python too) after 1024 cycles, so a
 * cycle is made long enough.
 */
function soakConfig(className: string): ScheduleConfig | undefined {
  const config = benchConfig(className, true);
  if (config === undefined) return undefined;
  const driverId = config.driver ?? config.schedulers[config.schedulers.length - 1].id;
  const driver = config.schedulers.find((s) => s.id === driverId);
  if (driver !== undefined && className === 'OneCycleLR') driver.args = { ...driver.args, total_steps: STEPS + WARMUP + 10 };
  if (driver !== undefined && className === 'CyclicLR') driver.args = { ...driver.args, step_size_up: Math.ceil(STEPS / 1000) };
  return config;
}

interface Sample {
  step: number;
  tensors: number;
  heap: number;
}

interface Soak {
  name: string;
  optimizers: string;
  samples: Sample[];
  nsPerStep: number;
  tensorsLeftAfterDispose: number;
  warnings: number;
}

let warnings = 0;

function sample(step: number): Sample {
  collectGarbage();
  return { step, tensors: tf.memory().numTensors, heap: process.memoryUsage().heapUsed };
}

function soak(className: string, column: TfjsColumn): Soak | undefined {
  const config = soakConfig(className);
  if (config === undefined) return undefined;
  const tensorsAtStart = tf.memory().numTensors;
  const schedule = buildTfjs(columnConfig(config, column));
  const stepper = stepperFor(className);
  const chunk = STEPS / SAMPLES;
  // Warm up (and let the lr settle where it decays to 0), then sample every chunk.
  stepper(schedule.built.driver, WARMUP, 0);
  const warningsBefore = warnings;
  const samples = [sample(0)];
  let elapsed = 0;
  for (let k = 0; k < SAMPLES; k++) {
    const start = now();
    stepper(schedule.built.driver, chunk, WARMUP + k * chunk);
    elapsed += now() - start;
    samples.push(sample((k + 1) * chunk));
  }
  const optimizers = schedule.optimizers.map((o) => o.getClassName()).join(', ');
  schedule.dispose();
  collectGarbage();
  return {
    name: `${className} (${column})`,
    optimizers,
    samples,
    nsPerStep: elapsed / STEPS,
    tensorsLeftAfterDispose: tf.memory().numTensors - tensorsAtStart,
    warnings: warnings - warningsBefore,
  };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

function main(): void {
  setWarningHandler(() => {
    warnings += 1;
  });
  tf.setBackend('cpu');
  if (!gcAvailable()) throw new Error('run with node --expose-gc (npm run soak does)');
  const classes = registeredSchedulers().filter((name) => only === null || only.includes(name));
  const runs: Array<[string, TfjsColumn]> = classes.flatMap((name): Array<[string, TfjsColumn]> =>
    name === 'OneCycleLR' || name === 'CyclicLR' ? [[name, 'sgd'], [name, 'adam']] : [[name, 'sgd']],
  );
  const rows: string[][] = [];
  for (const [name, column] of runs) {
    process.stdout.write(`soak: ${name} (${column}), ${STEPS.toLocaleString('en-US')} steps ...\n`);
    const result = soak(name, column);
    if (result === undefined) continue;
    const { samples } = result;
    const first = samples[0];
    const last = samples[samples.length - 1];
    let largestChange = 0;
    for (let i = 1; i < samples.length; i++) largestChange = Math.max(largestChange, Math.abs(samples[i].heap - samples[i - 1].heap));
    rows.push([
      result.name,
      result.optimizers,
      `${first.tensors} -> ${last.tensors}`,
      String(Math.max(...samples.map((s) => s.tensors)) - Math.min(...samples.map((s) => s.tensors))),
      `${kb(first.heap)} -> ${kb(last.heap)}`,
      kb(last.heap - first.heap),
      kb(largestChange),
      result.nsPerStep.toFixed(0),
      String(result.tensorsLeftAfterDispose),
      String(result.warnings),
    ]);
  }
  const header = ['run', 'tfjs optimizers', 'tensors first -> last', 'tensor spread', 'heap first -> last', 'heap change', 'largest change between samples', 'ns/step', 'tensors left after dispose', 'warnings'];
  const table = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (row: string[]): string => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(`\n${STEPS.toLocaleString('en-US')} steps per run, ${SAMPLES} samples after a full GC; Node ${process.version}, tfjs ${tf.version.tfjs} (cpu backend)\n\n`);
  process.stdout.write(`${[line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')}\n`);
}

loadLibrary().then(main, (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
