/**
 * The cost of `scheduler.step()` inside a real training loop ("in situ"): a custom loop calling
 * `optimizer.minimize(loss)` and then the scheduler, as a user writes it, in a fresh process, so
 * V8 starts cold exactly as in a training run (the step path runs in the interpreter, then in
 * baseline code, and is optimized only after thousands of iterations), and every measured step
 * runs right after milliseconds of tfjs work have evicted it from the CPU caches.
 *
 * Three arms, each with its own optimizer over the same model:
 * - "ours": `scheduler.step()`, right after its optimizer's `minimize`, in every training round;
 * - "writes": the unavoidable tfjs writes of the same values (read from "ours" after its step),
 *   written by hand (`writeValues`), every round; timed in one round of four, right after its own
 *   optimizer's `minimize`;
 * - "no-op": an empty function, every round; timed in another round of four, right after its own
 *   `minimize`.
 * Only the call is timed (`performance.now()` on both sides, the same in every arm). "ours" minus
 * "no-op" is what the scheduler adds to a training iteration; "ours" minus "writes" is what the
 * package adds over the tfjs work any scheduler must do.
 *
 * Each range is measured in windows of real training rounds. A run that trains 10^4 times would
 * take minutes per class, so the rounds between the windows make the same calls through the same
 * code without training (V8's tiering counts calls and executed bytecode,
 * not time: the tiers are those of a real run), and each window starts with real rounds that are
 * not counted (`rewarm`), which put the caches and branch predictors back in the state of a
 * training run: without them, the measured steps would run with their code still warm from the
 * untrained rounds (docs/benchmark.md gives the figures; `--in-situ-every-round` trains in every
 * round, to compare).
 */
import * as tf from '@tensorflow/tfjs';
import { withGroups } from '../spec/contract/class-samples';
import { disposeOptimizer } from '../spec/helpers/tfjs';
import { benchConfig, PLATEAU_METRICS } from './cases';
import { fromConfig } from './library';
import { mlp, type ModelSize } from './models';
import { bootstrap, median, type Estimate } from './stats';
import { columnConfig, makeOptimizer, momentumOf, nextTensorId, writeValues, type OptimizerFields, type TfjsColumn } from './tfjs-setup';

/** Training rounds `from`..`to` (1-based, inclusive) measured, after `rewarm` real rounds not counted. */
export interface Window {
  range: string;
  from: number;
  to: number;
  rewarm: number;
}

const FIRST = '1-1,000';
const MIDDLE = '1,001-10,000';
const LATE = 'after 10,000';

/** 1,320 training rounds (about 2,000 `minimize` calls) of a 10,300-step run. */
export const FULL_WINDOWS: readonly Window[] = [
  { range: FIRST, from: 1, to: 100, rewarm: 0 },
  { range: FIRST, from: 201, to: 300, rewarm: 40 },
  { range: FIRST, from: 401, to: 500, rewarm: 40 },
  { range: FIRST, from: 601, to: 700, rewarm: 40 },
  { range: FIRST, from: 801, to: 900, rewarm: 40 },
  { range: MIDDLE, from: 2501, to: 2600, rewarm: 40 },
  { range: MIDDLE, from: 5001, to: 5100, rewarm: 40 },
  { range: MIDDLE, from: 7501, to: 7600, rewarm: 40 },
  { range: LATE, from: 10_101, to: 10_300, rewarm: 40 },
];

/** 600 training rounds: the first range in windows too. */
export const QUICK_WINDOWS: readonly Window[] = [
  { range: FIRST, from: 1, to: 100, rewarm: 0 },
  { range: FIRST, from: 301, to: 400, rewarm: 40 },
  { range: FIRST, from: 701, to: 800, rewarm: 40 },
  { range: MIDDLE, from: 5001, to: 5060, rewarm: 30 },
  { range: LATE, from: 10_101, to: 10_180, rewarm: 30 },
];

/** The 10x larger model: its train step takes 10x longer, so fewer rounds (the first range shortened). */
export const LARGE_WINDOWS: readonly Window[] = [
  { range: '1-300', from: 1, to: 300, rewarm: 0 },
  { range: LATE, from: 10_101, to: 10_250, rewarm: 30 },
];

/** The iterations each range label stands for (the last range ends with the run). */
const SPANS: Readonly<Record<string, readonly [number, number]>> = {
  [FIRST]: [1, 1000],
  '1-300': [1, 300],
  [MIDDLE]: [1001, 10_000],
  [LATE]: [10_001, Infinity],
};

