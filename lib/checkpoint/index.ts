/**
 * Whole-run checkpoints for Node: model topology and weights, optimizer slots, param-group
 * hyper-parameters and scheduler state in one directory with a manifest and a format version,
 * written crash-safely. `import { saveCheckpoint, loadCheckpoint } from 'tfjs-lr-scheduler/checkpoint'`.
 *
 * Directory layout (format version 1):
 * - `checkpoint.json`: the manifest (format, version, what is inside, file sizes and SHA-256 sums,
 *   the param groups, the scheduler state, your `extra` data); written last.
 * - `model.json` + `model.weights.bin`: the model's topology and weights as tfjs saves them.
 * - `optimizer-<i>.bin`: the slots of each tfjs optimizer (moments, accumulators, iteration
 *   counters, Adam's and Adamax's bias-correction accumulators), described in the manifest.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import { InvalidStateError, LRSchedulerError } from '../errors';
import type { LRScheduler } from '../lr-scheduler';
import type { OptimizerState } from '../optim/optimizer-view';
import type { JsonValue } from '../state/encoding';
import { findNonJsonData, type SchedulerState } from '../state/state-reader';
import { readableCheckpointDirectory, replaceDirectory, writeFileDurably } from './atomic-directory';
import type * as SlotInternals from '../optim/tfjs-slots';

export const CHECKPOINT_FORMAT = 'tfjs-lr-scheduler-checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'checkpoint.json';

/** The parts of a tfjs-layers model a checkpoint uses (`tf.LayersModel` fits). */
export interface CheckpointModel {
  save(handler: tfc.io.IOHandler, config?: tfc.io.SaveConfig): Promise<tfc.io.SaveResult>;
  getWeights(trainableOnly?: boolean): tfc.Tensor[];
  setWeights(weights: tfc.Tensor[]): void;
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

interface FileEntry {
  bytes: number;
  sha256: string;
}

interface SlotSpec {
  name: string;
  shape: number[];
  dtype: tfc.DataType;
  /** `slot`: a tensor of `getWeights()` order; `internal`: a variable tfjs does not save. */
  role: 'slot' | 'internal';
}

interface OptimizerEntry {
  className: string;
  iterations: number;
  file: string;
  slots: SlotSpec[];
}

/** The manifest, `checkpoint.json`. */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: number;
  createdAt: string;
  files: Record<string, FileEntry>;
  model: { topologyFile: string; weightsFile: string } | null;
  optimizers: OptimizerEntry[];
  paramGroups: OptimizerState;
  scheduler: SchedulerState;
  extra: JsonValue;
}

export interface LoadedCheckpoint {
  manifest: CheckpointManifest;
  /** The `extra` data given to `saveCheckpoint`. */
  extra: JsonValue;
  /** The directory it was read from (the checkpoint directory, or its `.previous` after a killed save). */
  directory: string;
}

/** A checkpoint that cannot be read or does not fit the objects it is loaded into; nothing was changed. */
export class CheckpointError extends LRSchedulerError {
  constructor(message: string) {
    super(message, 'ValueError');
  }
}

