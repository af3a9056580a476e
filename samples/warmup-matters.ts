/**
 * Why warmup matters, on a real (small) training run: the same network, data and initial weights,
 * trained twice with Adam at the same peak learning rate and the same cosine decay, once from the
 * first step at that rate, once warmed up to it with GradualWarmupScheduler. Both runs use
 * `model.fit` with `LRSchedulerCallback` stepping per batch.
 *
 *   npm start                     (npx tsx samples/warmup-matters.ts)
 *   WARMUP_MATTERS_EPOCHS=8 ...   a shorter run (the spec uses it)
 *   WARMUP_MATTERS_SEED=3 ...     other data and initial weights
 *
 * Prints a progress bar per run, a side-by-side summary, ASCII charts of both loss curves and the
 * learning rates, and writes the same charts to out/warmup-matters.svg.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as asciichart from 'asciichart';
import { CosineAnnealingLR, GradualWarmupScheduler, LRSchedulerCallback, type LRScheduler } from '../lib';

const EPOCHS = Number(process.env.WARMUP_MATTERS_EPOCHS ?? 24);
const SEED = Number(process.env.WARMUP_MATTERS_SEED ?? 1);
const SAMPLES = 256;
const BATCH_SIZE = 32;
const ITERATIONS = EPOCHS * (SAMPLES / BATCH_SIZE);
const WARMUP_ITERATIONS = ITERATIONS / 4;
const PEAK_LR = 0.2;
const HIDDEN_LAYERS = 3;
const UNITS = 32;
const SVG_PATH = path.join(__dirname, '..', 'out', 'warmup-matters.svg');

tf.enableProdMode(); // silences tfjs's "install tfjs-node" banner; the pure-JS CPU backend is the point here

interface Run {
  name: string;
  losses: number[];
  lrs: number[];
  deadUnits: number;
}

/** mulberry32: a tiny seeded generator, so the data are the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The task: regress y = sin(2 x1) cos(2 x2) on [-2, 2]^2. */
function makeData(seed: number): { x: tf.Tensor2D; y: tf.Tensor2D; meanLoss: number } {
  const random = seededRandom(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    xs.push(x1, x2);
    ys.push(Math.sin(2 * x1) * Math.cos(2 * x2));
  }
  const mean = ys.reduce((a, b) => a + b, 0) / SAMPLES;
  const meanLoss = ys.reduce((a, b) => a + (b - mean) ** 2, 0) / SAMPLES; // the loss of predicting the mean
  return { x: tf.tensor2d(xs, [SAMPLES, 2]), y: tf.tensor2d(ys, [SAMPLES, 1]), meanLoss };
}

/** The same network every time: seeded He-normal ReLU layers and a linear output. */
function makeModel(seed: number): tf.Sequential {
  const model = tf.sequential();
  for (let i = 0; i < HIDDEN_LAYERS; i++) {
    model.add(tf.layers.dense({ units: UNITS, activation: 'relu', inputShape: i === 0 ? [2] : undefined, kernelInitializer: tf.initializers.heNormal({ seed: seed * 100 + i }) }));
  }
  model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 100 + 99 }) }));
  return model;
}

/** A progress bar per run: one line redrawn in a terminal, the final state otherwise. */
class ProgressBar extends tf.Callback {
  constructor(private readonly label: string) {
    super();
  }

