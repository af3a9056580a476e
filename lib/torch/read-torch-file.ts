/**
 * `readTorchFile(bytes)`: what `torch.load(path, weights_only=True, map_location="cpu")` returns,
 * as plain JavaScript data (see `values.ts`), for the zip format of `torch.save` (PyTorch >= 1.6)
 * and its legacy format (`_use_new_zipfile_serialization=False`). Bytes in, data out: no file
 * system, no Node built-ins, so it runs in browsers too.
 */
import { extractEntry, readZipDirectory, type ZipEntry } from './archive';
import { TorchFileError } from './errors';
import { decodeUtf8, PickleGlobal, unpickle, type PickleLimits, type TorchHooks } from './pickle-reader';
import { CopyBudget, DTYPE_OF_STORAGE, isStorageClass, rebuildTensor, StorageRef } from './tensors';
import { ELEMENT_SIZE, TorchTensor, type TorchDtype, type TorchValue } from './values';

export interface ReadTorchFileOptions {
  /** How deeply containers may nest. @default 100 */
  maxDepth?: number;
  /** How many items the pickle's stack may hold at once (Python's pickler needs a few thousand at most). @default 100_000 */
  maxStack?: number;
  /** How many memo entries the pickle may store. @default 1_000_000 */
  maxMemo?: number;
  /** How many values the data may hold, shared references counted each time they are reachable. @default 4_000_000 */
  maxValues?: number;
  /** Bytes copied for non-contiguous tensors (contiguous ones are views of their storage). @default 268_435_456 (256 MiB) or the file's size if larger */
  maxCopyBytes?: number;
  /** Bytes a DEFLATE-compressed record may inflate to (torch.save writes STORED records). @default 1_073_741_824 (1 GiB) */
  maxInflatedBytes?: number;
}

/** The magic number that opens a legacy torch.save file, and its protocol version. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL_VERSION = 1001;
/** The newest zip format version PyTorch 2.13 writes is 3; versions up to this are read. */
const MAX_FORMAT_VERSION = 9;

function limitOption(options: ReadTorchFileOptions, key: keyof ReadTorchFileOptions, fallback: number): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TorchFileError('value', `readTorchFile: option "${key}" must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Reads a `torch.save` file. Only what `torch.load(weights_only=True)` allows is read; anything
 * else is refused with a `TorchFileError` that names it, and nothing in the file is ever
 * executed. Tensors come back on the CPU whatever device they were saved from.
 *
 * The type parameter is an unchecked assertion of what the file holds (as with `JSON.parse`); the
 * loaders that take the result (`loadStateDict`, `loadTorchOptimizerState`) check everything.
 *
 * @example
 * const ckpt = readTorchFile<{ scheduler: TorchDict; optimizer: TorchDict }>(bytes);
 * scheduler.loadStateDict(ckpt.scheduler);
 */
export function readTorchFile<T = TorchValue>(bytes: Uint8Array | ArrayBuffer, options: ReadTorchFileOptions = {}): T {
  const data = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : undefined;
  if (data === undefined) throw new TorchFileError('value', `readTorchFile: expected a Uint8Array or an ArrayBuffer, got ${describe(bytes)}`);
  if (typeof options !== 'object' || options === null) throw new TorchFileError('value', 'readTorchFile: options must be an object');
  const limits: PickleLimits = {
    maxDepth: limitOption(options, 'maxDepth', 100),
    maxMemo: limitOption(options, 'maxMemo', 1_000_000),
    maxValues: limitOption(options, 'maxValues', 4_000_000),
    maxStack: limitOption(options, 'maxStack', 100_000),
  };
  const budget = new CopyBudget(limitOption(options, 'maxCopyBytes', Math.max(256 * 2 ** 20, data.length)));
  const maxInflated = limitOption(options, 'maxInflatedBytes', 2 ** 30);
  if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && (data[2] === 3 || data[2] === 5)) {
    return readZipFormat(data, limits, budget, maxInflated) as T;
  }
  if (data.length >= 2 && data[0] === 0x80) return readLegacyFormat(data, limits, budget) as T;
  if (data.length >= 262 && String.fromCharCode(...data.subarray(257, 262)) === 'ustar') {
    throw new TorchFileError('unsupported', 'readTorchFile: this is the tar format of PyTorch before 0.4; torch.load(weights_only=True) refuses it too');
  }
  const head = Array.from(data.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new TorchFileError(
    data.length < 4 ? 'truncated' : 'format',
    `readTorchFile: not a torch.save file: it starts with ${head || 'nothing'} (a torch.save file is a zip archive, "50 4b 03 04", or the legacy format, "80 02")`,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'object'}`;
  return typeof value;
}

