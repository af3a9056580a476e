/**
 * The bundled page (esbuild, from the built package through its `exports`): the conformance
 * runner over every scenario file the server lists, the training runs, on a chosen backend, and a
 * PyTorch run resumed from its torch.save file with `tfjs-lr-scheduler/torch`.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as lr from '../../../lib';
import { readTorchFile, type TorchDict } from '../../../lib/torch';
import { runScenario } from '../../conformance/runner';
import type { ScenarioFile } from '../../conformance/scenario';
import { dispose, trainingRuns, type RunRecord } from '../training-runs';

setWasmPaths('/wasm/');

/** What the spec compares with Node's run of the same scenario. */
export interface BrowserScenarioResult {
  id: string;
  status: string;
  values: number;
  bitIdentical: number;
  maxRelativeError: number;
  /** At tolerance 1e-12, for the scenarios that are not bit-identical. */
  statusAt1e12?: string;
}

async function useBackend(backend: string): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to start`);
  await tf.ready();
  if (tf.getBackend() !== backend) throw new Error(`tfjs runs on ${tf.getBackend()}, not ${backend}`);
}

async function runConformance(backend: string): Promise<{ results: BrowserScenarioResult[]; leakedTensors: number }> {
  await useBackend(backend);
  const before = tf.memory().numTensors;
  const names = (await (await fetch('/scenarios/')).json()) as string[];
  const results: BrowserScenarioResult[] = [];
  for (const name of names) {
    const file = (await (await fetch(`/scenarios/${name}`)).json()) as ScenarioFile;
    const className = name.replace(/\.json$/, '');
    for (const scenario of file.scenarios) {
      const { id, status, values, bitIdentical, maxRelativeError } = runScenario(scenario, className, 0);
      const result: BrowserScenarioResult = { id, status, values, bitIdentical, maxRelativeError };
      if (status === 'failed') result.statusAt1e12 = runScenario(scenario, className, 1e-12).status;
      results.push(result);
    }
  }
  return { results, leakedTensors: tf.memory().numTensors - before };
}

async function runTraining(backend: string): Promise<RunRecord> {
  await useBackend(backend);
  return trainingRuns(tf, lr, localStorage);
}

/** What resuming spec/torch/fixtures/step-lr.pt gives: its epoch, and the learning rates of the steps after it. */
export interface TorchResume {
  epoch: unknown;
  lrs: number[][];
  leakedTensors: number;
}

/**
 * Reads the torch.save checkpoint of a PyTorch StepLR run (step-lr.pt, with its step-lr.json
 * sidecar: two SGD groups with momentum, StepLR step_size 3, gamma 0.5, saved after 5 steps) with
 * `readTorchFile`, loads its optimizer and scheduler states into tfjs momentum optimizers and a
 * StepLR, as a PyTorch user resumes, and steps as many times as PyTorch did after the save.
 */
async function resumeTorchCheckpoint(backend: string): Promise<TorchResume> {
  await useBackend(backend);
  const fixture = (await (await fetch('/torch-fixtures/step-lr.json')).json()) as {
    config: { optimizer: { groups: Array<{ lr: number; momentum: number }> }; schedulers: Array<{ args: { step_size: number; gamma: number } }> };
    after: number;
  };
  const bytes = new Uint8Array(await (await fetch('/torch-fixtures/step-lr.pt')).arrayBuffer());
  const before = tf.memory().numTensors;
  const ckpt = readTorchFile<{ epoch: unknown; optimizer: TorchDict; scheduler: TorchDict }>(bytes);
  const optimizers = fixture.config.optimizer.groups.map((group) => tf.train.momentum(group.lr, group.momentum));
  let lrs: number[][];
  try {
    lr.asOptimizer(optimizers).loadStateDict(ckpt.optimizer);
    const { step_size: stepSize, gamma } = fixture.config.schedulers[0].args;
    const scheduler = new lr.StepLR(optimizers, { stepSize, gamma });
    scheduler.loadStateDict(ckpt.scheduler);
    lrs = Array.from({ length: fixture.after }, () => {
      scheduler.step();
      return scheduler.optimizer.paramGroups.map((group) => group.lr); // the tfjs optimizers' learningRate
    });
  } finally {
    for (const optimizer of optimizers) dispose(optimizer);
  }
  return { epoch: ckpt.epoch, lrs, leakedTensors: tf.memory().numTensors - before };
}

Object.assign(window, { runConformance, runTraining, resumeTorchCheckpoint, pageReady: true });
