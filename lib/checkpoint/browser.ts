/**
 * `tfjs-lr-scheduler/checkpoint` under the `browser` export condition: checkpoints are directories
 * written with `node:fs`, so here every function throws one error that says so and what to use
 * instead. The names are those of the Node module (spec/checkpoint/browser.spec.ts checks it), so
 * code shared between Node and a browser bundle builds, and fails only where it saves or loads.
 */
import { InvalidStateError, LRSchedulerError } from '../errors';
import { CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, CheckpointError, MANIFEST_FILE, MAX_MANIFEST_BYTES } from './format';

export { CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, CheckpointError, MANIFEST_FILE, MAX_MANIFEST_BYTES };

function nodeOnly(name: string): never {
  throw new LRSchedulerError(
    `tfjs-lr-scheduler/checkpoint: ${name}() works in Node only (a checkpoint is a directory written with node:fs), ` +
      'and this is the browser build. In a browser, keep JSON.stringify(scheduler.stateDict()) and ' +
      "scheduler.optimizer.stateDict() in localStorage or IndexedDB and the model with model.save('indexeddb://name'): " +
      'see "Checkpoints in a browser" in the README',
  );
}

export async function saveCheckpoint(..._args: unknown[]): Promise<never> {
  return nodeOnly('saveCheckpoint');
}

export async function loadCheckpoint(..._args: unknown[]): Promise<never> {
  return nodeOnly('loadCheckpoint');
}

export function readCheckpointModelArtifacts(..._args: unknown[]): never {
  return nodeOnly('readCheckpointModelArtifacts');
}

export { InvalidStateError };
