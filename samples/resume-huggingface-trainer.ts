/**
 * Resume a HuggingFace Trainer run in TensorFlow.js, and hand it back.
 *
 * A Trainer checkpoint folder holds `scheduler.pt` (a LambdaLR over transformers'
 * get_linear_schedule_with_warmup lambda), `optimizer.pt` (AdamW: two param groups, their moments
 * and step) and `trainer_state.json` (global_step, max_steps, the logged learning rates). This
 * sample loads all three into a tfjs Adam optimizer per param group and this package's
 * getScheduler (transformers' get_scheduler, as the Trainer builds its schedule), continues to
 * max_steps with the same learning rates as the Trainer (bit for bit), and, half way, writes a
 * checkpoint folder of its own that PyTorch (and so the Trainer) resumes from.
 *
 *   npx tsx samples/resume-huggingface-trainer.ts [checkpoint-folder] [output-folder]
 *
 * The default folder is the fixture spec/torch/fixtures/hf-trainer/checkpoint-8, made with torch
 * alone by spec/torch/fixtures/generate.py as the Trainer makes it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import './use-tfjs-node-if-installed';
import * as tf from '@tensorflow/tfjs';
import { asOptimizer, getScheduler } from '../lib';
import { loadTorchOptimizerState, readTorchFile, torchOptimizerState, torchSchedulerState, writeTorchFile, type TorchDict } from '../lib/torch';

const folder = process.argv[2] ?? join(__dirname, '..', 'spec', 'torch', 'fixtures', 'hf-trainer', 'checkpoint-8');
const output = process.argv[3];

interface TrainerState {
  global_step: number;
  max_steps: number;
  log_history: Array<{ step: number; learning_rate?: number }>;
  [key: string]: unknown;
}

const trainerState = JSON.parse(readFileSync(join(folder, 'trainer_state.json'), 'utf8')) as TrainerState;
const schedulerState = readTorchFile<TorchDict>(readFileSync(join(folder, 'scheduler.pt')));
const optimizerState = readTorchFile<{ param_groups: TorchDict[] }>(readFileSync(join(folder, 'optimizer.pt')));

// One tfjs optimizer per PyTorch param group; AdamW with weight_decay 0 is Adam. PyTorch's eps is 1e-8.
const optimizers = optimizerState.param_groups.map((group) => {
  const [beta1, beta2] = group.betas as number[];
  return tf.train.adam(group.lr as number, beta1, beta2, group.eps as number);
});
// The model's variables in PyTorch's parameter order, one list per param group (here: each group
// holds a Linear layer's weight and bias; in a real port these are model.trainableWeights, with
// { variable, permutation: [1, 0] } for a Dense kernel that was an nn.Linear weight).
const variables = optimizers.map(() => tf.tidy(() => [tf.variable(tf.randomNormal([2, 3], 0, 1, 'float32', 1)), tf.variable(tf.zeros([2]))]));

// As the Trainer does: build the schedule fresh, then load the optimizer's and the scheduler's states.
// The Trainer's arguments are not in the folder: lr_scheduler_type="linear", warmup_steps=4 here.
// Python: get_scheduler("linear", optimizer, num_warmup_steps=4, num_training_steps=max_steps)
const scheduler = getScheduler('linear', optimizers, { numWarmupSteps: 4, numTrainingSteps: trainerState.max_steps });
asOptimizer(optimizers).loadStateDict(optimizerState);
loadTorchOptimizerState(optimizers, optimizerState, variables);
scheduler.loadStateDict(schedulerState);

async function main(): Promise<void> {
  console.log(`resumed ${folder} at step ${trainerState.global_step} of ${trainerState.max_steps}: learning rate ${scheduler.getLastLr()[0]}`);
  const saveAt = Math.floor((trainerState.global_step + trainerState.max_steps) / 2);
  const x = tf.tensor2d([[1], [-2], [0.5]]);
  for (let step = trainerState.global_step + 1; step <= trainerState.max_steps; step++) {
    // The Trainer's order: optimizer.step(), then lr_scheduler.step().
    optimizers.forEach((optimizer, i) => {
      const [weight, bias] = variables[i];
      tf.tidy(() => {
        optimizer.minimize(() => tf.sum(tf.square(tf.add(tf.matMul(weight, x).reshape([2]), bias))) as tf.Scalar, false, [weight, bias]);
      });
    });
    scheduler.step();
    trainerState.log_history.push({ step, learning_rate: scheduler.getLastLr()[0] });
    console.log(`step ${step}  learning_rate ${scheduler.getLastLr()[0]}`);
    if (output !== undefined && step === saveAt) {
      // The reverse trip: a checkpoint folder PyTorch's LambdaLR and AdamW load (torch.load(weights_only=True)).
      const target = join(output, `checkpoint-${step}`);
      mkdirSync(target, { recursive: true });
      writeFileSync(join(target, 'optimizer.pt'), writeTorchFile(await torchOptimizerState(optimizers, variables)));
      writeFileSync(join(target, 'scheduler.pt'), writeTorchFile(torchSchedulerState(scheduler)));
      writeFileSync(join(target, 'trainer_state.json'), `${JSON.stringify({ ...trainerState, global_step: step }, null, 2)}\n`);
      console.log(`wrote ${target}`);
    }
  }
}

void main();
