/**
 * The bundled page (esbuild, from the built package through its `exports`): the conformance
 * runner over every scenario file the server lists, and the training runs, on a chosen backend.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as lr from '../../../lib';
import { runScenario } from '../../conformance/runner';
import type { ScenarioFile } from '../../conformance/scenario';
import { trainingRuns, type RunRecord } from '../training-runs';

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

Object.assign(window, { runConformance, runTraining, pageReady: true });