  override async onEpochEnd(epoch: number, logs?: tf.Logs): Promise<void> {
    const loss = await logValue(logs?.loss);
    const lr = await logValue(logs?.lr); // added by LRSchedulerCallback, which comes first
    const done = Math.round(((epoch + 1) / EPOCHS) * 20);
    const line = `${this.label.padEnd(10)} [${'#'.repeat(done)}${'.'.repeat(20 - done)}] epoch ${String(epoch + 1).padStart(2)}/${EPOCHS}  loss ${formatLoss(loss)}  lr ${lr.toFixed(4)}`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}${epoch + 1 === EPOCHS ? '\n' : ''}`);
    else if (epoch + 1 === EPOCHS) console.log(line);
  }
}

/** Class-based callbacks get logs as scalar tensors, plain ones as numbers. */
async function logValue(value: unknown): Promise<number> {
  return typeof value === 'number' ? value : (await (value as tf.Tensor).data())[0];
}

async function train(name: string, warmup: boolean, data: { x: tf.Tensor2D; y: tf.Tensor2D }): Promise<Run> {
  const model = makeModel(SEED);
  const optimizer = tf.train.adam(PEAK_LR);
  model.compile({ optimizer, loss: 'meanSquaredError' });

  // Both runs decay along the same cosine; only the warmup differs.
  let scheduler: LRScheduler;
  if (warmup) {
    const cosine = new CosineAnnealingLR(optimizer, { tMax: ITERATIONS - WARMUP_ITERATIONS });
    scheduler = new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: WARMUP_ITERATIONS, afterScheduler: cosine });
  } else {
    scheduler = new CosineAnnealingLR(optimizer, { tMax: ITERATIONS });
  }
  const history = await model.fit(data.x, data.y, {
    epochs: EPOCHS,
    batchSize: BATCH_SIZE,
    shuffle: false, // deterministic: the samples are already in random order
    verbose: 0,
    callbacks: [new LRSchedulerCallback(scheduler, { interval: 'batch', tf }), new ProgressBar(name)], // { tf }: a tf.Callback follows it
  });
  const run: Run = {
    name,
    losses: history.history.loss as number[],
    lrs: history.history.lr as number[],
    deadUnits: countDeadUnits(model, data.x),
  };
  model.dispose();
  optimizer.dispose();
  return run;
}

/** Hidden ReLU units that output 0 for every training input: they no longer learn. */
function countDeadUnits(model: tf.Sequential, x: tf.Tensor2D): number {
  return tf.tidy(() => {
    let dead = 0;
    let activations: tf.Tensor = x;
    for (let i = 0; i < HIDDEN_LAYERS; i++) {
      activations = model.layers[i].apply(activations) as tf.Tensor;
      const maxima = activations.max(0).dataSync();
      for (const value of maxima) if (value <= 0) dead += 1;
    }
    return dead;
  });
}

function formatLoss(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value >= 100 ? value.toFixed(1) : value.toFixed(4);
}

function summarize(plain: Run, warm: Run, meanLoss: number): string[] {
  const peak = (run: Run): [number, number] => {
    let at = 0;
    run.losses.forEach((loss, i) => {
      if (!(loss <= run.losses[at])) at = i;
    });
    return [run.losses[at], at + 1];
  };
  const final = (run: Run): number => run.losses[run.losses.length - 1];
  const [plainPeak, plainPeakEpoch] = peak(plain);
  const [warmPeak, warmPeakEpoch] = peak(warm);
  const units = HIDDEN_LAYERS * UNITS;
  const row = (label: string, a: string, b: string): string => `  ${label.padEnd(24)}${a.padEnd(18)}${b}`;
  const lines = [
    `Summary: Adam, peak lr ${PEAK_LR}, ${EPOCHS} epochs x ${SAMPLES / BATCH_SIZE} batches, seed ${SEED}; loss of predicting the mean: ${formatLoss(meanLoss)}`,
    row('', plain.name, warm.name),
    row('final loss', formatLoss(final(plain)), formatLoss(final(warm))),
    row('peak loss (epoch)', `${formatLoss(plainPeak)} (${plainPeakEpoch})`, `${formatLoss(warmPeak)} (${warmPeakEpoch})`),
    row('dead ReLU units', `${plain.deadUnits}/${units}`, `${warm.deadUnits}/${units}`),
  ];
  // Diverged: the loss left every sensible range (non-finite, or 10x the loss of predicting the mean).
  // Stalled: it ended no better than half the loss of predicting the mean.
  const diverged = !Number.isFinite(plainPeak) || plainPeak > 10 * meanLoss;
  const stalled = !(final(plain) < 0.5 * meanLoss);
  const verdicts: string[] = [];
  if (diverged) verdicts.push(`diverged in epoch ${plainPeakEpoch} (loss ${formatLoss(plainPeak)}, ${Math.round(plainPeak / meanLoss)}x the loss of predicting the mean)`);
  if (stalled) verdicts.push(`stalled at ${formatLoss(final(plain))} (${Math.round((100 * final(plain)) / meanLoss)}% of the loss of predicting the mean)`);
  lines.push(`Without warmup: ${verdicts.length > 0 ? verdicts.join(', then ') : 'neither diverged nor stalled'}.`);
  lines.push(`With warmup: final loss ${formatLoss(final(warm))}, ${(final(plain) / final(warm)).toFixed(1)}x lower than without.`);
  return lines;
}

function asciiCharts(plain: Run, warm: Run): string[] {
  const colors = process.stdout.isTTY ? [asciichart.red, asciichart.green] : [undefined, undefined];
  const legend = process.stdout.isTTY
    ? `${asciichart.red}--- ${plain.name}${asciichart.reset}   ${asciichart.green}--- ${warm.name}${asciichart.reset}`
    : `first series: ${plain.name}, second series: ${warm.name}`;
  // Two columns per epoch in short runs, so the curves are wide enough to read.
  const widen = (values: number[]): number[] => (values.length <= 30 ? values.flatMap((v) => [v, v]) : values);
  const log10 = (run: Run): number[] => widen(run.losses.map((loss) => Math.log10(Math.min(loss, 1e6))));
  return [
    `log10(loss) per epoch   ${legend}`,
    asciichart.plot([log10(plain), log10(warm)], { height: 10, colors, format: (x) => x.toFixed(2).padStart(7) }),
    'learning rate (last update of each epoch)',
    asciichart.plot([widen(plain.lrs), widen(warm.lrs)], { height: 6, colors, format: (x) => x.toFixed(3).padStart(7) }),
  ];
}

/** The same two charts as a small, self-contained SVG. */
function svgCharts(plain: Run, warm: Run): string {
  const width = 640;
  const panel = { left: 56, right: 16, height: 170 };
  const colors = ['#d62728', '#2ca02c'];
  const plotWidth = width - panel.left - panel.right;
  const parts: string[] = [];
  const drawPanel = (top: number, title: string, series: number[][], format: (v: number) => string): void => {
    const all = series.flat();
    const min = Math.min(...all);
    const max = Math.max(...all);
    const span = max - min || 1;
    const x = (i: number, n: number): number => panel.left + (n === 1 ? 0 : (i / (n - 1)) * plotWidth);
    const y = (v: number): number => top + panel.height - ((v - min) / span) * panel.height;
    parts.push(`<text x="${panel.left}" y="${top - 8}" class="title">${title}</text>`);
    parts.push(`<rect x="${panel.left}" y="${top}" width="${plotWidth}" height="${panel.height}" class="frame"/>`);
    for (const v of [min, (min + max) / 2, max]) {
      parts.push(`<text x="${panel.left - 6}" y="${(y(v) + 4).toFixed(1)}" class="tick" text-anchor="end">${format(v)}</text>`);
    }
    series.forEach((values, s) => {
      const points = values.map((v, i) => `${x(i, values.length).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      parts.push(`<polyline points="${points}" fill="none" stroke="${colors[s]}" stroke-width="1.5"/>`);
    });
  };
  const log10 = (run: Run): number[] => run.losses.map((loss) => Math.log10(Math.min(loss, 1e6)));
  drawPanel(40, 'log10(loss) per epoch', [log10(plain), log10(warm)], (v) => v.toFixed(2));
  drawPanel(270, 'learning rate (last update of each epoch)', [plain.lrs, warm.lrs], (v) => v.toFixed(3));
  parts.push(`<text x="${panel.left}" y="${270 + panel.height + 22}" class="tick">epoch 1 .. ${EPOCHS}</text>`);
  [plain, warm].forEach((run, s) => {
    const lx = panel.left + 200 + s * 180;
    parts.push(`<line x1="${lx}" y1="${270 + panel.height + 18}" x2="${lx + 20}" y2="${270 + panel.height + 18}" stroke="${colors[s]}" stroke-width="2"/>`);
    parts.push(`<text x="${lx + 26}" y="${270 + panel.height + 22}" class="tick">${run.name}</text>`);
  });
  const height = 270 + panel.height + 36;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    '<style>.title{font:bold 13px sans-serif}.tick{font:11px sans-serif;fill:#444}.frame{fill:none;stroke:#bbb}</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const data = makeData(SEED);
  console.log(`Training a ${HIDDEN_LAYERS}x${UNITS} ReLU network twice on ${SAMPLES} samples of y = sin(2 x1) cos(2 x2) (pure-JS CPU backend).`);
  const plain = await train('no warmup', false, data);
  const warm = await train('warmup', true, data);
  console.log('');
  for (const line of summarize(plain, warm, data.meanLoss)) console.log(line);
  console.log('');
  for (const line of asciiCharts(plain, warm)) console.log(line);
  fs.mkdirSync(path.dirname(SVG_PATH), { recursive: true });
  fs.writeFileSync(SVG_PATH, svgCharts(plain, warm));
  console.log(`\nWrote ${path.relative(process.cwd(), SVG_PATH)}`);
  data.x.dispose();
  data.y.dispose();
}

void main();
