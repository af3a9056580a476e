/**
 * The JavaScript values of Python data as `readTorchFile` returns them and `writeTorchFile` takes
 * them:
 *
 * | Python | JavaScript |
 * |---|---|
 * | `None`, `bool`, `str` | `null`, `boolean`, `string` |
 * | `int` | `number` when within ±2^53, else `bigint` (`writeTorchFile` also takes `bigint`) |
 * | `float` | `number` (`inf`, `nan`, `-0.0` as themselves); `pyFloat(1)` writes `1.0` |
 * | `list` | an array |
 * | `tuple` | a frozen array (`tuple(a, b)`, `isTuple(x)`) |
 * | `dict`, `OrderedDict` with `str` keys | a plain object (keys in JavaScript's order: integer-like keys first) |
 * | any other `dict` (int keys: an optimizer's `state`) | a `Map`, keys kept (int, float, str, bool, None, tuple) |
 * | `collections.Counter` | `Counter` (a `Map`) |
 * | `set` | a `Set` |
 * | `bytes`, `bytearray` | a `Uint8Array` |
 * | `torch.Tensor`, `nn.Parameter` | `TorchTensor`: `{ dtype, shape, data }` with a typed array |
 * | `torch.device`, a dtype | its string: `"cpu"`, `"torch.float32"` |
 */
import { STATE_VALUE } from '../state/json-data';

/** The tensor element types this package reads; it writes all but `float16` and `bfloat16`. */
export type TorchDtype = 'float64' | 'float32' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** The typed array of each dtype (`float16`/`bfloat16` are widened, exactly, to `Float32Array`). */
export interface TorchTensorData {
  float64: Float64Array;
  float32: Float32Array;
  float16: Float32Array;
  bfloat16: Float32Array;
  int64: BigInt64Array;
  int32: Int32Array;
  int16: Int16Array;
  int8: Int8Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

export type TorchTypedArray = TorchTensorData[TorchDtype];

/**
 * A tensor: its dtype, its shape, and its elements in row-major order. `tf.tensor(t.data, t.shape)`
 * makes a tfjs tensor of a float32 or int32 one. Tensors read from one storage may share memory,
 * as in PyTorch.
 */
export class TorchTensor<D extends TorchDtype = TorchDtype> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: TorchTensorData[D];
  /** PyTorch's `requires_grad` (true for an `nn.Parameter`). */
  readonly requiresGrad: boolean;

  constructor(dtype: D, shape: readonly number[], data: TorchTensorData[D], requiresGrad = false) {
    this.dtype = dtype;
    this.shape = Object.freeze(shape.slice());
    this.data = data;
    this.requiresGrad = requiresGrad;
  }

  /** The number of elements (1 for a 0-d tensor). */
  get size(): number {
    return this.data.length;
  }

  /** The one element as a number (PyTorch's `item()`); `undefined` unless the tensor has exactly one. */
  item(): number | undefined {
    if (this.data.length !== 1) return undefined;
    return Number(this.data[0]);
  }

  /** In a state dict (`loadStateDict`), a one-element tensor stands for its number (PyTorch's tensor learning rates). */
  [STATE_VALUE](): number | undefined {
    return this.item();
  }
}

/** The JSON text of a Python dict key: numbers as Python writes them in JSON state dicts ("3", "2.5", "inf"). */
function keyText(key: TorchKey): string | undefined {
  if (typeof key === 'string') return key;
  if (typeof key === 'bigint') return String(key);
  if (typeof key !== 'number') return undefined; // (a Map holds no -0 key: it is 0 there)
  if (Number.isNaN(key)) return 'nan';
  if (!Number.isFinite(key)) return key > 0 ? 'inf' : '-inf';
  return String(key);
}

/**
 * A Python dict whose keys are not all `str` (an optimizer's `state`, keyed by parameter id), as
 * `readTorchFile` returns it: a `Map`, keys kept.
 */
export class PythonDict extends Map<TorchKey, TorchValue> {
  /**
   * In a state dict (`loadStateDict`), the object PyTorch's JSON state dicts hold in its place
   * (MultiStepLR's `milestones`: `{ "30": 1, "80": 1 }`), keyed by the keys' decimal text;
   * `undefined` when a key has no such text or two keys have the same one.
   */
  [STATE_VALUE](): Record<string, TorchValue> | undefined {
    const record: Record<string, TorchValue> = {};
    for (const [key, item] of this) {
      const text = keyText(key);
      if (text === undefined || Object.prototype.hasOwnProperty.call(record, text)) return undefined;
      Object.defineProperty(record, text, { value: item, enumerable: true, writable: true, configurable: true });
    }
    return record;
  }
}

/** Python's `collections.Counter`: element -> count. */
export class Counter extends PythonDict {}

/** A number `writeTorchFile` writes as a Python `float` even when it is integer-valued. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Marks `value` to be written as a Python float (`pyFloat(1)` is `1.0`, not `1`). */
export function pyFloat(value: number): PyFloat {
  return new PyFloat(value);
}

/** A Python tuple: a frozen array. */
export function tuple<T extends TorchValue>(...items: T[]): readonly T[] {
  return Object.freeze(items);
}

/** Whether `value` stands for a Python tuple (a frozen array). */
export function isTuple(value: unknown): value is readonly TorchValue[] {
  return Array.isArray(value) && Object.isFrozen(value);
}

/** What can be a key of a Python dict here. */
export type TorchKey = string | number | bigint | boolean | null | readonly TorchValue[];

/** Every value `readTorchFile` returns (and `writeTorchFile` takes, plus `PyFloat`). */
export type TorchValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PyFloat
  | TorchValue[]
  | readonly TorchValue[]
  | TorchDict
  | Map<TorchKey, TorchValue>
  | Set<TorchValue>
  | Uint8Array
  | TorchTensor;

/** A Python dict with `str` keys. */
export interface TorchDict {
  [key: string]: TorchValue;
}

/** Bytes per element in storage, by dtype. */
export const ELEMENT_SIZE: Readonly<Record<TorchDtype, number>> = {
  float64: 8,
  float32: 4,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** PyTorch's legacy storage class of each dtype (`torch.FloatStorage`), as pickled by `torch.save`. */
export const STORAGE_CLASS: Readonly<Record<TorchDtype, string>> = {
  float64: 'DoubleStorage',
  float32: 'FloatStorage',
  float16: 'HalfStorage',
  bfloat16: 'BFloat16Storage',
  int64: 'LongStorage',
  int32: 'IntStorage',
  int16: 'ShortStorage',
  int8: 'CharStorage',
  uint8: 'ByteStorage',
  bool: 'BoolStorage',
};

/** Whether `value` looks like a tensor: a known dtype, a shape of non-negative integers, a typed array of that many elements. */
export function isTensorLike(value: unknown): value is TorchTensor {
  if (typeof value !== 'object' || value === null) return false;
  const { dtype, shape, data } = value as Partial<TorchTensor>;
  if (typeof dtype !== 'string' || !Object.prototype.hasOwnProperty.call(ELEMENT_SIZE, dtype)) return false;
  if (!Array.isArray(shape) || !ArrayBuffer.isView(data) || data instanceof DataView) return false;
  let count = 1;
  for (const n of shape) {
    if (!Number.isSafeInteger(n) || n < 0) return false;
    count *= n;
  }
  return count === (data as TorchTypedArray).length;
}
