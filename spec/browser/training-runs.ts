/**
 * Training runs that record every learning rate (and momentum, and the tensors tfjs caches for
 * them), run in Node on the sources and in Chromium on the built package: the spec compares the
 * two records bit for bit. The tfjs and the package come in as arguments, so the same code runs
 * bundled, from an import map, and in Node; it has no import but types.
 */
import type * as TF from '@tensorflow/tfjs';
import type * as Lib from '../../lib';

/** Named series of numbers (learning rates, momenta, float32 tensor values). */
export type RunRecord = Record<string, number[]>;

/** Where a run keeps a saved state between two halves (localStorage in a browser). */
export interface StateStore {
  setItem(key: string, value: string): void;
  getItem(key: string): string | null;
}

/** What tfjs 4.22's optimizers keep: the learning rate and momentum tensors they cache. */
interface Internals {
  c: TF.Tensor;
  m: TF.Tensor;
  accBeta1: TF.Variable;
}

const internals = (optimizer: TF.Optimizer): Internals => optimizer as unknown as Internals;
const config = (optimizer: TF.Optimizer, key: string): number => optimizer.getConfig()[key] as number;

/** Disposes an optimizer, and the learning-rate scalar that tfjs 4.22's Momentum.dispose() forgets. */
export function dispose(optimizer: TF.Optimizer): void {
  optimizer.dispose();
  if (optimizer.getClassName() === 'Momentum') internals(optimizer).c.dispose();
}

const EPOCHS = 4;
const BATCHES = 3;

/** A one-weight linear model with fixed initial weights and data, so every backend runs the same updates. */
function linearModel(tf: typeof TF): { model: TF.Sequential; x: TF.Tensor; y: TF.Tensor; disposeModel(): void } {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros', biasInitializer: 'zeros' })] });
  const x = tf.tensor2d([[1], [2], [3]]);
  const y = tf.tensor2d([[2], [4], [6]]);
  return {
    model,
    x,
    y,
    disposeModel: () => {
      model.dispose();
      x.dispose();
      y.dispose();
    },
  };
}

/** `model.fit` with `LRSchedulerCallback`: warmup then cosine per batch, on Momentum (a tf.Callback reads `lr` after it). */
async function fitRun(tf: typeof TF, lr: typeof Lib, record: RunRecord): Promise<void> {
  const { model, x, y, disposeModel } = linearModel(tf);
  const optimizer = tf.train.momentum(0.05, 0.9);
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const cosine = new lr.CosineAnnealingLR(optimizer, { tMax: EPOCHS * BATCHES - 4, etaMin: 0.001 });
  const scheduler = new lr.GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 4, afterScheduler: cosine });
  const used: number[] = [];
  class RecordRate extends tf.Callback {
    override async onBatchEnd(): Promise<void> {
      used.push(config(optimizer, 'learningRate'));
    }
  }
  const history = await model.fit(x, y, {
    epochs: EPOCHS,
    batchSize: 1,
    shuffle: false,
    verbose: 0,
    callbacks: [new lr.LRSchedulerCallback(scheduler, { interval: 'batch', tf }), new RecordRate()],
  });
  record['fit: history.lr'] = history.history.lr as number[];
  record['fit: lr after each batch'] = used;
  disposeModel();
  dispose(optimizer);
}

/** A plain-object callback (the default) stepping StepLR per epoch, alone in `model.fit`. */
async function plainCallbackRun(tf: typeof TF, lr: typeof Lib, record: RunRecord): Promise<void> {
  const { model, x, y, disposeModel } = linearModel(tf);
  const optimizer = tf.train.sgd(0.1);
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const scheduler = new lr.StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
  const history = await model.fit(x, y, { epochs: EPOCHS, batchSize: 3, verbose: 0, callbacks: [new lr.LRSchedulerCallback(scheduler)] });
  record['plain callback: history.lr'] = history.history.lr as number[];
  disposeModel();
  dispose(optimizer);
}

/**
 * A custom loop: OneCycleLR on Momentum and on Adam cycles momentum and beta1, so the package
 * writes the optimizers' cached tensors (Momentum's `m`, Adam's `accBeta1`) on the backend.
 */
