/**
 * Whole-run checkpoints for Node: model topology and weights, optimizer slots, param-group
 * hyper-parameters and scheduler state in one directory, written crash-safely and verified end to
 * end when read. `import { saveCheckpoint, loadCheckpoint } from 'tfjs-lr-scheduler/checkpoint'`.
 *
 * Directory layout (format version 2; see `generations.ts` and docs/checkpoints.md):
 * - `CURRENT`: names the current generation and its manifest's SHA-256.
 * - `g<generation>/checkpoint.json`: the self-verifying manifest (see `manifest.ts`): file sizes
 *   and SHA-256 sums, the optimizers' slot layout, the param groups, the scheduler state, `extra`.
 * - `g<generation>/model.json` + `model.weights.bin`: the model's topology and weights as tfjs
 *   saves them; `optimizer-<i>.bin`: the slot tensors of each tfjs optimizer.
 */
import { join } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import { InvalidStateError, LRSchedulerError } from '../errors';
import type { LRScheduler } from '../lr-scheduler';
import {
  checkSavedSlots,
  prepareSlotRestore,
  readOptimizerSlots,
  type PreparedSlotRestore,
  type SlotTensor,
  type VariableLike,
} from '../optim/tfjs-slots';
import type { OptimizerState } from '../optim/optimizer-view';
import type { JsonValue } from '../state/encoding';
import { findNonJsonData, type SchedulerState } from '../state/state-reader';
import { CheckpointError, checkpointError, closeFile, openRegularFile, readOpenFile, writeFileDurably, type OpenFile, type Operation } from './files';
import { ensureDirectory, readCurrentGeneration, serialized, writeGeneration, type Generation } from './generations';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  MANIFEST_FILE,
  MAX_MANIFEST_BYTES,
  checkTopology,
  encodeManifest,
  parseManifest,
  sha256,
  type CheckpointManifest,
  type CheckpointOptimizer,
  type ManifestContent,
  type WeightSpec,
} from './manifest';

export { CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, MANIFEST_FILE, MAX_MANIFEST_BYTES };
export type { CheckpointFile, CheckpointManifest, CheckpointOptimizer } from './manifest';
export { CheckpointError, InvalidStateError };

/** The parts of a tfjs-layers model a checkpoint uses (`tf.LayersModel` fits). */
export interface CheckpointModel {
  save(handler: tfc.io.IOHandler, config?: tfc.io.SaveConfig): Promise<tfc.io.SaveResult>;
  getWeights(trainableOnly?: boolean): tfc.Tensor[];
  setWeights(weights: tfc.Tensor[]): void;
  /** A compiled model's trainable weights and optimizer: the optimizer's slots are checked against these. */
  readonly trainableWeights?: readonly VariableLike[];
  readonly optimizer?: unknown;
}

export interface CheckpointParts {
  /** The model whose topology and weights are saved / whose weights are restored. */
  model?: CheckpointModel;
  /**
   * The tfjs optimizer(s) whose slots are saved / restored. Default: the tfjs optimizers behind
   * `scheduler.optimizer` (the ones the scheduler drives).
   */
  optimizer?: tfc.Optimizer | readonly tfc.Optimizer[];
  /** The scheduler (the driver: composites and warmups carry their children's state). */
  scheduler: LRScheduler;
}

export interface SaveCheckpointParts extends CheckpointParts {
  /** Any JSON data of yours (epoch, best metric, RNG seeds, ...), returned by `loadCheckpoint`. */
  extra?: JsonValue;
}

export interface LoadedCheckpoint {
  manifest: CheckpointManifest;
  /** The `extra` data given to `saveCheckpoint`. */
  extra: JsonValue;
  /** The generation directory it was read from (`<dir>/g<generation>`). */
  directory: string;
  /** The generation number (it grows by one with every save into the directory). */
  generation: number;
}

const MODEL_TOPOLOGY_FILE = 'model.json';
const MODEL_WEIGHTS_FILE = 'model.weights.bin';

