import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import {
  CosineAnnealingLR,
  GradualWarmupScheduler,
  InvalidArgumentError,
  LRSchedulerCallback,
  ReduceLROnPlateau,
  StepLR,
  SWALR,
  VirtualOptimizer,
  getScheduler,
  setWarningHandler,
  type LRScheduler,
  type SchedulerWarning,
  type TfjsLayersLike,
} from '../../lib';
import { disposeOptimizer } from '../helpers/tfjs';
import { BATCHES, BATCH_SIZE, expectLrs, linearProbe, perBatch, validationData, type Probe } from './fit-probe';

let otherCopy: TfjsLayersLike | undefined;

/** A second copy of tfjs-layers (a fresh module instance), as when the app's tfjs is not the one this package resolves. */
function otherTfjsLayersCopy(): TfjsLayersLike {
  if (otherCopy !== undefined) return otherCopy;
  const path = require.resolve('@tensorflow/tfjs-layers');
  const saved = require.cache[path];
  delete require.cache[path];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    otherCopy = require('@tensorflow/tfjs-layers') as TfjsLayersLike;
    return otherCopy;
  } finally {
    require.cache[path] = saved;
  }
}

function historyLr(history: tf.History, key = 'lr'): number[] {
  return history.history[key] as number[];
}

/** An early-stopping callback that never stops (patience beyond the run). */
function earlyStopping(): tf.EarlyStopping {
  return tf.callbacks.earlyStopping({ monitor: 'loss', patience: 1000 });
}

