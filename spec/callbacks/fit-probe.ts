/**
 * A linear probe for `model.fit`: one weight `w` (no bias, starts at 0), inputs all 1, and the
 * loss `mean(w * x)`, whose gradient is exactly 1. An SGD update therefore moves `w` by `-lr`, an
 * Adam update by `-lr / (1 + epsilon)`: the change of `w` at each update IS the learning rate that
 * update used. `recordUsedLrs` spies on the optimizer's `applyGradients` to read it.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';

export const SAMPLES = 8;
export const BATCH_SIZE = 2;
/** Updates per epoch. */
export const BATCHES = SAMPLES / BATCH_SIZE;

export interface Probe {
  model: tf.Sequential;
  x: tf.Tensor;
  y: tf.Tensor;
  /** The learning rate used by every optimizer update so far, in order. */
  usedLrs: number[];
  dispose(): void;
}

/** A compiled probe; `optimizer` is a tfjs optimizer or a name such as `'adam'`. */
export function linearProbe(optimizer: tf.Optimizer | string): Probe {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'zeros' })],
  });
  model.compile({ optimizer, loss: (_yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mean(yPred) });
  const x = tf.ones([SAMPLES, 1]);
  const y = tf.zeros([SAMPLES, 1]);
  const usedLrs = recordUsedLrs(model);
  return {
    model,
    x,
    y,
    usedLrs,
    dispose(): void {
      model.dispose();
      x.dispose();
      y.dispose();
    },
  };
}

/** Validation data for the probe: `val_loss` is the weight after the epoch (it keeps decreasing). */
export function validationData(): [tf.Tensor, tf.Tensor] {
  return [tf.ones([2, 1]), tf.zeros([2, 1])];
}

function recordUsedLrs(model: tf.Sequential): number[] {
  const optimizer = model.optimizer as tf.Optimizer & { applyGradients(grads: unknown): void };
  const kernel = model.layers[0].getWeights()[0];
  const original = optimizer.applyGradients.bind(optimizer);
  const usedLrs: number[] = [];
  optimizer.applyGradients = (grads: unknown): void => {
    const before = kernel.dataSync()[0];
    original(grads);
    usedLrs.push(before - kernel.dataSync()[0]);
  };
  return usedLrs;
}

/** `values[i]` repeated `times` times each: the per-batch lrs of per-epoch values. */
export function perBatch(values: readonly number[], times = BATCHES): number[] {
  return values.flatMap((value) => new Array<number>(times).fill(value));
}

/** Asserts the measured learning rates (float32 weight differences) are the expected ones. */
export function expectLrs(actual: readonly number[], expected: readonly number[], relative = 1e-5): void {
  const close = actual.length === expected.length && actual.every((value, i) => Math.abs(value - expected[i]) <= relative * Math.abs(expected[i]));
  if (!close) expect.fail(`learning rates used: [${actual.join(', ')}]\nexpected: [${expected.join(', ')}]`);
}
