/**
 * The checkpoint manifest, `checkpoint.json`: what it holds, how it verifies itself, and the checks
 * a manifest passes before anything in it is used.
 *
 * Self-verification: the manifest's last key, `manifestSha256`, is the SHA-256 of the manifest
 * without that key, serialized as `JSON.stringify(content, null, 1)`; the file is exactly
 * `JSON.stringify(manifest, null, 1)` plus a newline. A reader re-serializes what it parsed and
 * requires the very same bytes (so no edit of layout, spelling or escapes passes), then recomputes
 * the hash (so no edit of content passes). The hash detects damage and careless edits, not a
 * forger, who can recompute it: everything in a manifest is validated as if it came from anyone.
 */
import { createHash } from 'node:crypto';
import { SUPPORTED_OPTIMIZERS, type SlotSpec } from '../optim/tfjs-slots';
import type { OptimizerState } from '../optim/optimizer-view';
import type { JsonValue } from '../state/encoding';
import { describeValue, findNonJsonData, type SchedulerState } from '../state/state-reader';
import { checkpointError, type Operation } from './files';

import { CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, MANIFEST_FILE, MAX_MANIFEST_BYTES } from './format';

export { CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, MANIFEST_FILE, MAX_MANIFEST_BYTES };

/** A file of the checkpoint: its size and SHA-256. */
export interface CheckpointFile {
  bytes: number;
  sha256: string;
}

/** The tfjs optimizer state saved for one optimizer: its class, update count, and slot layout. */
export interface CheckpointOptimizer {
  className: string;
  iterations: number;
  /** The file holding the slot tensors' data, one after the other, in `tensors` order. */
  file: string;
  tensors: SlotSpec[];
}

/** The manifest, `checkpoint.json`. */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: typeof CHECKPOINT_FORMAT_VERSION;
  /** The generation this manifest belongs to (see `generations.ts`). */
  generation: number;
  createdAt: string;
  /** Every other file of the generation, by plain file name. */
  files: Record<string, CheckpointFile>;
  model: { topologyFile: string; weightsFile: string } | null;
  optimizers: CheckpointOptimizer[];
  paramGroups: OptimizerState;
  scheduler: SchedulerState;
  extra: JsonValue;
  /** SHA-256 of the manifest without this key (see the module comment). */
  manifestSha256: string;
}

export type ManifestContent = Omit<CheckpointManifest, 'manifestSha256'>;

/** A file name a checkpoint may use: a plain name inside its directory (no separator, no `..`, no hidden file). */
export const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The manifest's bytes and its self-hash. */
export function encodeManifest(content: ManifestContent): { text: string; manifest: CheckpointManifest } {
  const manifestSha256 = sha256(JSON.stringify(content, null, 1));
  const manifest: CheckpointManifest = { ...content, manifestSha256 };
  return { text: `${JSON.stringify(manifest, null, 1)}\n`, manifest };
}

/** Bytes per value of the dtypes a checkpoint stores. */
export const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };

/** The number of bytes of a tensor, or `undefined` when its shape or dtype is not one a checkpoint stores. */
export function tensorBytes(shape: unknown, dtype: unknown): number | undefined {
  if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(DTYPE_BYTES, dtype)) return undefined;
  if (!Array.isArray(shape) || shape.length > 16) return undefined;
  let size = DTYPE_BYTES[dtype];
  for (const n of shape as unknown[]) {
    if (!Number.isSafeInteger(n) || (n as number) < 0) return undefined;
    size *= n as number;
    if (!Number.isSafeInteger(size)) return undefined;
  }
  return size;
}

type Fail = (message: string) => never;

function record(value: unknown, where: string, fail: Fail, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`${where} must be an object, got ${describeValue(value)}`);
  const object = value as Record<string, unknown>;
  for (const key of required) if (!Object.prototype.hasOwnProperty.call(object, key)) fail(`${where} has no "${key}"`);
  for (const key of Object.keys(object)) if (!required.includes(key) && !optional.includes(key)) fail(`${where} has the unknown key "${key}"`);
  return object;
}

function fileName(value: unknown, where: string, fail: Fail): string {
  if (typeof value !== 'string' || !FILE_NAME.test(value) || value === MANIFEST_FILE) {
    return fail(`${where} must be a plain file name inside the checkpoint directory, got ${describeValue(value)}`);
  }
  return value;
}

