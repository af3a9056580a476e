/**
 * Resume training exactly: train a small model for a few epochs with Adam and a OneCycleLR
 * schedule (which also cycles Adam's beta1), save a checkpoint, and continue in a NEW process from
 * that checkpoint. The loss and learning-rate curves continue exactly like an uninterrupted run.
 *
 *   npx tsx samples/resume-training.ts            # runs all three parts and compares them
 *
 * Internally it spawns itself with `--part first-half <dir>` and `--part resume <dir>`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import './use-tfjs-node-if-installed';
import * as tf from '@tensorflow/tfjs';
import { OneCycleLR, pyrepr } from '../lib';
import { loadCheckpoint, saveCheckpoint } from '../lib/checkpoint';

const EPOCHS = 12;
const SAVE_AFTER = 5;

/** The same model, optimizer and schedule every time (seeded initializers). */
function buildRun(): { model: tf.Sequential; optimizer: tf.AdamOptimizer; scheduler: OneCycleLR } {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 16, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: 1 }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  const optimizer = tf.train.adam(0.01);
  model.compile({ optimizer, loss: 'meanSquaredError' });
  // One scheduler step per epoch; beta1 is cycled between 0.85 and 0.95 as in PyTorch.
  const scheduler = new OneCycleLR(optimizer, { maxLr: 0.05, totalSteps: EPOCHS });
  return { model, optimizer, scheduler };
}

/** y = x0 * x1 on a small grid. */
function data(): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  const points: number[][] = [];
  for (let a = -1; a <= 1; a += 0.25) for (let b = -1; b <= 1; b += 0.25) points.push([a, b]);
  return { xs: tf.tensor2d(points), ys: tf.tensor2d(points.map(([a, b]) => [a * b])) };
}

/** Trains epochs `from` .. `to - 1`, printing one line per epoch: epoch, lr and beta1 used, loss. */
async function train(run: ReturnType<typeof buildRun>, from: number, to: number): Promise<void> {
  const { xs, ys } = data();
  for (let epoch = from; epoch < to; epoch++) {
    const group = run.scheduler.optimizer.paramGroups[0];
    const lr = group.lr;
    const beta1 = (group.betas as number[])[0];
    const history = await run.model.fit(xs, ys, { epochs: 1, batchSize: 81, shuffle: false, verbose: 0 });
    run.scheduler.step();
    // Every digit printed: the comparison below is exact.
    console.log(`epoch ${String(epoch).padStart(2)}  lr ${pyrepr(lr).padEnd(22)} beta1 ${pyrepr(beta1).padEnd(19)} loss ${pyrepr(history.history.loss[0] as number)}`);
  }
  xs.dispose();
  ys.dispose();
}

async function part(name: string, dir: string): Promise<void> {
  await tf.setBackend('cpu');
  const run = buildRun();
  if (name === 'uninterrupted') {
    await train(run, 0, EPOCHS);
  } else if (name === 'first-half') {
    await train(run, 0, SAVE_AFTER);
    await saveCheckpoint(dir, { model: run.model, scheduler: run.scheduler, extra: { nextEpoch: SAVE_AFTER } });
  } else {
    // A new process: fresh model, optimizer and scheduler, then everything restored from disk.
    const { extra } = await loadCheckpoint(dir, { model: run.model, scheduler: run.scheduler });
    await train(run, (extra as { nextEpoch: number }).nextEpoch, EPOCHS);
  }
}

function spawnPart(name: string, dir: string): string[] {
  const result = spawnSync(process.execPath, [...process.execArgv, __filename, '--part', name, dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`part ${name} failed:\n${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line.startsWith('epoch'));
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--part');
  if (at >= 0) {
    await part(process.argv[at + 1], process.argv[at + 2]);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'resume-training-'));
  try {
    const uninterrupted = spawnPart('uninterrupted', dir);
    const firstHalf = spawnPart('first-half', dir);
    const resumed = spawnPart('resume', dir);
    console.log(`uninterrupted run (one process):\n${uninterrupted.join('\n')}\n`);
    console.log(`process 1: epochs 0-${SAVE_AFTER - 1}, then saveCheckpoint:\n${firstHalf.join('\n')}\n`);
    console.log(`process 2: loadCheckpoint, epochs ${SAVE_AFTER}-${EPOCHS - 1}:\n${resumed.join('\n')}\n`);
    const same = JSON.stringify([...firstHalf, ...resumed]) === JSON.stringify(uninterrupted);
    console.log(same ? 'resumed run == uninterrupted run: every lr and loss identical' : 'MISMATCH: the resumed run differs');
    if (!same) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