/** Every round from 1 to the last window's end trains and counts (slow: to check the windows against). */
export function everyRound(windows: readonly Window[]): Window[] {
  const end = Math.max(...windows.map((w) => w.to));
  return [...new Set(windows.map((w) => w.range))].map((range) => {
    const [from, to] = SPANS[range];
    return { range, from, to: Math.min(to, end), rewarm: 0 };
  });
}

export interface RangeResult {
  label: string;
  /** Training rounds measured (ours in each; writes and no-op in one of four each). */
  rounds: number;
  /** Medians over the measured rounds, ns. */
  oursNs: number;
  writesNs: number;
  noopNs: number;
  /** One `minimize` of the no-op arm's optimizer (a training iteration without a scheduler), ns. */
  trainStepNs: number;
  /** Differences of medians with 95% bootstrap intervals, ns. */
  overNoop: Estimate;
  overWrites: Estimate;
  writesOverNoop: Estimate;
  /** `overNoop / trainStep`, percent. */
  sharePercent: Estimate;
}

export interface InSituResult {
  className: string;
  column: TfjsColumn;
  backend: string;
  model: ModelSize;
  layers: readonly number[];
  params: number;
  optimizer: string;
  /** Steps of the run, and how many of them trained. */
  iterations: number;
  trainedRounds: number;
  ranges: RangeResult[];
  /** Tensors created per step by ours and by the writes alone, over 1000 untimed steps after the run. */
  tensorsPerStep: { ours: number; writes: number };
  /** Live tensors after round 4 (when every arm's optimizer has updated once), after the last round, and after 10^5 more untimed steps. */
  tensors: { before: number; after: number; afterLongRun: number; longRunSteps: number };
  warnings: number;
  everyRound: boolean;
}

function noop(): void {}

const METRICS = PLATEAU_METRICS;

/** One round's timings (NaN where the arm was not timed in that round), ns. */
type Row = [ours: number, writes: number, noop: number, train: number];

function medianOf(rows: readonly Row[], column: number): number {
  const values: number[] = [];
  for (const row of rows) if (!Number.isNaN(row[column])) values.push(row[column]);
  return median(values);
}

/** Rounds in blocks of four, as measured (writes timed in the first, no-op in the third): what the bootstrap resamples. */
function blocks(rows: readonly Row[]): Row[][] {
  const out: Row[][] = [];
  for (let i = 0; i + 3 < rows.length; i += 4) out.push(rows.slice(i, i + 4));
  return out;
}

function summarize(label: string, rows: readonly Row[]): RangeResult {
  const grouped = blocks(rows);
  const flat = (sample: readonly Row[][]): Row[] => sample.flat();
  const diff = (a: number, b: number) => (sample: readonly Row[][]): number => medianOf(flat(sample), a) - medianOf(flat(sample), b);
  return {
    label,
    rounds: rows.length,
    oursNs: medianOf(rows, 0),
    writesNs: medianOf(rows, 1),
    noopNs: medianOf(rows, 2),
    trainStepNs: medianOf(rows, 3),
    overNoop: bootstrap(grouped, diff(0, 2)),
    overWrites: bootstrap(grouped, diff(0, 1)),
    writesOverNoop: bootstrap(grouped, diff(1, 2)),
    sharePercent: bootstrap(grouped, (sample) => (100 * diff(0, 2)(sample)) / medianOf(flat(sample), 3)),
  };
}

/**
 * One in-situ run: `className`'s sample on its first param group over one tfjs optimizer of
 * `column`'s kind on `backend`, training `size`'s model.
 */
