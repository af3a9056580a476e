/**
 * Three PyTorch training loops ported line for line, printing what the Python prints, character for
 * character: `pyrepr(x)` is Python's `repr` of a float (`0.0`, `1e-05`, `4e-08`) and of a list, so
 *
 *   diff <(python3 spec/fixtures/samples/port-from-pytorch.py) <(npx tsx samples/port-from-pytorch.ts)
 *
 * prints nothing. The Python original sits beside its recorded output in spec/fixtures/samples/.
 *
 * 1. Adam and OneCycleLR stepped after every batch (OneCycleLR also cycles Adam's beta1).
 * 2. SGD with Nesterov momentum, two param groups (two tfjs optimizers, one per layer), a linear
 *    warmup then a cosine in a SequentialLR, stepped per epoch; saved as JSON after epoch 3 and
 *    resumed in fresh objects.
 * 3. ReduceLROnPlateau on a validation loss that is a tensor, as in PyTorch.
 *
 *   npx tsx samples/port-from-pytorch.ts
 */
import './use-tfjs-node-if-installed';
import * as tf from '@tensorflow/tfjs';
import { asOptimizer, CosineAnnealingLR, LinearLR, OneCycleLR, pyrepr, ReduceLROnPlateau, SequentialLR, type OptimizerState, type SchedulerState } from '../lib';

tf.enableProdMode(); // silences tfjs's "install tfjs-node" banner

// xs = torch.linspace(-1, 1, 16).reshape(4, 4, 1); ys = 3 * xs - 1: 4 batches of 4 samples
const batches = [0, 1, 2, 3].map((b) => {
  const x = Array.from({ length: 4 }, (_, i) => -1 + (2 * (4 * b + i)) / 15);
  return [tf.tensor2d(x, [4, 1]), tf.tensor2d(x.map((v) => 3 * v - 1), [4, 1])] as const;
});

type Layer = { weight: tf.Variable; bias: tf.Variable };

function linear(inputs: number, outputs: number): Layer {
  return { weight: tf.variable(tf.randomUniform([inputs, outputs], -0.5, 0.5, 'float32', 1)), bias: tf.variable(tf.zeros([outputs])) };
}

/** optimizer.zero_grad(); mse_loss(model(x), y).backward(); optimizer.step(), for each optimizer's own layers. */
function trainBatch(layers: Layer[], optimizers: tf.Optimizer[], x: tf.Tensor, y: tf.Tensor): void {
  const loss = (): tf.Scalar => tf.losses.meanSquaredError(y, layers.reduce((h: tf.Tensor, l) => h.matMul(l.weight).add(l.bias), x)) as tf.Scalar;
  const { grads } = tf.variableGrads(loss);
  optimizers.forEach((optimizer, i) => {
    const mine = optimizers.length === 1 ? layers : [layers[i]];
    optimizer.applyGradients(Object.fromEntries(mine.flatMap((l) => [[l.weight.name, grads[l.weight.name]], [l.bias.name, grads[l.bias.name]]])));
  });
  tf.dispose(grads);
}

function disposeAll(layers: Layer[], optimizers: tf.Optimizer[]): void {
  for (const l of layers) tf.dispose([l.weight, l.bias]);
  for (const optimizer of optimizers) optimizer.dispose();
}

// 1. Adam and OneCycleLR, stepped after every batch (its beta1 cycles too).
{
  const model = [linear(1, 1)];
  const optimizer = tf.train.adam(0.001);
  const scheduler = new OneCycleLR(optimizer, { maxLr: 0.01, totalSteps: 12 });
  console.log('OneCycleLR per batch: step lr beta1');
  let step = 0;
  for (let epoch = 0; epoch < 3; epoch++) {
    for (const [x, y] of batches) {
      const group = scheduler.optimizer.paramGroups[0];
      console.log(step, pyrepr(group.lr), pyrepr((group.betas as number[])[0]));
      trainBatch(model, [optimizer], x, y);
      scheduler.step();
      step += 1;
    }
  }
  console.log('final', pyrepr(scheduler.getLastLr()));
  disposeAll(model, [optimizer]);
}

// 2. SGD with Nesterov momentum, two param groups, a linear warmup then a cosine, stepped per
//    epoch; saved as JSON after epoch 3 and resumed in fresh objects.
function build(): { model: Layer[]; optimizers: tf.Optimizer[]; scheduler: SequentialLR } {
  const model = [linear(1, 4), linear(4, 1)];
  const optimizers = [tf.train.momentum(0.01, 0.9, true), tf.train.momentum(0.1, 0.9, true)];
  const warmup = new LinearLR(optimizers, { startFactor: 0.1, totalIters: 3 });
  const cosine = new CosineAnnealingLR(optimizers, { tMax: 5, etaMin: 1e-5 });
  return { model, optimizers, scheduler: new SequentialLR(optimizers, { schedulers: [warmup, cosine], milestones: [3] }) };
}

console.log('');
console.log('SequentialLR per epoch, resumed after epoch 3: epoch lrs');
{
  let { model, optimizers, scheduler } = build();
  for (let epoch = 0; epoch < 8; epoch++) {
    console.log(epoch, pyrepr(scheduler.getLastLr()));
    for (const [x, y] of batches) trainBatch(model, optimizers, x, y);
    scheduler.step();
    if (epoch === 3) {
      const saved = JSON.stringify({ optimizer: asOptimizer(optimizers).stateDict().param_groups, scheduler: scheduler.stateDict() });
      disposeAll(model, optimizers);
      ({ model, optimizers, scheduler } = build());
      const state = JSON.parse(saved) as { optimizer: OptimizerState['param_groups']; scheduler: SchedulerState };
      asOptimizer(optimizers).loadStateDict({ param_groups: state.optimizer });
      scheduler.loadStateDict(state.scheduler);
    }
  }
  disposeAll(model, optimizers);
}

// 3. ReduceLROnPlateau on a validation loss that is a tensor, as a loss usually is.
console.log('');
console.log('ReduceLROnPlateau on tensor metrics: epoch lr best');
{
  const model = [linear(1, 1)];
  const optimizer = tf.train.sgd(0.1);
  const scheduler = new ReduceLROnPlateau(optimizer, { factor: 0.1, patience: 0, minLr: 2e-5 });
  [0.9, 0.7, 0.7, 0.7, 0.6, 0.65, 0.65, 0.65, 0.65].forEach((valLoss, epoch) => {
    for (const [x, y] of batches) trainBatch(model, [optimizer], x, y);
    const metric = tf.scalar(valLoss); // torch.tensor(val_loss): float32 in both
    scheduler.step(metric);
    metric.dispose();
    console.log(epoch, pyrepr(scheduler.optimizer.paramGroups[0].lr), pyrepr(scheduler.best));
  });
  disposeAll(model, [optimizer]);
}

for (const [x, y] of batches) tf.dispose([x, y]);