function storageDtype(storageClass: unknown, where: string): TorchDtype {
  if (!(storageClass instanceof PickleGlobal) || storageClass.module !== 'torch' || !isStorageClass(storageClass.name)) {
    throw new TorchFileError('format', `readTorchFile: ${where}: a storage's type must be a torch storage class`);
  }
  const dtype = DTYPE_OF_STORAGE.get(storageClass.name);
  if (dtype === undefined) throw new TorchFileError('unsupported', `readTorchFile: ${where}: storages of type torch.${storageClass.name} are not supported`);
  return dtype;
}

function checkNumel(numel: unknown, where: string): number {
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) {
    throw new TorchFileError('format', `readTorchFile: ${where}: a storage's element count must be a non-negative integer`);
  }
  return numel;
}

function hooksFor(storage: (pid: readonly unknown[], where: string) => StorageRef, budget: CopyBudget): TorchHooks {
  return {
    persistentLoad: storage,
    rebuildTensor: (ref, offset, size, stride, requiresGrad, where) => rebuildTensor(ref, offset, size, stride, requiresGrad, where, budget),
    isStorageClass,
  };
}

function readZipFormat(bytes: Uint8Array, limits: PickleLimits, budget: CopyBudget, maxInflated: number): TorchValue {
  const entries = readZipDirectory(bytes);
  if (entries.length === 0) throw new TorchFileError('format', 'readTorchFile: the zip archive is empty');
  const slash = entries[0].name.indexOf('/');
  if (slash <= 0) throw new TorchFileError('format', `readTorchFile: zip: the first entry "${entries[0].name}" is not inside an archive folder (not a torch.save file)`);
  const prefix = entries[0].name.slice(0, slash + 1);
  const records = new Map<string, ZipEntry>();
  for (const entry of entries) if (entry.name.startsWith(prefix)) records.set(entry.name.slice(prefix.length), entry);
  const read = (name: string): Uint8Array | undefined => {
    const entry = records.get(name);
    return entry === undefined ? undefined : extractEntry(bytes, entry, maxInflated);
  };
  const text = (name: string, maxBytes: number): string | undefined => {
    const entry = records.get(name);
    if (entry === undefined) return undefined;
    if (entry.size > maxBytes) throw new TorchFileError('format', `readTorchFile: record "${name}" is ${entry.size} bytes (at most ${maxBytes} expected)`);
    return decodeUtf8(read(name) as Uint8Array, `record "${name}"`);
  };
  const version = text('.data/version', 16) ?? text('version', 16);
  if (version === undefined) throw new TorchFileError('format', `readTorchFile: the archive "${prefix.slice(0, -1)}" has no "version" record (not a torch.save file)`);
  if (!/^\d+\s*$/.test(version) || Number(version) < 1 || Number(version) > MAX_FORMAT_VERSION) {
    throw new TorchFileError('unsupported', `readTorchFile: format version ${JSON.stringify(version.trim())} is not supported (1 to ${MAX_FORMAT_VERSION})`);
  }
  const byteorder = text('byteorder', 16) ?? 'little';
  if (byteorder !== 'little' && byteorder !== 'big') throw new TorchFileError('format', `readTorchFile: byteorder must be "little" or "big", got ${JSON.stringify(byteorder)}`);
  const pickle = read('data.pkl');
  if (pickle === undefined) throw new TorchFileError('format', `readTorchFile: the archive "${prefix.slice(0, -1)}" has no data.pkl record`);

  const storages = new Map<string, StorageRef>();
  const storage = (pid: readonly unknown[], where: string): StorageRef => {
    if (pid.length !== 5) throw new TorchFileError('format', `readTorchFile: ${where}: a storage id has ${pid.length} fields, 5 expected`);
    const [, storageClass, key, location, numelRaw] = pid;
    const dtype = storageDtype(storageClass, where);
    const numel = checkNumel(numelRaw, where);
    if (typeof key !== 'string' || typeof location !== 'string') throw new TorchFileError('format', `readTorchFile: ${where}: a storage id needs a key and a location`);
    const known = storages.get(key);
    if (known !== undefined) {
      if (known.dtype !== dtype || known.numel !== numel) throw new TorchFileError('format', `readTorchFile: ${where}: storage "${key}" is referenced with two different types or sizes`);
      return known;
    }
    const name = `data/${key}`;
    const entry = records.get(name);
    if (entry === undefined) throw new TorchFileError('format', `readTorchFile: ${where}: storage "${key}" has no record "${name}"`);
    const expected = numel * ELEMENT_SIZE[dtype];
    if (entry.size !== expected) {
      throw new TorchFileError('format', `readTorchFile: ${where}: record "${name}" holds ${entry.size} bytes, but its storage declares ${numel} ${dtype} elements (${expected} bytes)`);
    }
    const ref = new StorageRef(key, dtype, numel, () => extractEntry(bytes, entry, maxInflated), byteorder === 'little');
    storages.set(key, ref);
    return ref;
  };
  return unpickle(pickle, 0, 'data.pkl', limits, hooksFor(storage, budget)).value;
}

