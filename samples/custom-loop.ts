/**
 * Schedulers in a hand-written training loop, shaped like PyTorch's:
 *
 *   for epoch in range(epochs):                 for (let epoch = 0; epoch < epochs; epoch++) {
 *       for x, y in loader:                         for (const [x, y] of batches) {
 *           optimizer.zero_grad()                       optimizer.minimize(() => lossFn(x, y));
 *           loss_fn(model(x), y).backward()         }
 *           optimizer.step()                        scheduler.step();
 *       scheduler.step()                        }
 *
 * 1. StepLR stepped once per epoch.
 * 2. The warmup-per-iteration pattern: GradualWarmupScheduler measured in iterations (stepped after
 *    every batch while it warms up), then its after-scheduler stepped once per epoch.
 *
 *   npx tsx samples/custom-loop.ts
 */
import './use-tfjs-node-if-installed';
import * as tf from '@tensorflow/tfjs';
import { GradualWarmupScheduler, pyrepr, StepLR } from '../lib';

tf.enableProdMode(); // silences tfjs's "install tfjs-node" banner

// A tiny regression, y = 3x - 1, in 4 batches of 4 samples.
const xs = [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75];
const batches = [0, 4, 8, 12].map((start) => {
  const x = xs.slice(start, start + 4);
  return [tf.tensor1d(x), tf.tensor1d(x.map((v) => 3 * v - 1))] as const;
});

function trainEpoch(optimizer: tf.Optimizer, weight: tf.Variable, bias: tf.Variable, afterBatch: () => void = () => {}): number {
  let total = 0;
  for (const [x, y] of batches) {
    // optimizer.zero_grad(); loss.backward(); optimizer.step() in one call
    const loss = optimizer.minimize(() => tf.losses.meanSquaredError(y, x.mul(weight).add(bias)) as tf.Scalar, true) as tf.Scalar;
    total += loss.dataSync()[0];
    loss.dispose();
    afterBatch();
  }
  return total / batches.length;
}

// 1. The PyTorch-shaped loop: scheduler.step() once per epoch, after the epoch's updates.
{
  const weight = tf.variable(tf.scalar(0));
  const bias = tf.variable(tf.scalar(0));
  const optimizer = tf.train.sgd(0.1);
  const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
  console.log('StepLR(stepSize 2, gamma 0.5), stepped once per epoch');
  for (let epoch = 0; epoch < 6; epoch++) {
    const lr = scheduler.getLastLr()[0]; // the lr this epoch trains with
    const loss = trainEpoch(optimizer, weight, bias);
    scheduler.step();
    console.log(`epoch ${epoch}  lr ${pyrepr(lr)}  loss ${loss.toFixed(4)}`); // Python: f'... lr {lr} ...'
  }
  tf.dispose([weight, bias]);
  optimizer.dispose();
}

// 2. Warmup per iteration, then a per-epoch schedule. The warmup's after-scheduler (StepLR, in
//    epochs) takes over once the warmup is done; from then on warmup.step() steps it, once per epoch.
{
  const weight = tf.variable(tf.scalar(0));
  const bias = tf.variable(tf.scalar(0));
  const optimizer = tf.train.sgd(0.1);
  const warmupIterations = 6;
  const afterScheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
  // multiplier 1: from 0 up to the optimizer's lr (the original's quirk: the very first update uses lr 0).
  const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: warmupIterations, afterScheduler });
  console.log('');
  console.log(`GradualWarmupScheduler over ${warmupIterations} iterations, then StepLR(stepSize 2, gamma 0.5) per epoch`);
  let iteration = 0;
  for (let epoch = 0; epoch < 6; epoch++) {
    const lrs: number[] = [];
    const loss = trainEpoch(optimizer, weight, bias, () => {
      lrs.push(warmup.getLastLr()[0]); // the lr this batch trained with
      iteration += 1;
      if (iteration <= warmupIterations) warmup.step(); // warming up: one step per iteration
    });
    if (iteration > warmupIterations) warmup.step(); // warmed up: one step per epoch
    console.log(`epoch ${epoch}  lr ${lrs.map((lr) => pyrepr(lr)).join(' ')}  loss ${loss.toFixed(4)}`);
  }
  tf.dispose([weight, bias]);
  optimizer.dispose();
}

for (const [x, y] of batches) tf.dispose([x, y]);