function tfjsOptimizers(parts: CheckpointParts): tfc.Optimizer[] {
  if (parts.optimizer === undefined) return parts.scheduler.optimizer.optimizers as unknown as tfc.Optimizer[];
  return Array.isArray(parts.optimizer) ? [...(parts.optimizer as tfc.Optimizer[])] : [parts.optimizer as tfc.Optimizer];
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

type AdamInternals = Pick<SlotInternals.AdamInternals<tfc.Variable>, 'accBeta1' | 'accBeta2'>;
type AdamaxInternals = SlotInternals.AdamaxInternals<tfc.Variable>;

/**
 * An optimizer's tensors to save: `getWeights()` (iterations and slots), plus what tfjs leaves
 * out: Adam's `accBeta1`/`accBeta2` (a schedule that changes beta1 makes them differ from
 * `beta ** (iterations + 1)`, which tfjs's `setWeights()` assumes), and all of Adamax's state
 * (tfjs implements neither `getWeights()` nor `setWeights()` for Adamax).
 */
async function optimizerTensors(optimizer: tfc.Optimizer): Promise<Array<{ spec: SlotSpec; tensor: tfc.Tensor; owned: boolean }>> {
  const className = optimizer.getClassName();
  const out: Array<{ spec: SlotSpec; tensor: tfc.Tensor; owned: boolean }> = [];
  const add = (name: string, tensor: tfc.Tensor, role: SlotSpec['role'], owned: boolean): void => {
    out.push({ spec: { name, shape: tensor.shape.slice(), dtype: tensor.dtype, role }, tensor, owned });
  };
  if (className === 'Adamax') {
    const adamax = optimizer as unknown as AdamaxInternals;
    add('iteration', adamax.iteration, 'internal', false);
    add('accBeta1', adamax.accBeta1, 'internal', false);
    adamax.accumulatedFirstMoment.forEach((slot, i) => {
      const norm = adamax.accumulatedWeightedInfNorm[i];
      if (slot === undefined || norm === undefined) return;
      add(`m/${i}/${slot.originalName}`, slot.variable, 'slot', false);
      add(`v/${i}/${norm.originalName}`, norm.variable, 'slot', false);
    });
    return out;
  }
  const weights = await optimizer.getWeights();
  weights.forEach((weight, i) => add(weight.name, weight.tensor, 'slot', i === 0));
  if (className === 'Adam') {
    const adam = optimizer as unknown as AdamInternals;
    add('accBeta1', adam.accBeta1, 'internal', false);
    add('accBeta2', adam.accBeta2, 'internal', false);
  }
  return out;
}

/**
 * Saves model, optimizer(s), param groups and scheduler into `dir`, replacing a previous
 * checkpoint there only once the new one is complete on disk.
 */
export async function saveCheckpoint(dir: string, parts: SaveCheckpointParts): Promise<CheckpointManifest> {
  const extra = parts.extra ?? null;
  const extraProblem = findNonJsonData(extra);
  if (extraProblem !== undefined) throw new CheckpointError(`saveCheckpoint: extra${extraProblem.key === '(the state dict)' ? '' : `.${extraProblem.key}`} must be ${extraProblem.expected}`);
  const scheduler = parts.scheduler;
  const optimizers = tfjsOptimizers(parts);
  // Everything is captured before the first file is written.
  const schedulerState = JSON.parse(JSON.stringify(scheduler.stateDict())) as SchedulerState;
  const paramGroups = JSON.parse(JSON.stringify(scheduler.optimizer.stateDict())) as OptimizerState;
  const files: Array<{ name: string; data: Uint8Array }> = [];
  let model: CheckpointManifest['model'] = null;
  if (parts.model !== undefined) {
    let artifacts: tfc.io.ModelArtifacts | undefined;
    await parts.model.save(
      tfc.io.withSaveHandler(async (saved) => {
        artifacts = saved;
        return { modelArtifactsInfo: tfc.io.getModelArtifactsInfoForJSON(saved) };
      }),
    );
    if (artifacts === undefined) throw new CheckpointError('saveCheckpoint: the model saved nothing');
    const { weightData, ...json } = artifacts;
    const weights = new Uint8Array(weightData === undefined ? new ArrayBuffer(0) : tfc.io.CompositeArrayBuffer.join(weightData));
    files.push({ name: 'model.json', data: Buffer.from(JSON.stringify(json), 'utf8') });
    files.push({ name: 'model.weights.bin', data: weights });
    model = { topologyFile: 'model.json', weightsFile: 'model.weights.bin' };
  }
  const optimizerEntries: OptimizerEntry[] = [];
  for (let i = 0; i < optimizers.length; i++) {
    const optimizer = optimizers[i];
    const tensors = await optimizerTensors(optimizer);
    try {
      const encoded = await tfc.io.encodeWeights(tensors.map(({ spec, tensor }, j) => ({ name: `${j}:${spec.name}`, tensor })));
      const file = `optimizer-${i}.bin`;
      files.push({ name: file, data: new Uint8Array(tfc.io.CompositeArrayBuffer.join(encoded.data)) });
      optimizerEntries.push({ className: optimizer.getClassName(), iterations: optimizer.iterations, file, slots: tensors.map(({ spec }) => spec) });
    } finally {
      for (const { tensor, owned } of tensors) if (owned) tensor.dispose();
    }
  }
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    files: Object.fromEntries(files.map(({ name, data }) => [name, { bytes: data.byteLength, sha256: sha256(data) }])),
    model,
    optimizers: optimizerEntries,
    paramGroups,
    scheduler: schedulerState,
    extra,
  };
  await replaceDirectory(dir, async (temporary) => {
    for (const { name, data } of files) writeFileDurably(join(temporary, name), data);
    // Last: a directory without its manifest is never taken for a checkpoint.
    writeFileDurably(join(temporary, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  });
  return manifest;
}

function fail(dir: string, message: string): never {
  throw new CheckpointError(`loadCheckpoint(${JSON.stringify(dir)}): ${message}`);
}

function readManifest(dir: string, directory: string): CheckpointManifest {
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(readFileSync(join(directory, MANIFEST_FILE), 'utf8')) as CheckpointManifest;
  } catch (error) {
    return fail(dir, `cannot read ${MANIFEST_FILE}: ${(error as Error).message}`);
  }
  const problem = findNonJsonData(manifest);
  if (problem !== undefined) fail(dir, `${MANIFEST_FILE}: ${problem.key} must be ${problem.expected}`);
  if (typeof manifest !== 'object' || manifest === null || manifest.format !== CHECKPOINT_FORMAT) fail(dir, `${MANIFEST_FILE} is not a ${CHECKPOINT_FORMAT} manifest`);
  if (manifest.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    fail(dir, `format version ${String(manifest.formatVersion)} is not supported (this version reads ${CHECKPOINT_FORMAT_VERSION})`);
  }
  if (typeof manifest.files !== 'object' || manifest.files === null || !Array.isArray(manifest.optimizers)) fail(dir, `${MANIFEST_FILE} is incomplete`);
  return manifest;
}

/** A file of the checkpoint, checked against the manifest's size and SHA-256. */
function readChecked(dir: string, directory: string, manifest: CheckpointManifest, name: string): Uint8Array {
  const entry = Object.prototype.hasOwnProperty.call(manifest.files, name) ? manifest.files[name] : undefined;
  if (entry === undefined) fail(dir, `the manifest lists no file "${name}"`);
  let data: Uint8Array;
  try {
    data = readFileSync(join(directory, name));
  } catch (error) {
    return fail(dir, `cannot read ${name}: ${(error as Error).message}`);
  }
  if (data.byteLength !== entry.bytes || sha256(data) !== entry.sha256) fail(dir, `${name} is damaged (size or SHA-256 differs from the manifest)`);
  return data;
}

function toArrayBuffer(data: Uint8Array): ArrayBuffer {
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

/** The saved model's artifacts, for `tf.loadLayersModel(tf.io.fromMemory(artifacts))` when you have no model object yet. */
export function readCheckpointModelArtifacts(dir: string): tfc.io.ModelArtifacts {
  const directory = readableCheckpointDirectory(dir, MANIFEST_FILE) ?? fail(dir, 'no checkpoint there');
  const manifest = readManifest(dir, directory);
  if (manifest.model === null) fail(dir, 'the checkpoint holds no model');
  const json = JSON.parse(Buffer.from(readChecked(dir, directory, manifest, manifest.model.topologyFile)).toString('utf8')) as tfc.io.ModelArtifacts;
  return { ...json, weightData: toArrayBuffer(readChecked(dir, directory, manifest, manifest.model.weightsFile)) };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/**
 * Restores model weights, optimizer slots, param groups and scheduler state from `dir` into the
 * given objects (built the same way as the ones that were saved). Everything is read and checked
 * first: a checkpoint that does not fit throws `CheckpointError` (or the scheduler's
 * `InvalidStateError`) and changes nothing.
 */
export async function loadCheckpoint(dir: string, parts: CheckpointParts): Promise<LoadedCheckpoint> {
  const directory = readableCheckpointDirectory(dir, MANIFEST_FILE) ?? fail(dir, `no checkpoint there (no ${MANIFEST_FILE})`);
  const manifest = readManifest(dir, directory);
  const scheduler = parts.scheduler;
  const optimizers = tfjsOptimizers(parts);
  const disposeOnFailure: tfc.Tensor[] = [];
  try {
    // 1. Read and check everything; nothing changes yet.
    if (manifest.scheduler?.__scheduler__ !== undefined && manifest.scheduler.__scheduler__ !== scheduler.getClassName()) {
      fail(dir, `the checkpoint holds a ${String(manifest.scheduler.__scheduler__)} state, the scheduler is a ${scheduler.getClassName()}`);
    }
    const applyScheduler = scheduler.prepareLoad(manifest.scheduler);
    const applyGroups = scheduler.optimizer.prepareLoad(manifest.paramGroups);
    let modelWeights: tfc.Tensor[] | undefined;
    if (parts.model !== undefined) {
      if (manifest.model === null) fail(dir, 'the checkpoint holds no model, but a model was given');
      const artifacts = JSON.parse(Buffer.from(readChecked(dir, directory, manifest, manifest.model.topologyFile)).toString('utf8')) as tfc.io.ModelArtifacts;
      const weightData = toArrayBuffer(readChecked(dir, directory, manifest, manifest.model.weightsFile));
      const specs = artifacts.weightSpecs ?? [];
      const decoded = tfc.io.decodeWeights(weightData, specs);
      modelWeights = specs.map((spec) => decoded[spec.name]);
      disposeOnFailure.push(...modelWeights);
      const current = parts.model.getWeights();
      if (current.length !== modelWeights.length || current.some((w, i) => !sameShape(w.shape, (modelWeights as tfc.Tensor[])[i].shape))) {
        fail(dir, `the model's weights (${current.length} tensors) do not match the saved ones (${modelWeights.length} tensors of other shapes)`);
      }
    }
    if (manifest.optimizers.length !== optimizers.length) {
      fail(dir, `the checkpoint holds ${manifest.optimizers.length} optimizer(s), ${optimizers.length} were given`);
    }
    const optimizerData = manifest.optimizers.map((entry, i) => {
      const optimizer = optimizers[i];
      if (entry.className !== optimizer.getClassName()) fail(dir, `optimizer ${i} was a ${entry.className}, it is now a ${optimizer.getClassName()}`);
      const data = toArrayBuffer(readChecked(dir, directory, manifest, entry.file));
      const names = entry.slots.map((spec, j) => `${j}:${spec.name}`);
      const decoded = tfc.io.decodeWeights(data, entry.slots.map((spec, j) => ({ name: names[j], shape: spec.shape, dtype: spec.dtype })));
      const tensors = names.map((name) => decoded[name]);
      disposeOnFailure.push(...tensors);
      return { entry, optimizer, tensors };
    });

    // 2. Apply: model weights, param groups, optimizer slots, then the scheduler.
    if (modelWeights !== undefined) parts.model?.setWeights(modelWeights);
    applyGroups();
    for (const { entry, optimizer, tensors } of optimizerData) await restoreOptimizer(optimizer, entry, tensors);
    applyScheduler();
    return { manifest, extra: manifest.extra ?? null, directory };
  } finally {
    for (const tensor of disposeOnFailure) if (!tensor.isDisposed) tensor.dispose();
  }
}

/** Puts the saved tensors back; afterwards the optimizer continues exactly as the saved one would have. */
async function restoreOptimizer(optimizer: tfc.Optimizer, entry: OptimizerEntry, tensors: tfc.Tensor[]): Promise<void> {
  const internal = new Map<string, tfc.Tensor>();
  const slots: Array<{ name: string; tensor: tfc.Tensor }> = [];
  entry.slots.forEach((spec, j) => {
    if (spec.role === 'internal') internal.set(spec.name, tensors[j]);
    else slots.push({ name: spec.name, tensor: tensors[j] });
  });
  if (entry.className === 'Adamax') {
    const adamax = optimizer as unknown as AdamaxInternals;
    const previous = [...adamax.accumulatedFirstMoment, ...adamax.accumulatedWeightedInfNorm];
    adamax.iteration.assign(internal.get('iteration') as tfc.Tensor);
    adamax.accBeta1.assign(internal.get('accBeta1') as tfc.Tensor);
    const first: AdamaxInternals['accumulatedFirstMoment'] = [];
    const norm: AdamaxInternals['accumulatedWeightedInfNorm'] = [];
    for (let k = 0; k + 1 < slots.length; k += 2) {
      const [, index, ...firstName] = slots[k].name.split('/');
      const [, , ...normName] = slots[k + 1].name.split('/');
      first[Number(index)] = { originalName: firstName.join('/'), variable: slots[k].tensor.variable(false) };
      norm[Number(index)] = { originalName: normName.join('/'), variable: slots[k + 1].tensor.variable(false) };
    }
    adamax.accumulatedFirstMoment = first;
    adamax.accumulatedWeightedInfNorm = norm;
    adamax.iterations_ = entry.iterations;
    for (const slot of previous) slot?.variable.dispose();
    return;
  }
  const previous = await optimizer.getWeights();
  await optimizer.setWeights(slots);
  // getWeights() made a fresh iterations scalar; the rest are the replaced slot variables.
  previous.forEach((weight) => weight.tensor.dispose());
  if (entry.className === 'Adam') {
    const adam = optimizer as unknown as AdamInternals;
    // tfjs's setWeights() sets beta ** (iterations + 1); the run may have changed beta1 (momentum cycling).
    adam.accBeta1.assign(internal.get('accBeta1') as tfc.Tensor);
    adam.accBeta2.assign(internal.get('accBeta2') as tfc.Tensor);
  }
}

export { InvalidStateError };