describe('LRSchedulerCallback', () => {
  let tensorsBefore: number;
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).to.equal(tensorsBefore);
  });

  /** SGD at 0.8 halved every 2 epochs: lrs used per epoch 0.8, 0.8, 0.4, 0.4, 0.2. */
  const STEP_EPOCHS = [0.8, 0.8, 0.4, 0.4, 0.2];

  async function fitWithStepLR(
    arrange: (callback: LRSchedulerCallback) => Array<LRSchedulerCallback | tf.Callback>,
    options: ConstructorParameters<typeof LRSchedulerCallback>[1] = {},
  ): Promise<{ used: number[]; lr: number[] }> {
    const optimizer = tf.train.sgd(0.8);
    const probe = linearProbe(optimizer);
    const callback = new LRSchedulerCallback(new StepLR(optimizer, { stepSize: 2, gamma: 0.5 }), options);
    try {
      const history = await probe.model.fit(probe.x, probe.y, { epochs: 5, batchSize: BATCH_SIZE, verbose: 0, callbacks: arrange(callback) });
      return { used: probe.usedLrs.slice(), lr: historyLr(history) };
    } finally {
      probe.dispose();
      disposeOptimizer(optimizer);
    }
  }

  describe('interval "epoch"', () => {
    it('steps after the last update of each epoch: every batch of an epoch uses that epoch\'s lr', async () => {
      const { used, lr } = await fitWithStepLR((callback) => [callback]);
      expectLrs(used, perBatch(STEP_EPOCHS));
      expect(lr).to.deep.equal(STEP_EPOCHS);
    });

    it('steps every `frequency` epochs', async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
      const history = await probe.model.fit(probe.x, probe.y, {
        epochs: 6,
        batchSize: BATCH_SIZE,
        verbose: 0,
        callbacks: [new LRSchedulerCallback(scheduler, { frequency: 2 })],
      });
      const epochs = [0.8, 0.8, 0.4, 0.4, 0.2, 0.2];
      expectLrs(probe.usedLrs, perBatch(epochs));
      expectLrs(historyLr(history), epochs);
      expect(scheduler.lastEpoch).to.equal(3);
      probe.dispose();
      disposeOptimizer(optimizer);
    });

    it('gives the same lrs with validation data, and validation sees the updated weights only', async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const [xVal, yVal] = validationData();
      const history = await probe.model.fit(probe.x, probe.y, {
        epochs: 5,
        batchSize: BATCH_SIZE,
        verbose: 0,
        validationData: [xVal, yVal],
        callbacks: [new LRSchedulerCallback(new StepLR(optimizer, { stepSize: 2, gamma: 0.5 }))],
      });
      expectLrs(probe.usedLrs, perBatch(STEP_EPOCHS));
      expectLrs(historyLr(history), STEP_EPOCHS);
      // val_loss is the weight after each epoch: -(sum of the lrs used so far).
      let weight = 0;
      const expectedValLoss = STEP_EPOCHS.map((lr) => (weight -= lr * BATCHES));
      expectLrs(history.history.val_loss as number[], expectedValLoss);
      xVal.dispose();
      yVal.dispose();
      probe.dispose();
      disposeOptimizer(optimizer);
    });

    it('continues the schedule over repeated fit({ epochs: 1 }) calls', async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const callback = new LRSchedulerCallback(new StepLR(optimizer, { stepSize: 2, gamma: 0.5 }));
      const lrs: number[] = [];
      for (let epoch = 0; epoch < 5; epoch++) {
        const history = await probe.model.fit(probe.x, probe.y, { epochs: 1, batchSize: BATCH_SIZE, verbose: 0, callbacks: [callback] });
        lrs.push(...historyLr(history));
      }
      expectLrs(probe.usedLrs, perBatch(STEP_EPOCHS));
      expectLrs(lrs, STEP_EPOCHS);
      probe.dispose();
      disposeOptimizer(optimizer);
    });
  });

  describe('interval "batch"', () => {
    it('steps after every update, so each batch uses the next lr of the schedule', async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const scheduler = new StepLR(optimizer, { stepSize: 3, gamma: 0.5 });
      const history = await probe.model.fit(probe.x, probe.y, {
        epochs: 2,
        batchSize: BATCH_SIZE,
        verbose: 0,
        callbacks: [new LRSchedulerCallback(scheduler, { interval: 'batch' })],
      });
      // 8 updates: StepLR per iteration, halving every 3.
      const perIteration = [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2];
      expectLrs(probe.usedLrs, perIteration);
      // The epoch log holds the lr of the epoch's last update.
      expectLrs(historyLr(history), [0.4, 0.2]);
      expect(scheduler.lastEpoch).to.equal(8);
      probe.dispose();
      disposeOptimizer(optimizer);
    });

    it('steps every `frequency` batches, counting across epochs', async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
      await probe.model.fit(probe.x, probe.y, {
        epochs: 2,
        batchSize: BATCH_SIZE,
        verbose: 0,
        validationData: [probe.x, probe.y],
        callbacks: [new LRSchedulerCallback(scheduler, { interval: 'batch', frequency: 3 })],
      });
      expectLrs(probe.usedLrs, [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2]);
      probe.dispose();
      disposeOptimizer(optimizer);
    });

    it('drives the warmup-per-iteration pattern: GradualWarmupScheduler in iterations, then its after-scheduler', async () => {
      const optimizer = tf.train.sgd(0.5);
      const probe = linearProbe(optimizer);
      const after = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
      const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 4, afterScheduler: after });
      await probe.model.fit(probe.x, probe.y, {
        epochs: 2,
        batchSize: BATCH_SIZE,
        verbose: 0,
        callbacks: [new LRSchedulerCallback(warmup, { interval: 'batch' })],
      });
      // Warmup from 0: 0 (no update), 0.125, 0.25, 0.375, 0.5; the hand-off step keeps StepLR's 0.5,
      // then StepLR steps per iteration (halving at its step 2).
      expectLrs(probe.usedLrs.slice(1), [0.125, 0.25, 0.375, 0.5, 0.5, 0.5, 0.25]);
      expect(probe.usedLrs[0]).to.equal(0);
      probe.dispose();
      disposeOptimizer(optimizer);
    });
  });

  describe("transformers' schedules and SWALR", () => {
    it("steps a getScheduler('cosine') schedule per optimizer step, as the HuggingFace Trainer does (lrs of transformers on torch 2.13)", async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const scheduler = getScheduler('cosine', optimizer, { numWarmupSteps: 2, numTrainingSteps: 8 });
      await probe.model.fit(probe.x, probe.y, {
        epochs: 2,
        batchSize: BATCH_SIZE,
        verbose: 0,
        callbacks: [new LRSchedulerCallback(scheduler, { interval: 'batch' })],
      });
      // The first update trains at lr 0 (the warmup starts at 0), so the weight does not move.
      expect(probe.usedLrs[0]).to.equal(0);
      expectLrs(probe.usedLrs.slice(1), [0.4, 0.8, 0.7464101615137756, 0.6000000000000001, 0.4, 0.2000000000000001, 0.05358983848622452]);
      expect(scheduler.lastEpoch).to.equal(8);
      expect(scheduler.getLastLr()).to.deep.equal([0]);
      probe.dispose();
      disposeOptimizer(optimizer);
    });

    it("drives SWA's pattern in two fit() calls: CosineAnnealingLR up to swaStart, then SWALR (lrs of torch 2.13's loop)", async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const cosine = new CosineAnnealingLR(optimizer, { tMax: 6 });
      const swa = new SWALR(optimizer, { swaLr: 0.05, annealEpochs: 3 });
      const swaStart = 3; // PyTorch: `if epoch > swa_start: swa.step() else: cosine.step()`
      const fit = (scheduler: LRScheduler, initialEpoch: number, epochs: number): Promise<tf.History> =>
        probe.model.fit(probe.x, probe.y, { initialEpoch, epochs, batchSize: BATCH_SIZE, verbose: 0, callbacks: [new LRSchedulerCallback(scheduler)] });
      const first = await fit(cosine, 0, swaStart + 1);
      const second = await fit(swa, swaStart + 1, 8);
      const perEpoch = [0.8, 0.7464101615137756, 0.6000000000000001, 0.4, 0.2000000000000001, 0.1625000000000001, 0.08750000000000005, 0.05];
      expectLrs(probe.usedLrs, perBatch(perEpoch));
      expectLrs([...historyLr(first), ...historyLr(second)], perEpoch);
      expect(swa.getLastLr()).to.deep.equal([0.05]);
      probe.dispose();
      disposeOptimizer(optimizer);
    });
  });

  describe('ReduceLROnPlateau', () => {
    it('passes the monitored val_loss (mode "max": it keeps falling, so every epoch after the first is bad)', async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const [xVal, yVal] = validationData();
      const plateau = new ReduceLROnPlateau(optimizer, { mode: 'max', patience: 1, factor: 0.5 });
      const history = await probe.model.fit(probe.x, probe.y, {
        epochs: 6,
        batchSize: BATCH_SIZE,
        verbose: 0,
        validationData: [xVal, yVal],
        callbacks: [new LRSchedulerCallback(plateau, { monitor: 'val_loss' })],
      });
      // Bad epochs 1, 2 (> patience 1 at the end of epoch 2), then 3, 4 (reduce at the end of epoch 4).
      const epochs = [0.8, 0.8, 0.8, 0.4, 0.4, 0.2];
      expectLrs(probe.usedLrs, perBatch(epochs));
      expectLrs(historyLr(history), epochs);
      xVal.dispose();
      yVal.dispose();
      probe.dispose();
      disposeOptimizer(optimizer);
    });

    it('passes the monitored training loss per batch with interval "batch"', async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const plateau = new ReduceLROnPlateau(optimizer, { mode: 'max', patience: 0, factor: 0.5 });
      await probe.model.fit(probe.x, probe.y, {
        epochs: 1,
        batchSize: BATCH_SIZE,
        verbose: 0,
        callbacks: [new LRSchedulerCallback(plateau, { monitor: 'loss', interval: 'batch' })],
      });
      // The batch loss is the weight before the update: 0, -0.8, -1.6, ... first is best, then every batch is bad.
      expectLrs(probe.usedLrs, [0.8, 0.8, 0.4, 0.2]);
      probe.dispose();
      disposeOptimizer(optimizer);
    });

    it('passes the metric inside a GradualWarmupScheduler: step(undefined, metric)', async () => {
      const optimizer = tf.train.sgd(0.2);
      const probe = linearProbe(optimizer);
      const [xVal, yVal] = validationData();
      const plateau = new ReduceLROnPlateau(optimizer, { mode: 'max', patience: 0, factor: 0.5 });
      const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 2, afterScheduler: plateau });
      const { result: history, warnings } = await captureAsyncWarnings(() =>
        probe.model.fit(probe.x, probe.y, {
          epochs: 5,
          batchSize: BATCH_SIZE,
          verbose: 0,
          validationData: [xVal, yVal],
          callbacks: [new LRSchedulerCallback(warmup, { monitor: 'val_loss' })],
        }),
      );
      // The original's plateau path: warmup counted from epoch 1 (0.2 * 1.5, then 0.2 * 2), then
      // plateau.step(metric, epoch - totalEpoch) after each epoch: the first metric is the best, each
      // later one (mode max, patience 0) halves the lr.
      const epochs = [0.3, 0.4, 0.4, 0.2, 0.1];
      expectLrs(probe.usedLrs, perBatch(epochs));
      expectLrs(historyLr(history), epochs);
      // ReduceLROnPlateau.step(metrics, epoch) warns that the epoch argument is deprecated, as in PyTorch.
      expect(warnings.map((warning) => warning.category)).to.deep.equal(['UserWarning', 'UserWarning', 'UserWarning', 'UserWarning']);
      xVal.dispose();
      yVal.dispose();
      probe.dispose();
      disposeOptimizer(optimizer);
    });

    async function fitError(callback: LRSchedulerCallback, probe: Probe): Promise<unknown> {
      try {
        await probe.model.fit(probe.x, probe.y, { epochs: 2, batchSize: BATCH_SIZE, verbose: 0, callbacks: [callback] });
      } catch (caught) {
        return caught;
      }
      return undefined;
    }

    it('rejects a missing monitored key before training starts, naming the keys the logs will have', async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const error = await fitError(new LRSchedulerCallback(new ReduceLROnPlateau(optimizer, {}), { monitor: 'val_loss', tf }), probe);
      expect(error).to.be.instanceOf(InvalidArgumentError);
      expect((error as Error).message).to.equal(
        'LRSchedulerCallback: monitor "val_loss" is not in the epoch logs, which have: loss ' +
          '(val_ keys exist only when fit() gets validationData or validationSplit)',
      );
      expect(probe.usedLrs).to.deep.equal([]);
      const batchError = await fitError(new LRSchedulerCallback(new ReduceLROnPlateau(optimizer, {}), { monitor: 'val_loss', interval: 'batch', tf }), probe);
      expect((batchError as Error).message).to.equal(
        'LRSchedulerCallback: monitor "val_loss" is not in the batch logs, which have: loss, batch, size ' +
          '(val_ keys exist only in the epoch logs: use interval "epoch")',
      );
      probe.dispose();
      disposeOptimizer(optimizer);
    });

    it('rejects a missing monitored key at the first step when model.fit wraps it as a plain object', async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const error = await fitError(new LRSchedulerCallback(new ReduceLROnPlateau(optimizer, {}), { monitor: 'acc', tf: null }), probe);
      expect(error).to.be.instanceOf(InvalidArgumentError);
      expect((error as Error).message).to.equal('LRSchedulerCallback: monitor "acc" is not in the epoch logs, which have: loss');
      expect(probe.usedLrs).to.have.length(BATCHES);
      probe.dispose();
      disposeOptimizer(optimizer);
    });

    it('requires "monitor" for a ReduceLROnPlateau, alone or after a warmup', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
      const plateau = new ReduceLROnPlateau(optimizer, {});
      expect(() => new LRSchedulerCallback(plateau)).to.throw(
        InvalidArgumentError,
        'LRSchedulerCallback: a ReduceLROnPlateau steps on a metric: pass the log key to watch as the "monitor" option',
      );
      const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 2, afterScheduler: plateau });
      expect(() => new LRSchedulerCallback(warmup)).to.throw(InvalidArgumentError, 'a GradualWarmupScheduler steps on a metric');
    });
  });

  describe('the learning rate in the logs', () => {
    it('adds lr (the first group) and lr_0, lr_1, ... with several param groups', async () => {
      const optimizer = tf.train.sgd(0.8);
      const other = tf.train.sgd(0.1);
      const probe = linearProbe(optimizer);
      const scheduler = new StepLR([optimizer, other], { stepSize: 1, gamma: 0.5 });
      const history = await probe.model.fit(probe.x, probe.y, {
        epochs: 3,
        batchSize: BATCH_SIZE,
        verbose: 0,
        callbacks: [new LRSchedulerCallback(scheduler)],
      });
      expect(history.history.lr).to.deep.equal([0.8, 0.4, 0.2]);
      expect(history.history.lr_0).to.deep.equal([0.8, 0.4, 0.2]);
      expect(history.history.lr_1).to.deep.equal([0.1, 0.05, 0.025]);
      expectLrs(probe.usedLrs, perBatch([0.8, 0.4, 0.2]));
      probe.dispose();
      disposeOptimizer(optimizer);
      disposeOptimizer(other);
    });

    it('adds only lr with one param group', async () => {
      const optimizer = tf.train.sgd(0.8);
      const probe = linearProbe(optimizer);
      const history = await probe.model.fit(probe.x, probe.y, {
        epochs: 1,
        batchSize: BATCH_SIZE,
        verbose: 0,
        callbacks: [new LRSchedulerCallback(new StepLR(optimizer, { stepSize: 1 }))],
      });
      expect(Object.keys(history.history).sort()).to.deep.equal(['loss', 'lr']);
      probe.dispose();
      disposeOptimizer(optimizer);
    });
  });

  describe('model.compile with an optimizer name', () => {
    it('builds the scheduler from the factory on model.optimizer when training begins (adam)', async () => {
      const probe = linearProbe('adam');
      let built: LRScheduler | null = null;
      const callback = new LRSchedulerCallback((optimizer) => (built = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 })), { tf });
      expect(callback.scheduler).to.equal(null);
      const history = await probe.model.fit(probe.x, probe.y, { epochs: 3, batchSize: BATCH_SIZE, verbose: 0, callbacks: [callback] });
      expect(callback.scheduler).to.equal(built);
      // tfjs's 'adam' starts at 0.001; with a constant gradient each Adam update moves by lr / (1 + 1e-7).
      expectLrs(probe.usedLrs, perBatch([0.001, 0.0005, 0.00025]), 1e-4);
      expectLrs(historyLr(history), [0.001, 0.0005, 0.00025]);
      probe.dispose();
    });

    it('schedules model.optimizer with a factory and ReduceLROnPlateau (sgd by name)', async () => {
      const probe = linearProbe('sgd');
      const [xVal, yVal] = validationData();
      const callback = new LRSchedulerCallback((optimizer) => new ReduceLROnPlateau(optimizer, { mode: 'max', patience: 0, factor: 0.1 }), {
        monitor: 'val_loss',
        tf,
      });
      await probe.model.fit(probe.x, probe.y, { epochs: 3, batchSize: BATCH_SIZE, verbose: 0, validationData: [xVal, yVal], callbacks: [callback] });
      // tfjs's 'sgd' starts at 0.01.
      expectLrs(probe.usedLrs, perBatch([0.01, 0.01, 0.001]), 1e-4);
      xVal.dispose();
      yVal.dispose();
      probe.dispose();
    });

    it('rejects a scheduler built on another optimizer than the model trains with', async () => {
      const probe = linearProbe('sgd');
      const stray = tf.train.sgd(0.1);
      const callback = new LRSchedulerCallback(new StepLR(stray, { stepSize: 1 }), { tf });
      let error: unknown;
      try {
        await probe.model.fit(probe.x, probe.y, { epochs: 1, batchSize: BATCH_SIZE, verbose: 0, callbacks: [callback] });
      } catch (caught) {
        error = caught;
      }
      expect((error as Error).message).to.match(/^LRSchedulerCallback: the StepLR schedules an optimizer the model does not train with/);
      probe.dispose();
      disposeOptimizer(stray);
    });

    it('explains why a factory needs a tf.Callback when model.fit wraps the callback as a plain object', async () => {
      const probe = linearProbe('sgd');
      const callback = new LRSchedulerCallback((optimizer) => new StepLR(optimizer, { stepSize: 1 }), { tf: null });
      let error: unknown;
      try {
        await probe.model.fit(probe.x, probe.y, { epochs: 1, batchSize: BATCH_SIZE, verbose: 0, callbacks: [callback] });
      } catch (caught) {
        error = caught;
      }
      expect((error as Error).message).to.match(/a scheduler factory needs model.optimizer, but model.fit did not pass the model/);
      probe.dispose();
    });
  });

  describe('beside tfjs\'s class-based callbacks, on any copy of tfjs', () => {
    const arrangements: Array<[string, (callback: LRSchedulerCallback) => Array<LRSchedulerCallback | tf.Callback>]> = [
      ['alone', (callback) => [callback]],
      ['first, before tf.callbacks.earlyStopping', (callback) => [callback, earlyStopping()]],
      ['last, after tf.callbacks.earlyStopping', (callback) => [earlyStopping(), callback]],
    ];

    for (const [where, arrange] of arrangements) {
      it(`works ${where} built on the app's tfjs ({ tf })`, async () => {
        const { used, lr } = await fitWithStepLR(arrange, { tf });
        expectLrs(used, perBatch(STEP_EPOCHS));
        expectLrs(lr, STEP_EPOCHS);
      });
    }

    it('works alone and last as a tf.Callback of another tfjs-layers copy (methods are bound: model.fit may wrap it)', async () => {
      const other = otherTfjsLayersCopy();
      for (const arrange of [arrangements[0][1], arrangements[2][1]]) {
        const { used, lr } = await fitWithStepLR(arrange, { tf: other });
        expectLrs(used, perBatch(STEP_EPOCHS));
        expectLrs(lr, STEP_EPOCHS);
      }
    });

    it('works alone and last as a plain object (the default, and { tf: null })', async () => {
      for (const options of [{}, { tf: null }]) {
        for (const arrange of [arrangements[0][1], arrangements[2][1]]) {
          const { used, lr } = await fitWithStepLR(arrange, options);
          expectLrs(used, perBatch(STEP_EPOCHS));
          expectLrs(lr, STEP_EPOCHS);
        }
      }
    });

    it('is an instance of the tf.Callback it is built on, and of LRSchedulerCallback', () => {
      const scheduler = new StepLR(new VirtualOptimizer([{ lr: 1 }]), { stepSize: 1 });
      const other = otherTfjsLayersCopy();
      const onApp = new LRSchedulerCallback(scheduler, { tf });
      const onOther = new LRSchedulerCallback(scheduler, { tf: other });
      const plain = new LRSchedulerCallback(scheduler, { tf: null });
      expect(onApp).to.be.instanceOf(tf.Callback).and.instanceOf(LRSchedulerCallback);
      expect(onOther).to.be.instanceOf(other.Callback).and.instanceOf(LRSchedulerCallback).and.not.instanceOf(tf.Callback);
      expect(plain).to.be.instanceOf(LRSchedulerCallback).and.not.instanceOf(tf.Callback);
      expect(new LRSchedulerCallback(scheduler)).to.be.instanceOf(LRSchedulerCallback).and.not.instanceOf(tf.Callback);
      expect({}).to.not.be.instanceOf(LRSchedulerCallback);
      expect(onApp.scheduler).to.equal(scheduler);
    });
  });

  describe('bad arguments', () => {
    const scheduler = (): LRScheduler => new StepLR(new VirtualOptimizer([{ lr: 1 }]), { stepSize: 1 });
    const cases: Array<[string, () => unknown, string]> = [
      ['a non-scheduler', () => new LRSchedulerCallback({} as LRScheduler), 'LRSchedulerCallback: the first argument must be a scheduler or a function (optimizer) => scheduler, got an object'],
      ['an unknown interval', () => new LRSchedulerCallback(scheduler(), { interval: 'step' as 'batch' }), 'LRSchedulerCallback: option "interval" must be one of "epoch", "batch", got "step"'],
      ['a zero frequency', () => new LRSchedulerCallback(scheduler(), { frequency: 0 }), 'LRSchedulerCallback: option "frequency" must be a positive integer, got 0'],
      ['a fractional frequency', () => new LRSchedulerCallback(scheduler(), { frequency: 1.5 }), 'LRSchedulerCallback: option "frequency" must be a positive integer, got 1.5'],
      ['an empty monitor', () => new LRSchedulerCallback(scheduler(), { monitor: '' }), 'LRSchedulerCallback: option "monitor" must be a non-empty string (a key of the logs), got ""'],
      ['a tf without Callback', () => new LRSchedulerCallback(scheduler(), { tf: {} as TfjsLayersLike }), 'LRSchedulerCallback: option "tf" must be a tfjs namespace exporting Callback'],
      ['an unknown option', () => new LRSchedulerCallback(scheduler(), { mode: 'min' } as object), 'LRSchedulerCallback: unknown option "mode" (expected one of: interval, frequency, monitor, tf)'],
    ];
    for (const [what, build, message] of cases) {
      it(`rejects ${what}`, () => {
        expect(build).to.throw(InvalidArgumentError, message);
      });
    }

    it('rejects a factory that returns no scheduler, when training begins', async () => {
      const probe = linearProbe('sgd');
      const callback = new LRSchedulerCallback((() => 42) as unknown as () => LRScheduler, { tf });
      let error: unknown;
      try {
        await probe.model.fit(probe.x, probe.y, { epochs: 1, batchSize: BATCH_SIZE, verbose: 0, callbacks: [callback] });
      } catch (caught) {
        error = caught;
      }
      expect((error as Error).message).to.equal(
        "LRSchedulerCallback: the factory's result must be a scheduler or a function (optimizer) => scheduler, got 42",
      );
      probe.dispose();
    });
  });
});

/** Every warning emitted while the async `fn` runs. */
async function captureAsyncWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: SchedulerWarning[] }> {
  const warnings: SchedulerWarning[] = [];
  const previous = setWarningHandler((warning) => warnings.push(warning));
  try {
    return { result: await fn(), warnings };
  } finally {
    setWarningHandler(previous);
  }
}