function count(value: unknown, where: string, fail: Fail): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) return fail(`${where} must be a non-negative integer, got ${describeValue(value)}`);
  return value as number;
}

/**
 * Parses and checks a manifest read from `path`: the bytes as saved, the self-hash, the format, and
 * every part's structure (file names, sizes, tensor layouts, which files are referenced).
 * `generation` is the one `CURRENT` named. The scheduler state and param groups are checked later
 * by the objects they are loaded into.
 */
export function parseManifest(operation: Operation, path: string, bytes: Uint8Array, generation: { number: number; manifestSha256: string }): CheckpointManifest {
  const damaged = (why: string): never => {
    throw checkpointError(operation, `${path} is damaged (${why})`, { path });
  };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return damaged('it is not UTF-8 text');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return damaged('it is not JSON');
  }
  const problem = findNonJsonData(parsed);
  if (problem !== undefined) damaged(`${problem.key} must be ${problem.expected}`);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return damaged('it is not a JSON object');
  const raw = parsed as Record<string, unknown>;
  if (raw.format !== CHECKPOINT_FORMAT) throw checkpointError(operation, `${path} is not a ${CHECKPOINT_FORMAT} manifest`, { path });
  if (raw.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    throw checkpointError(operation, `format version ${describeValue(raw.formatVersion)} is not supported (this version reads ${CHECKPOINT_FORMAT_VERSION})`, { path });
  }
  if (`${JSON.stringify(raw, null, 1)}\n` !== text) damaged('its bytes are not the ones that were saved');
  const keys = Object.keys(raw);
  if (keys[keys.length - 1] !== 'manifestSha256' || typeof raw.manifestSha256 !== 'string') damaged('it has no manifestSha256 at its end');
  const { manifestSha256, ...content } = raw;
  if (sha256(JSON.stringify(content, null, 1)) !== manifestSha256) damaged('its content does not match its manifestSha256');
  if (manifestSha256 !== generation.manifestSha256) damaged(`it is not the manifest the CURRENT file names for generation ${generation.number}`);

  const fail: Fail = (message) => {
    throw checkpointError(operation, `${path} is not a valid manifest: ${message}`, { path });
  };
  const manifest = record(raw, 'the manifest', fail, [
    'format', 'formatVersion', 'generation', 'createdAt', 'files', 'model', 'optimizers', 'paramGroups', 'scheduler', 'extra', 'manifestSha256',
  ]);
  if (manifest.generation !== generation.number) fail(`"generation" is ${describeValue(manifest.generation)}, the CURRENT file names ${generation.number}`);
  if (typeof manifest.createdAt !== 'string' || manifest.createdAt.length > 64) fail(`"createdAt" must be a date string, got ${describeValue(manifest.createdAt)}`);

  const files = record(manifest.files, '"files"', fail, [], Object.keys(typeof manifest.files === 'object' && manifest.files !== null ? manifest.files : {}));
  for (const [name, entry] of Object.entries(files)) {
    fileName(name, `"files" key`, fail);
    const file = record(entry, `files["${name}"]`, fail, ['bytes', 'sha256']);
    count(file.bytes, `files["${name}"].bytes`, fail);
    if (typeof file.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(file.sha256)) fail(`files["${name}"].sha256 must be 64 hex digits, got ${describeValue(file.sha256)}`);
  }
  const referenced: string[] = [];
  const reference = (value: unknown, where: string): string => {
    const name = fileName(value, where, fail);
    if (!Object.prototype.hasOwnProperty.call(files, name)) fail(`${where} names "${name}", which "files" does not list`);
    if (referenced.includes(name)) fail(`${where} names "${name}", which another part already uses`);
    referenced.push(name);
    return name;
  };

  if (manifest.model !== null) {
    const model = record(manifest.model, '"model"', fail, ['topologyFile', 'weightsFile']);
    reference(model.topologyFile, 'model.topologyFile');
    reference(model.weightsFile, 'model.weightsFile');
    if ((files[model.topologyFile as string] as CheckpointFile).bytes > MAX_MANIFEST_BYTES) {
      fail(`the model topology file has ${(files[model.topologyFile as string] as CheckpointFile).bytes} bytes, more than the ${MAX_MANIFEST_BYTES} allowed`);
    }
  }
  if (!Array.isArray(manifest.optimizers)) return fail(`"optimizers" must be a list, got ${describeValue(manifest.optimizers)}`);
  if (manifest.optimizers.length > 1024) fail(`"optimizers" lists ${manifest.optimizers.length} optimizers, more than 1024`);
  manifest.optimizers.forEach((value: unknown, i: number) => {
    const where = `optimizers[${i}]`;
    const entry = record(value, where, fail, ['className', 'iterations', 'file', 'tensors']);
    if (typeof entry.className !== 'string' || !SUPPORTED_OPTIMIZERS.includes(entry.className)) {
      fail(`${where}.className must be one of ${SUPPORTED_OPTIMIZERS.join(', ')}, got ${describeValue(entry.className)}`);
    }
    count(entry.iterations, `${where}.iterations`, fail);
    const file = reference(entry.file, `${where}.file`);
    if (!Array.isArray(entry.tensors) || entry.tensors.length > 1_000_000) fail(`${where}.tensors must be a list of tensor specs`);
    let total = 0;
    (entry.tensors as unknown[]).forEach((tensor, j) => {
      const spec = record(tensor, `${where}.tensors[${j}]`, fail, ['name', 'shape', 'dtype'], ['originalName']);
      if (typeof spec.name !== 'string' || spec.name.length > 256) fail(`${where}.tensors[${j}].name must be a string`);
      if (spec.originalName !== undefined && (typeof spec.originalName !== 'string' || spec.originalName.length > 1024)) fail(`${where}.tensors[${j}].originalName must be a string`);
      const bytes = tensorBytes(spec.shape, spec.dtype);
      if (bytes === undefined) fail(`${where}.tensors[${j}] must have a shape of non-negative integers and a dtype float32, int32 or bool`);
      total += bytes as number;
    });
    if (total !== (files[file] as CheckpointFile).bytes) fail(`${where}'s tensors take ${total} bytes, files["${file}"].bytes says ${(files[file] as CheckpointFile).bytes}`);
  });
  const unreferenced = Object.keys(files).filter((name) => !referenced.includes(name));
  if (unreferenced.length > 0) fail(`"files" lists "${unreferenced[0]}", which no part uses`);
  record(manifest.paramGroups, '"paramGroups"', fail, ['param_groups']);
  if (typeof manifest.scheduler !== 'object' || manifest.scheduler === null || Array.isArray(manifest.scheduler)) {
    fail(`"scheduler" must be a state dict object, got ${describeValue(manifest.scheduler)}`);
  }
  return manifest as unknown as CheckpointManifest;
}

