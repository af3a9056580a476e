/**
 * Tensors where PyTorch takes tensors (issue 15, item 2): `ReduceLROnPlateau.step(tf.scalar(loss))`,
 * `GradualWarmupScheduler.step(epoch, metrics)` and the callback's monitored log value accept a
 * one-element tensor, read it without disposing it, and create no tensor; anything else is a typed
 * error. Expected schedules are hand-computed from ReduceLROnPlateau's rules.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import {
  GradualWarmupScheduler,
  InvalidArgumentError,
  LRSchedulerCallback,
  ReduceLROnPlateau,
  VirtualOptimizer,
} from '../lib';
import { isTensorLike, metricValue } from '../lib/metric';
import { expectInvalidArguments } from './helpers/errors';
import { captureWarnings } from './helpers/warnings';

describe('metrics as tensors', () => {
  let tensorsBefore: number;
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).to.equal(tensorsBefore);
  });

  it('reads a one-element tensor of any rank and dtype as PyTorch\'s float(tensor) does, and leaves it alive', () => {
    const tensors = [tf.scalar(0.25), tf.tensor1d([0.5]), tf.tensor2d([[3]], [1, 1], 'int32'), tf.scalar(true, 'bool'), tf.scalar(0.1)];
    // float32 0.1 is the double 0.10000000149011612, as float(torch.tensor(0.1)) gives in PyTorch
    expect(tensors.map((t) => metricValue(t, 'm'))).to.deep.equal([0.25, 0.5, 3, 1, 0.10000000149011612]);
    for (const t of tensors) expect(t.isDisposed).to.equal(false);
    tf.dispose(tensors);
  });

  it('rejects a tensor with more or fewer elements, a disposed one, a string tensor, and non-numbers, each with a typed error', () => {
    const pair = tf.tensor1d([1, 2]);
    const empty = tf.tensor1d([]);
    const words = tf.scalar('loss');
    const disposed = tf.scalar(1);
    disposed.dispose();
    expectInvalidArguments([
      [() => metricValue(pair, 'ReduceLROnPlateau.step: metrics'), 'ReduceLROnPlateau.step: metrics must be a number or a one-element tensor, got a tensor of shape [2] (PyTorch: only one element tensors can be converted to Python scalars)', 'ValueError'],
      [() => metricValue(empty, 'm'), 'm must be a number or a one-element tensor, got a tensor of shape [0] (PyTorch: only one element tensors can be converted to Python scalars)', 'ValueError'],
      [() => metricValue(words, 'm'), 'm must be a number or a real-valued tensor, got a string tensor', 'TypeError'],
      [() => metricValue(disposed, 'm'), 'm is a tensor that was already disposed (shape [])', 'ValueError'],
      [() => metricValue('0.5', 'm'), 'm must be a number or a one-element tensor, got "0.5"', 'TypeError'],
      [() => metricValue({ shape: [] }, 'm'), 'm must be a number or a one-element tensor, got an object', 'TypeError'],
    ]);
    expect(isTensorLike(pair)).to.equal(true);
    expect(isTensorLike({ dataSync: () => [1] })).to.equal(false);
    tf.dispose([pair, empty, words]);
  });

  it('ReduceLROnPlateau.step(tf.scalar(loss)) gives the same schedule as numbers (doc example: 0.1, 0.1, 0.1, 0.05, 0.05, 0.025)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new ReduceLROnPlateau(optimizer, { factor: 0.5, patience: 1 });
    const lrs: number[] = [];
    for (const loss of [1.0, 0.5, 0.75, 0.75, 0.75, 0.75]) {
      const metric = tf.scalar(loss);
      optimizer.step();
      scheduler.step(metric);
      expect(metric.isDisposed).to.equal(false);
      metric.dispose();
      lrs.push(optimizer.paramGroups[0].lr);
    }
    expect(lrs).to.deep.equal([0.1, 0.1, 0.1, 0.05, 0.05, 0.025]);
    expect(scheduler.best).to.equal(0.5);
    const pair = tf.tensor1d([1, 2]);
    expect(() => scheduler.step(pair)).to.throw(InvalidArgumentError, 'ReduceLROnPlateau.step: metrics must be a number or a one-element tensor, got a tensor of shape [2]');
    expect(scheduler.lastEpoch, 'a rejected metric changes nothing').to.equal(6);
    pair.dispose();
  });

  it('GradualWarmupScheduler.step(epoch, tensor) passes the tensor on to its ReduceLROnPlateau', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.2 }]);
    const plateau = new ReduceLROnPlateau(optimizer, { mode: 'max', patience: 0, factor: 0.5 });
    const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 2, afterScheduler: plateau });
    const lrs: number[] = [optimizer.paramGroups[0].lr];
    captureWarnings(() => {
      for (const value of [1, 2, 3, 2, 1]) {
        const metric = tf.scalar(value);
        optimizer.step();
        warmup.step(undefined, metric);
        metric.dispose();
        lrs.push(optimizer.paramGroups[0].lr);
      }
    });
    // the original's plateau path: warmup epochs 1, 2 (0.2 * 1.5, 0.2 * 2; the first metric is ignored),
    // then plateau.step(metric, epoch - 2): 2 is the first best, 3 improves, 2 and 1 halve (patience 0)
    expect(lrs).to.deep.equal([0.30000000000000004, 0.4, 0.4, 0.4, 0.2, 0.1]);
    expect(plateau.best).to.equal(3);
  });

  it("the callback reads a monitored tensor from tfjs's logs without disposing it, and rejects a non-scalar one", async () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const callback = new LRSchedulerCallback(new ReduceLROnPlateau(optimizer, { factor: 0.5, patience: 0 }), { monitor: 'val_loss', tf: null });
    await callback.onTrainBegin();
    const lrs: number[] = [];
    for (const value of [1, 2, 3]) {
      const logs = { val_loss: tf.scalar(value) };
      optimizer.step();
      await callback.onEpochEnd(0, logs);
      expect(logs.val_loss.isDisposed).to.equal(false);
      logs.val_loss.dispose();
      lrs.push(optimizer.paramGroups[0].lr);
    }
    expect(lrs).to.deep.equal([0.1, 0.05, 0.025]);
    const logs = { val_loss: tf.tensor1d([1, 2]) };
    let error: unknown;
    try {
      await callback.onEpochEnd(0, logs);
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(InvalidArgumentError);
    expect((error as Error).message).to.equal(
      'LRSchedulerCallback: monitor "val_loss" must be a number or a one-element tensor, got a tensor of shape [2] ' +
        '(PyTorch: only one element tensors can be converted to Python scalars)',
    );
    logs.val_loss.dispose();
  });
});
