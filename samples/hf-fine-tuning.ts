/**
 * Porting a HuggingFace fine-tuning schedule: a linear warmup over the first 10% of the optimizer
 * steps, then a cosine decay to 0, stepped after every optimizer step. That is what
 * `Trainer(..., TrainingArguments(learning_rate=5e-5, lr_scheduler_type="cosine", warmup_ratio=0.1))`
 * builds, and what the HuggingFace course's custom loop writes out. The Python, line for line:
 *
 *   optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
 *   num_training_steps = num_epochs * len(train_dataloader)            # 3 * 100
 *   lr_scheduler = get_scheduler(
 *       "cosine", optimizer=optimizer,
 *       num_warmup_steps=int(0.1 * num_training_steps),                # 30
 *       num_training_steps=num_training_steps,
 *   )
 *   for epoch in range(num_epochs):
 *       for batch in train_dataloader:
 *           loss = model(**batch).loss
 *           loss.backward()
 *           optimizer.step()
 *           lr_scheduler.step()
 *           optimizer.zero_grad()
 *
 * The learning rates printed are transformers' on PyTorch, bit for bit (its spec compares them with
 * a recording of that Python, spec/fixtures/transformers/resume.json).
 *
 *   npx tsx samples/hf-fine-tuning.ts
 */
import './use-tfjs-node-if-installed';
import * as tf from '@tensorflow/tfjs';
import { getScheduler } from '../lib';

tf.enableProdMode(); // silences tfjs's "install tfjs-node" banner

const NUM_EPOCHS = 3;
const BATCHES_PER_EPOCH = 100;
const BATCH_SIZE = 8;
const LEARNING_RATE = 5e-5;

// A small regression head on fixed random features (a stand-in for a pretrained model's head).
const features = tf.randomNormal([BATCHES_PER_EPOCH * BATCH_SIZE, 16], 0, 1, 'float32', 1);
const targets = tf.tidy(() => features.matMul(tf.randomNormal([16, 1], 0, 1, 'float32', 2)).tanh());
const model = tf.sequential({
  layers: [
    tf.layers.dense({ inputShape: [16], units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
    tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
  ],
});

// tfjs has no AdamW; Adam stands in (the schedule is the point, and it does not depend on the optimizer).
const optimizer = tf.train.adam(LEARNING_RATE);
const numTrainingSteps = NUM_EPOCHS * BATCHES_PER_EPOCH;
const lrScheduler = getScheduler('cosine', optimizer, {
  numWarmupSteps: Math.trunc(0.1 * numTrainingSteps), // Python's int() truncates
  numTrainingSteps,
});

const SHOW = new Set([0, 1, 2, 15, 29, 30, 31, 100, 150, 200, 250, 299, 300]);
console.log(`get_scheduler("cosine"): ${numTrainingSteps} optimizer steps, warmup ${Math.trunc(0.1 * numTrainingSteps)}, peak lr ${LEARNING_RATE}`);
console.log(`step   0  lr ${lrScheduler.getLastLr()[0]}`);
let step = 0;
for (let epoch = 0; epoch < NUM_EPOCHS; epoch++) {
  let total = 0;
  for (let batch = 0; batch < BATCHES_PER_EPOCH; batch++) {
    const loss = tf.tidy(() => {
      const x = features.slice([batch * BATCH_SIZE, 0], [BATCH_SIZE, 16]);
      const y = targets.slice([batch * BATCH_SIZE, 0], [BATCH_SIZE, 1]);
      // loss.backward(); optimizer.step(); optimizer.zero_grad()
      return optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
    });
    total += loss.dataSync()[0];
    loss.dispose();
    lrScheduler.step(); // after every optimizer step, as transformers' Trainer does
    step += 1;
    if (SHOW.has(step)) console.log(`step ${String(step).padStart(3)}  lr ${lrScheduler.getLastLr()[0]}`);
  }
  console.log(`epoch ${epoch}  mean loss ${(total / BATCHES_PER_EPOCH).toFixed(4)}`);
}

tf.dispose([features, targets]);
model.dispose();
optimizer.dispose();