function checkArguments(operation: Operation, dir: unknown, parts: unknown, needScheduler: boolean): void {
  if (typeof dir !== 'string' || dir === '') throw checkpointError(operation, `the directory must be a non-empty string, got ${typeof dir}`);
  if (!needScheduler) return;
  // Structural, not instanceof: two copies of the package (CommonJS and ESM) have two LRScheduler classes.
  const scheduler = (parts as Partial<CheckpointParts> | null)?.scheduler as Partial<LRScheduler> | undefined;
  if (typeof scheduler?.stateDict !== 'function' || typeof scheduler.prepareLoad !== 'function' || typeof scheduler.optimizer?.prepareLoad !== 'function') {
    throw checkpointError(operation, 'parts.scheduler must be a scheduler of this package');
  }
}

function tfjsOptimizers(parts: CheckpointParts): tfc.Optimizer[] {
  if (parts.optimizer === undefined) return parts.scheduler.optimizer.optimizers as unknown as tfc.Optimizer[];
  return Array.isArray(parts.optimizer) ? [...(parts.optimizer as tfc.Optimizer[])] : [parts.optimizer as tfc.Optimizer];
}

/** An error of ours as it is, anything else (an unsupported optimizer, a tfjs error) as a CheckpointError naming it. */
function asCheckpointError(operation: Operation, what: string, error: unknown): LRSchedulerError {
  if (error instanceof CheckpointError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return checkpointError(operation, `${what}: ${message}`, { cause: error });
}

interface Captured {
  files: Array<{ name: string; data: Uint8Array }>;
  content: Omit<ManifestContent, 'generation'>;
}

/**
 * Everything a save writes, captured in the call itself (before the first `await`): the scheduler
 * state and param groups, the model's weights (tfjs's `model.save` reads them at once) and the
 * optimizers' slots, so a training loop that goes on meanwhile cannot mix two moments.
 */
async function capture(operation: Operation, parts: SaveCheckpointParts): Promise<Captured> {
  const extra = parts.extra ?? null;
  const problem = findNonJsonData(extra);
  if (problem !== undefined) {
    throw checkpointError(operation, `extra${problem.key === '(the state dict)' ? '' : `.${problem.key}`} must be ${problem.expected}`);
  }
  const scheduler = parts.scheduler;
  const schedulerState = JSON.parse(JSON.stringify(scheduler.stateDict())) as SchedulerState;
  const paramGroups = JSON.parse(JSON.stringify(scheduler.optimizer.stateDict())) as OptimizerState;
  let slotData: Array<{ entry: Omit<CheckpointOptimizer, 'file'>; data: Promise<{ data: ArrayBuffer }> }>;
  try {
    slotData = tfjsOptimizers(parts).map((optimizer) => {
      const { className, iterations, slots } = readOptimizerSlots(optimizer);
      // encodeWeights asks every tensor for its data now (synchronously), before any later update.
      const data = tfc.io.encodeWeights(slots.map(({ spec, tensor }) => ({ name: spec.name, tensor: tensor as unknown as tfc.Tensor })));
      data.catch(() => undefined); // awaited below, after the model; a failure is reported there
      return { entry: { className, iterations, tensors: slots.map(({ spec }) => spec) }, data };
    });
  } catch (error) {
    throw asCheckpointError(operation, 'cannot save the optimizer state', error);
  }
  let artifacts: Promise<tfc.io.ModelArtifacts | undefined> | undefined;
  if (parts.model !== undefined) {
    let saved: tfc.io.ModelArtifacts | undefined;
    artifacts = parts.model
      .save(
        tfc.io.withSaveHandler(async (modelArtifacts) => {
          saved = modelArtifacts;
          return { modelArtifactsInfo: tfc.io.getModelArtifactsInfoForJSON(modelArtifacts) };
        }),
      )
      .then(() => saved, (error: unknown) => Promise.reject(asCheckpointError(operation, 'the model could not be saved', error)));
  }
  const files: Captured['files'] = [];
  let model: ManifestContent['model'] = null;
  if (artifacts !== undefined) {
    const saved = await artifacts;
    if (saved === undefined) throw checkpointError(operation, 'the model saved nothing');
    const { weightData, ...json } = saved;
    const topology = Buffer.from(JSON.stringify(json), 'utf8');
    if (topology.byteLength > MAX_MANIFEST_BYTES) {
      throw checkpointError(operation, `the model topology has ${topology.byteLength} bytes, more than the ${MAX_MANIFEST_BYTES} a checkpoint allows`);
    }
    files.push({ name: MODEL_TOPOLOGY_FILE, data: topology });
    files.push({ name: MODEL_WEIGHTS_FILE, data: new Uint8Array(weightData === undefined ? new ArrayBuffer(0) : tfc.io.CompositeArrayBuffer.join(weightData)) });
    model = { topologyFile: MODEL_TOPOLOGY_FILE, weightsFile: MODEL_WEIGHTS_FILE };
  }
  const optimizers: CheckpointOptimizer[] = [];
  for (let i = 0; i < slotData.length; i++) {
    const encoded = await slotData[i].data.catch((error: unknown) => Promise.reject(asCheckpointError(operation, 'cannot save the optimizer state', error)));
    const file = `optimizer-${i}.bin`;
    files.push({ name: file, data: new Uint8Array(encoded.data) });
    optimizers.push({ ...slotData[i].entry, file });
  }
  return {
    files,
    content: {
      format: CHECKPOINT_FORMAT,
      formatVersion: CHECKPOINT_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      files: Object.fromEntries(files.map(({ name, data }) => [name, { bytes: data.byteLength, sha256: sha256(data) }])),
      model,
      optimizers,
      paramGroups,
      scheduler: schedulerState,
      extra: extra as JsonValue,
    },
  };
}

/**
 * Saves model, optimizer(s), param groups and scheduler into `dir` as a new generation, which
 * replaces the current one only once it is complete on disk. Everything saved is captured when
 * the call is made. Saves into one directory from one process run one after the other, in call
 * order; a save while another process is saving there is rejected (`CheckpointError`). Failures
 * (a full disk, a read-only file system, a permission) throw a `CheckpointError` naming the path
 * and the cause (`error.code`), and leave the previous checkpoint as it was.
 */
export async function saveCheckpoint(dir: string, parts: SaveCheckpointParts): Promise<CheckpointManifest> {
  const operation: Operation = { name: 'saveCheckpoint', dir: String(dir) };
  checkArguments(operation, dir, parts, true);
  const captured = capture(operation, parts);
  // Rejections are handled by the queued task; this keeps an early failure from being "unhandled".
  captured.catch(() => undefined);
  const directory = ensureDirectory(operation, dir);
  return serialized(directory, async () => {
    const { files, content } = await captured;
    let manifest: CheckpointManifest | undefined;
    await writeGeneration(operation, directory, CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, (temporary, generation) => {
      const encoded = encodeManifest({ ...content, generation } as ManifestContent);
      const bytes = Buffer.byteLength(encoded.text, 'utf8');
      if (bytes > MAX_MANIFEST_BYTES) {
        throw checkpointError(operation, `the manifest would have ${bytes} bytes, more than the ${MAX_MANIFEST_BYTES} a checkpoint allows (is extra that large?)`);
      }
      for (const { name, data } of files) writeFileDurably(operation, join(temporary, name), data);
      // Last: a generation directory is renamed into place only once its manifest is on disk.
      writeFileDurably(operation, join(temporary, MANIFEST_FILE), encoded.text);
      manifest = encoded.manifest;
      return encoded.manifest.manifestSha256;
    });
    return manifest as CheckpointManifest;
  });
}

/** The current generation's manifest, and the files it lists opened (checked to be regular files of the listed sizes). */
function openGeneration(
  operation: Operation,
  generation: Generation,
  directory: string,
  needed: (manifest: CheckpointManifest) => string[],
): { manifest: CheckpointManifest; files: Map<string, OpenFile> } {
  const manifestPath = join(directory, MANIFEST_FILE);
  const manifestFile = openRegularFile(operation, manifestPath, 'the manifest', { maxBytes: MAX_MANIFEST_BYTES });
  const manifest = parseManifest(operation, manifestPath, readOpenFile(operation, manifestFile, 'the manifest'), generation);
  const files = new Map<string, OpenFile>();
  try {
    for (const name of needed(manifest)) {
      const path = join(directory, name);
      files.set(name, openRegularFile(operation, path, name, { maxBytes: MAX_FILE_BYTES, expectedBytes: manifest.files[name].bytes }));
    }
  } catch (error) {
    for (const file of files.values()) closeFile(file);
    throw error;
  }
  return { manifest, files };
}

/** No single data file may exceed what a JavaScript buffer can hold. */
const MAX_FILE_BYTES = 2 ** 32;

/** Reads an opened file and checks its SHA-256 against the manifest. */
function readVerified(operation: Operation, manifest: CheckpointManifest, files: Map<string, OpenFile>, name: string): Buffer {
  const file = files.get(name) as OpenFile;
  files.delete(name);
  const data = readOpenFile(operation, file, name);
  if (sha256(data) !== manifest.files[name].sha256) throw checkpointError(operation, `${file.path} is damaged (its SHA-256 differs from the manifest)`, { path: file.path });
  return data;
}

function toArrayBuffer(data: Uint8Array): ArrayBuffer {
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

function parseTopology(operation: Operation, path: string, data: Buffer): Record<string, unknown> {
  try {
    return JSON.parse(data.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw checkpointError(operation, `${path} is damaged (it is not JSON)`, { path });
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/** Validates `prepare()` (a scheduler's or the param groups' `prepareLoad`), turning its `InvalidStateError` into a `CheckpointError`. */
function prepareState(operation: Operation, what: string, prepare: () => () => void): () => void {
  try {
    return prepare();
  } catch (error) {
    throw asCheckpointError(operation, `the ${what} in the checkpoint does not fit`, error);
  }
}

/**
 * Restores model weights, optimizer slots, param groups and scheduler state from the current
 * generation of `dir` into the given objects (built the same way as the ones that were saved).
 * Everything is read and checked first (the manifest's self-hash, every file's size before it is
 * read and its SHA-256 after, the scheduler state, the param groups, and every tensor's shape and
 * dtype against the live model and optimizers); only then is anything changed, in one synchronous
 * step that cannot fail halfway. A checkpoint that cannot be read or does not fit throws a
 * `CheckpointError` and leaves the model, the optimizers and the scheduler as they were.
 */
export async function loadCheckpoint(dir: string, parts: CheckpointParts): Promise<LoadedCheckpoint> {
  const operation: Operation = { name: 'loadCheckpoint', dir: String(dir) };
  checkArguments(operation, dir, parts, true);
  return readCurrentGeneration(operation, dir, CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, (generation, directory) =>
    loadGeneration(operation, generation, directory, parts),
  );
}

function loadGeneration(operation: Operation, generation: Generation, directory: string, parts: CheckpointParts): LoadedCheckpoint {
  const { scheduler, model } = parts;
  const optimizers = tfjsOptimizers(parts);
  const { manifest, files } = openGeneration(operation, generation, directory, (m) => [
    ...(model !== undefined && m.model !== null ? [m.model.topologyFile, m.model.weightsFile] : []),
    ...m.optimizers.map((entry) => entry.file),
  ]);
  // Every file is open: from here on the writer removing this generation cannot affect the load.
  const temporaries: tfc.Tensor[] = [];
  const restores: PreparedSlotRestore[] = [];
  let applied = false;
  try {
    // 1. Scheduler state and param groups, validated by the objects they are loaded into.
    const tag = manifest.scheduler.__scheduler__;
    if (tag !== undefined && tag !== scheduler.getClassName()) {
      throw checkpointError(operation, `the checkpoint holds a ${String(tag)} state, the scheduler is a ${scheduler.getClassName()}`);
    }
    const applyScheduler = prepareState(operation, 'scheduler state', () => scheduler.prepareLoad(manifest.scheduler));
    const applyGroups = prepareState(operation, 'param groups', () => scheduler.optimizer.prepareLoad(manifest.paramGroups));

    // 2. The model: weight specs against the live model's weights, then the weights themselves.
    let modelWeights: tfc.Tensor[] | undefined;
    if (model !== undefined) {
      if (manifest.model === null) throw checkpointError(operation, 'the checkpoint holds no model, but a model was given');
      const topologyPath = join(directory, manifest.model.topologyFile);
      const topology = parseTopology(operation, topologyPath, readVerified(operation, manifest, files, manifest.model.topologyFile));
      const specs = checkTopology(operation, topologyPath, topology, manifest.files[manifest.model.weightsFile].bytes);
      const live = model.getWeights();
      const mismatch = live.length !== specs.length
        ? `the model has ${live.length} weight tensors, the checkpoint ${specs.length}`
        : live.map((weight, i) => (sameShape(weight.shape, specs[i].shape) && weight.dtype === specs[i].dtype ? '' : `weight ${i} is ${weight.dtype} [${weight.shape.join(', ')}] in the model, ${specs[i].dtype} [${specs[i].shape.join(', ')}] in the checkpoint`)).find((text) => text !== '');
      if (mismatch !== undefined) throw checkpointError(operation, `the model does not fit the checkpoint: ${mismatch}`);
      const decoded = tfc.io.decodeWeights(toArrayBuffer(readVerified(operation, manifest, files, manifest.model.weightsFile)), specs as tfc.io.WeightsManifestEntry[]);
      modelWeights = (specs as WeightSpec[]).map((spec) => decoded[spec.name]);
      temporaries.push(...Object.values(decoded));
    }

    // 3. The optimizers: slot layouts against the live optimizers (and the model they update), then the slots.
    if (manifest.optimizers.length !== optimizers.length) {
      throw checkpointError(operation, `the checkpoint holds ${manifest.optimizers.length} optimizer(s), ${optimizers.length} were given`);
    }
    manifest.optimizers.forEach((entry, i) => {
      const optimizer = optimizers[i];
      const variables = model !== undefined && model.optimizer === optimizer ? model.trainableWeights : undefined;
      let problem: string | undefined;
      try {
        problem = checkSavedSlots(optimizer, { className: entry.className, iterations: entry.iterations, slots: entry.tensors }, variables);
      } catch (error) {
        throw asCheckpointError(operation, `optimizer ${i}`, error);
      }
      if (problem !== undefined) throw checkpointError(operation, `optimizer ${i} does not fit the checkpoint: ${problem}`);
      const decoded = tfc.io.decodeWeights(toArrayBuffer(readVerified(operation, manifest, files, entry.file)), entry.tensors as tfc.io.WeightsManifestEntry[]);
      temporaries.push(...Object.values(decoded));
      const tensors = entry.tensors.map((spec) => decoded[spec.name]);
      restores.push(prepareSlotRestore(optimizer, { iterations: entry.iterations, slots: entry.tensors }, tensors as unknown as SlotTensor[]));
    });

    // 4. Apply, synchronously: nothing above changed anything, and nothing below can fail.
    if (modelWeights !== undefined) model?.setWeights(modelWeights);
    applyGroups();
    // After the groups: a changed beta1 resets Adam's accumulators, which the saved ones then replace.
    for (const restore of restores) restore.apply();
    applyScheduler();
    applied = true;
    return { manifest, extra: manifest.extra, directory, generation: generation.number };
  } finally {
    for (const file of files.values()) closeFile(file);
    if (!applied) for (const restore of restores) restore.discard();
    for (const tensor of temporaries) if (!tensor.isDisposed) tensor.dispose();
  }
}

/**
 * The saved model's artifacts, for `tf.loadLayersModel(tf.io.fromMemory(artifacts))` when you have
 * no model object yet; verified like `loadCheckpoint` verifies them.
 */
export function readCheckpointModelArtifacts(dir: string): tfc.io.ModelArtifacts {
  const operation: Operation = { name: 'readCheckpointModelArtifacts', dir: String(dir) };
  checkArguments(operation, dir, undefined, false);
  return readCurrentGeneration(operation, dir, CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, (generation, directory) => {
    const { manifest, files } = openGeneration(operation, generation, directory, (m) => (m.model === null ? [] : [m.model.topologyFile, m.model.weightsFile]));
    try {
      if (manifest.model === null) throw checkpointError(operation, 'the checkpoint holds no model');
      const topologyPath = join(directory, manifest.model.topologyFile);
      const topology = parseTopology(operation, topologyPath, readVerified(operation, manifest, files, manifest.model.topologyFile));
      checkTopology(operation, topologyPath, topology, manifest.files[manifest.model.weightsFile].bytes);
      return { ...(topology as tfc.io.ModelArtifacts), weightData: toArrayBuffer(readVerified(operation, manifest, files, manifest.model.weightsFile)) };
    } finally {
      for (const file of files.values()) closeFile(file);
    }
  });
}
