/**
 * Storages and tensors: a storage's bytes (a zip record, or a region of a legacy file) become one
 * typed array, checked against the size its persistent id declares; a tensor is a view of its
 * storage when it is contiguous (tensors of one storage share memory, as in PyTorch) and a copy
 * gathered by its strides otherwise, every index checked to lie inside the storage first.
 */
import { TorchFileError } from './errors';
import { ELEMENT_SIZE, STORAGE_CLASS, TorchTensor, type TorchDtype, type TorchTypedArray } from './values';

/** Storage class name (`FloatStorage`) -> dtype. */
export const DTYPE_OF_STORAGE: ReadonlyMap<string, TorchDtype> = new Map(
  (Object.entries(STORAGE_CLASS) as Array<[TorchDtype, string]>).map(([dtype, name]) => [name, dtype]),
);

/** Storage classes torch.load knows that this reader does not read. */
const UNSUPPORTED_STORAGES = /^(Complex\w*|QU?Int\w*|Float8\w*|Bits\w*|UInt(16|32|64)|Untyped|Typed)Storage$/;

export function isStorageClass(name: string): boolean {
  return DTYPE_OF_STORAGE.has(name) || UNSUPPORTED_STORAGES.test(name);
}

/** A storage referenced by a persistent id; its elements are decoded on first use. */
export class StorageRef {
  #elements: TorchTypedArray | undefined;

  constructor(
    readonly key: string,
    readonly dtype: TorchDtype,
    readonly numel: number,
    private readonly load: () => Uint8Array,
    readonly littleEndian: boolean,
  ) {}

  elements(): TorchTypedArray {
    this.#elements ??= decodeElements(this.dtype, this.load(), this.numel, this.littleEndian);
    return this.#elements;
  }
}

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A storage's bytes as its typed array (always a fresh, aligned buffer). */
export function decodeElements(dtype: TorchDtype, bytes: Uint8Array, numel: number, littleEndian: boolean): TorchTypedArray {
  const size = ELEMENT_SIZE[dtype];
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  const buffer = aligned.buffer;
  const offset = aligned.byteOffset;
  if (littleEndian !== hostLittleEndian && size > 1) swapBytes(aligned, size);
  switch (dtype) {
    case 'float64':
      return new Float64Array(buffer, offset, numel);
    case 'float32':
      return new Float32Array(buffer, offset, numel);
    case 'int64':
      return new BigInt64Array(buffer, offset, numel);
    case 'int32':
      return new Int32Array(buffer, offset, numel);
    case 'int16':
      return new Int16Array(buffer, offset, numel);
    case 'int8':
      return new Int8Array(buffer, offset, numel);
    case 'uint8':
    case 'bool':
      return new Uint8Array(buffer, offset, numel);
    case 'float16':
      return widen(new Uint16Array(buffer, offset, numel), halfToFloat);
    case 'bfloat16':
      return widen(new Uint16Array(buffer, offset, numel), bfloat16ToFloat);
  }
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

function widen(bits: Uint16Array, convert: (h: number) => number): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = convert(bits[i]);
  return out;
}

/** IEEE half -> float (exact). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const bfloatScratch = new DataView(new ArrayBuffer(4));

/** bfloat16 -> float (exact: the upper half of a float32). */
function bfloat16ToFloat(h: number): number {
  bfloatScratch.setUint32(0, h << 16);
  return bfloatScratch.getFloat32(0);
}

function integerList(value: unknown): number[] | undefined {
  const items = value as { items?: unknown };
  if (typeof value !== 'object' || value === null || !Array.isArray(items.items)) return undefined;
  const out: number[] = [];
  for (const item of items.items as unknown[]) {
    if (typeof item !== 'number' || !Number.isSafeInteger(item) || item < 0) return undefined;
    out.push(item);
  }
  return out;
}

/** Counts the bytes copied for non-contiguous tensors, against a limit. */
export class CopyBudget {
  #used = 0;
  constructor(readonly limit: number) {}

  take(bytes: number, where: string): void {
    this.#used += bytes;
    if (this.#used > this.limit) {
      throw new TorchFileError('limit', `readTorchFile: ${where}: strided tensors would copy more than ${this.limit} bytes (maxCopyBytes)`);
    }
  }
}

/** `_rebuild_tensor_v2(storage, storage_offset, size, stride, ...)`: a tensor over its storage, every index checked. */
export function rebuildTensor(storage: unknown, offset: unknown, size: unknown, stride: unknown, requiresGrad: boolean, where: string, budget: CopyBudget): TorchTensor {
  const fail = (message: string): never => {
    throw new TorchFileError('format', `readTorchFile: ${where}: tensor ${message}`);
  };
  if (!(storage instanceof StorageRef)) return fail('without a storage');
  const shape = integerList(size) ?? fail('size must be a tuple of non-negative integers');
  const strides = integerList(stride) ?? fail('stride must be a tuple of non-negative integers');
  if (shape.length !== strides.length) fail(`size has ${shape.length} dimensions, stride ${strides.length}`);
  if (shape.length > 64) fail(`has ${shape.length} dimensions (at most 64)`);
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return fail('offset must be a non-negative integer');
  let numel = 1;
  let last = offset;
  for (let d = 0; d < shape.length; d++) {
    numel *= shape[d];
    if (shape[d] > 0) last += (shape[d] - 1) * strides[d];
  }
  if (numel === 0) return new TorchTensor(storage.dtype, shape, emptyOf(storage.dtype), requiresGrad);
  if (!Number.isSafeInteger(last) || last >= storage.numel) {
    fail(`of size [${shape.join(', ')}] at offset ${offset} reaches element ${last} of a storage of ${storage.numel}`);
  }
  const elements = storage.elements();
  if (isContiguous(shape, strides)) {
    return new TorchTensor(storage.dtype, shape, elements.subarray(offset, offset + numel) as TorchTypedArray, requiresGrad);
  }
  budget.take(numel * ELEMENT_SIZE[storage.dtype], where);
  return new TorchTensor(storage.dtype, shape, gather(elements, shape, strides, offset, numel), requiresGrad);
}

function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

function emptyOf(dtype: TorchDtype): TorchTypedArray {
  return decodeElements(dtype, new Uint8Array(0), 0, true);
}

function gather(elements: TorchTypedArray, shape: readonly number[], strides: readonly number[], offset: number, numel: number): TorchTypedArray {
  const out = new (elements.constructor as new (n: number) => TorchTypedArray)(numel);
  const index = new Array<number>(shape.length).fill(0);
  let source = offset;
  for (let i = 0; i < numel; i++) {
    (out as unknown as number[])[i] = (elements as unknown as number[])[source];
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] += 1;
      source += strides[d];
      if (index[d] < shape[d]) break;
      source -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}
