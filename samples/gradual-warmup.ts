/**
 * The TypeScript twin of GradualWarmupScheduler's own example: SGD at lr 0.1, a StepLR after-scheduler,
 * a 5-epoch warmup from 0, then `step(epoch)` for epochs 1..19. Prints `epoch lr`, exactly the lines
 * PyTorch prints for the Python original (`pyrepr` prints a number as Python's `print` does).
 */
import './use-tfjs-node-if-installed';
import * as tf from '@tensorflow/tfjs';
import { GradualWarmupScheduler, pyrepr, StepLR } from '../lib';


const weights = tf.variable(tf.zeros([2]));
const optimizer = tf.train.sgd(0.1);

const afterScheduler = new StepLR(optimizer, { stepSize: 10, gamma: 0.1 });
const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 5, afterScheduler });

// One optimizer step first, as in the original (PyTorch warns otherwise).
optimizer.minimize(() => weights.square().sum());

for (let epoch = 1; epoch < 20; epoch++) {
  warmup.step(epoch);
  console.log(epoch, pyrepr(optimizer.getConfig().learningRate as number)); // print(epoch, optim.param_groups[0]['lr'])
}

weights.dispose();
optimizer.dispose();