/** The model weight specs of a topology file (`model.json`), each a tensor a checkpoint stores. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

/**
 * Checks the parsed `model.json`: an object whose `weightSpecs` lists tensors with a name, a shape
 * and a dtype only (no quantization), taking exactly `weightsBytes` bytes together.
 */
export function checkTopology(operation: Operation, path: string, topology: unknown, weightsBytes: number): WeightSpec[] {
  const fail: Fail = (message) => {
    throw checkpointError(operation, `${path} is not a valid model topology: ${message}`, { path });
  };
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology)) return fail('it is not a JSON object');
  const specs = (topology as { weightSpecs?: unknown }).weightSpecs;
  if (!Array.isArray(specs)) return fail('it has no "weightSpecs" list');
  let total = 0;
  const names = new Set<string>();
  specs.forEach((value: unknown, i: number) => {
    const spec = record(value, `weightSpecs[${i}]`, fail, ['name', 'shape', 'dtype']);
    if (typeof spec.name !== 'string') fail(`weightSpecs[${i}].name must be a string`);
    if (names.has(spec.name as string)) fail(`weightSpecs[${i}] repeats the name ${JSON.stringify(spec.name)}`);
    names.add(spec.name as string);
    const bytes = tensorBytes(spec.shape, spec.dtype);
    if (bytes === undefined) fail(`weightSpecs[${i}] must have a shape of non-negative integers and a dtype float32, int32 or bool`);
    total += bytes as number;
  });
  if (total !== weightsBytes) fail(`its weights take ${total} bytes, the weights file has ${weightsBytes}`);
  return specs as WeightSpec[];
}