function readLegacyFormat(bytes: Uint8Array, limits: PickleLimits, budget: CopyBudget): TorchValue {
  const noTensors: TorchHooks = {
    persistentLoad: () => undefined,
    rebuildTensor: () => new TorchTensor('uint8', [0], new Uint8Array(0)),
    isStorageClass,
  };
  const magic = unpickle(bytes, 0, 'the legacy header', limits, noTensors);
  if (magic.value !== LEGACY_MAGIC && magic.value !== Number(LEGACY_MAGIC)) {
    throw new TorchFileError('format', 'readTorchFile: a pickle, but not a torch.save file (no legacy magic number)');
  }
  const protocol = unpickle(bytes, magic.end, 'the legacy header', limits, noTensors);
  if (protocol.value !== LEGACY_PROTOCOL_VERSION) throw new TorchFileError('unsupported', `readTorchFile: legacy protocol version ${String(protocol.value)} (only ${LEGACY_PROTOCOL_VERSION})`);
  const sysInfo = unpickle(bytes, protocol.end, 'the legacy header', limits, noTensors);
  const mainStart = sysInfo.end;
  // First pass: find where the main pickle ends; the storages follow it.
  const declared = new Map<string, { dtype: TorchDtype; numel: number }>();
  const scan: TorchHooks = {
    ...noTensors,
    persistentLoad: (pid, where) => {
      const [, storageClass, key, , numel] = pid;
      if (typeof key === 'string' && !declared.has(key)) declared.set(key, { dtype: storageDtype(storageClass, where), numel: checkNumel(numel, where) });
      return undefined;
    },
  };
  const main = unpickle(bytes, mainStart, 'the pickle', limits, scan);
  const keys = unpickle(bytes, main.end, 'the storage list', limits, noTensors);
  if (!Array.isArray(keys.value) || keys.value.some((key) => typeof key !== 'string')) throw new TorchFileError('format', 'readTorchFile: the legacy storage list is not a list of keys');
  const regions = new Map<string, { offset: number; dtype: TorchDtype; numel: number }>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = keys.end;
  for (const key of keys.value as string[]) {
    const info = declared.get(key);
    if (info === undefined || regions.has(key)) throw new TorchFileError('format', `readTorchFile: legacy storage "${key}" is listed but not referenced, or listed twice`);
    if (at + 8 > bytes.length) throw new TorchFileError('truncated', `readTorchFile: legacy storage "${key}" is cut off`);
    const numel = view.getBigInt64(at, true);
    if (numel !== BigInt(info.numel)) throw new TorchFileError('format', `readTorchFile: legacy storage "${key}" holds ${numel} elements, its id declares ${info.numel}`);
    const size = info.numel * ELEMENT_SIZE[info.dtype];
    if (size > bytes.length - at - 8) throw new TorchFileError('truncated', `readTorchFile: legacy storage "${key}" (${size} bytes) runs past the end of the file`);
    regions.set(key, { offset: at + 8, dtype: info.dtype, numel: info.numel });
    at += 8 + size;
  }
  const storages = new Map<string, StorageRef>();
  const storage = (pid: readonly unknown[], where: string): StorageRef => {
    if (pid.length !== 6) throw new TorchFileError('format', `readTorchFile: ${where}: a legacy storage id has ${pid.length} fields, 6 expected`);
    const [, , key, , , viewMetadata] = pid;
    const region = regions.get(key as string);
    if (region === undefined) throw new TorchFileError('format', `readTorchFile: ${where}: storage "${String(key)}" has no data`);
    const root = storages.get(key as string) ?? new StorageRef(key as string, region.dtype, region.numel, () => new Uint8Array(bytes.subarray(region.offset, region.offset + region.numel * ELEMENT_SIZE[region.dtype])), true);
    storages.set(key as string, root);
    if (viewMetadata === null) return root;
    const meta = viewMetadata as { items?: unknown };
    const items = Array.isArray(meta?.items) ? (meta.items as unknown[]) : [];
    const [, offset, viewSize] = items;
    if (items.length !== 3 || typeof offset !== 'number' || typeof viewSize !== 'number' || !Number.isSafeInteger(offset) || !Number.isSafeInteger(viewSize) || offset < 0 || viewSize < 0 || offset + viewSize > region.numel) {
      throw new TorchFileError('format', `readTorchFile: ${where}: a storage view lies outside storage "${String(key)}"`);
    }
    const size = ELEMENT_SIZE[region.dtype];
    return new StorageRef(`${String(key)}[${offset}:${offset + viewSize}]`, region.dtype, viewSize, () => new Uint8Array(bytes.subarray(region.offset + offset * size, region.offset + (offset + viewSize) * size)), true);
  };
  return unpickle(bytes, mainStart, 'the pickle', limits, hooksFor(storage, budget)).value;
}