export function inSitu(
  className: string,
  column: TfjsColumn,
  backend: string,
  size: ModelSize,
  windows: readonly Window[],
  countWarnings: () => number,
): InSituResult {
  const sample = benchConfig(className, true);
  if (sample === undefined) throw new Error(`no sample configuration for ${className}`);
  const config = withGroups(columnConfig(sample, column), [0]);
  const model = mlp(tf, size);
  let ours: tf.Optimizer | undefined;
  const built = fromConfig(config, { optimizer: () => (ours = makeOptimizer(config, 0)) });
  const optimizerS = ours as tf.Optimizer;
  const optimizerW = makeOptimizer(config, 0);
  const optimizerN = makeOptimizer(config, 0);
  const fieldsS = optimizerS as unknown as OptimizerFields;
  const fieldsW = optimizerW as unknown as OptimizerFields;
  // The writes arm starts where the scheduler's constructor left its optimizer.
  writeValues(fieldsW, fieldsS.learningRate, momentumOf(fieldsS));
  const driver = built.driver as unknown as { step(metric?: number): void };
  const plateau = className === 'ReduceLROnPlateau';
  const warningsBefore = countWarnings();

  const total = Math.max(...windows.map((w) => w.to));
  // 0: no training; 1: trains, not counted (re-warming); 2: trains and counted.
  const plan = new Uint8Array(total + 1);
  for (const w of windows) {
    for (let k = Math.max(1, w.from - w.rewarm); k < w.from; k++) plan[k] = 1;
    for (let k = w.from; k <= w.to; k++) plan[k] = 2;
  }
  const timings = new Float64Array(4 * (total + 1)).fill(Number.NaN);
  const { loss, variables } = model;
  const clock = performance;
  let tensorsBefore = 0;
  let trainedRounds = 0;

  // The training loop. Rounds that do not train make the same calls through the same code.
  for (let k = 1; k <= total; k++) {
    const train = plan[k] !== 0;
    const row = 4 * k;
    if (train) {
      trainedRounds += 1;
      optimizerS.minimize(loss, false, variables);
    }
    let start = clock.now();
    if (plateau) driver.step(METRICS[k % 7]);
    else driver.step();
    let end = clock.now();
    timings[row] = end - start;
    const lr = fieldsS.learningRate;
    const momentum = momentumOf(fieldsS);

    const timeWrites = train && (k & 3) === 0;
    if (timeWrites) optimizerW.minimize(loss, false, variables);
    start = clock.now();
    writeValues(fieldsW, lr, momentum);
    end = clock.now();
    if (timeWrites) timings[row + 1] = end - start;

    const timeNoop = train && (k & 3) === 2;
    if (timeNoop) {
      start = clock.now();
      optimizerN.minimize(loss, false, variables);
      timings[row + 3] = clock.now() - start;
    }
    start = clock.now();
    noop();
    end = clock.now();
    if (timeNoop) timings[row + 2] = end - start;
    // Optimizers make their slot variables at their first update: count once all three made one.
    if (k === 4) tensorsBefore = tf.memory().numTensors;
  }
  const tensorsAfter = tf.memory().numTensors;
  const warnings = countWarnings() - warningsBefore;

  const labels = [...new Set(windows.map((w) => w.range))];
  const ranges = labels.map((label) => {
    const rows: Row[] = [];
    for (const w of windows) {
      if (w.range !== label) continue;
      // Whole blocks of four rounds, so that each arm is timed as often.
      for (let k = Math.ceil(w.from / 4) * 4; k + 3 <= w.to; k += 4) {
        for (let j = k; j < k + 4; j++) {
          rows.push([timings[4 * j] * 1e6, timings[4 * j + 1] * 1e6, timings[4 * j + 2] * 1e6, timings[4 * j + 3] * 1e6]);
        }
      }
    }
    return summarize(label, rows);
  });

  // Tensors per step (untimed): 1000 steps of ours, then the writes of the same values.
  const lrs = new Float64Array(1000);
  const momentums = new Float64Array(1000);
  let id = nextTensorId();
  for (let i = 0; i < 1000; i++) {
    if (plateau) driver.step(METRICS[i % 7]);
    else driver.step();
    lrs[i] = fieldsS.learningRate;
    momentums[i] = momentumOf(fieldsS);
  }
  const oursTensors = nextTensorId() - id - 1;
  id = nextTensorId();
  for (let i = 0; i < 1000; i++) writeValues(fieldsW, lrs[i], momentums[i]);
  const writesTensors = nextTensorId() - id - 1;
  const longRunSteps = 100_000;
  for (let i = 0; i < longRunSteps; i++) {
    if (plateau) driver.step(METRICS[i % 7]);
    else driver.step();
  }
  const afterLongRun = tf.memory().numTensors;

  const result: InSituResult = {
    className,
    column,
    backend,
    model: size,
    layers: model.layers,
    params: model.params,
    optimizer: optimizerS.getClassName(),
    iterations: total,
    trainedRounds,
    ranges,
    tensorsPerStep: { ours: oursTensors / 1000, writes: writesTensors / 1000 },
    tensors: { before: tensorsBefore, after: tensorsAfter, afterLongRun, longRunSteps },
    warnings,
    everyRound: trainedRounds === total,
  };
  [optimizerS, optimizerW, optimizerN].forEach(disposeOptimizer);
  model.dispose();
  return result;
}