function customLoopRun(tf: typeof TF, lr: typeof Lib, record: RunRecord): void {
  const weight = tf.tidy(() => tf.variable(tf.scalar(1)));
  const momentum = tf.train.momentum(0.01, 0.9);
  const adam = tf.train.adam(0.01, 0.9, 0.999);
  const schedulers = [
    new lr.OneCycleLR(momentum, { maxLr: 0.1, totalSteps: 10 }),
    new lr.OneCycleLR(adam, { maxLr: 0.1, totalSteps: 10, annealStrategy: 'linear', threePhase: true }),
  ];
  const series = (name: string): number[] => (record[`custom loop: ${name}`] ??= []);
  for (let step = 0; step < 9; step++) {
    for (const optimizer of [momentum, adam]) optimizer.minimize(() => weight.square() as TF.Scalar, false, [weight]);
    for (const scheduler of schedulers) scheduler.step();
    series('momentum lr').push(config(momentum, 'learningRate'));
    series('momentum').push(config(momentum, 'momentum'));
    series('momentum m tensor (float32)').push(internals(momentum).m.dataSync()[0]);
    series('adam lr').push(config(adam, 'learningRate'));
    series('adam beta1').push(config(adam, 'beta1'));
    series('adam accBeta1 tensor (float32)').push(internals(adam).accBeta1.dataSync()[0]);
  }
  weight.dispose();
  dispose(momentum);
  dispose(adam);
}

/** A state saved as JSON half-way (to `store`) and loaded into fresh objects continues like an uninterrupted run. */
function resumeRun(tf: typeof TF, lr: typeof Lib, record: RunRecord, store: StateStore): void {
  const build = (): { optimizer: TF.Optimizer; scheduler: Lib.LRScheduler } => {
    const optimizer = tf.train.momentum(0.2, 0.85);
    return { optimizer, scheduler: new lr.CyclicLR(optimizer, { baseLr: 0.01, maxLr: 0.2, stepSizeUp: 3, mode: 'exp_range', gamma: 0.9 }) };
  };
  const stepAndRecord = (optimizer: TF.Optimizer, scheduler: Lib.LRScheduler, steps: number, into: number[]): void => {
    for (let i = 0; i < steps; i++) {
      scheduler.step();
      into.push(config(optimizer, 'learningRate'), config(optimizer, 'momentum'));
    }
  };
  const whole: number[] = [];
  const first = build();
  stepAndRecord(first.optimizer, first.scheduler, 10, whole);
  const resumed: number[] = [];
  const half = build();
  stepAndRecord(half.optimizer, half.scheduler, 5, resumed);
  store.setItem('tfjs-lr-scheduler-spec', JSON.stringify({ scheduler: half.scheduler.stateDict(), paramGroups: half.scheduler.optimizer.stateDict() }));
  const saved = JSON.parse(store.getItem('tfjs-lr-scheduler-spec') as string) as { scheduler: Lib.SchedulerState; paramGroups: Lib.OptimizerState };
  const fresh = build();
  fresh.scheduler.optimizer.loadStateDict(saved.paramGroups);
  fresh.scheduler.loadStateDict(saved.scheduler);
  stepAndRecord(fresh.optimizer, fresh.scheduler, 5, resumed);
  record['resume: uninterrupted'] = whole;
  record['resume: saved and loaded after 5 steps'] = resumed;
  for (const { optimizer } of [first, half, fresh]) dispose(optimizer);
}

/** Every run, with the number of tensors they leave behind under `leaked tensors`. */
export async function trainingRuns(tf: typeof TF, lr: typeof Lib, store: StateStore): Promise<RunRecord> {
  const record: RunRecord = {};
  const previous = lr.setWarningHandler(() => {});
  const before = tf.memory().numTensors;
  try {
    await fitRun(tf, lr, record);
    await plainCallbackRun(tf, lr, record);
    customLoopRun(tf, lr, record);
    resumeRun(tf, lr, record, store);
  } finally {
    lr.setWarningHandler(previous);
  }
  record['leaked tensors'] = [tf.memory().numTensors - before];
  return record;
}
