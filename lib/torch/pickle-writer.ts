/**
 * A pickler for the values of `values.ts`, writing protocol 2 as Python's `pickle` does for
 * `torch.save` (the same opcodes, batching and memo), using only what
 * `torch.load(weights_only=True)` accepts. Tensors become persistent ids of storages, whose bytes
 * the caller writes as `data/<key>` records.
 */
import { TorchFileError } from './errors';
import { Counter, isTensorLike, isTuple, PyFloat, STORAGE_CLASS, TorchTensor, type TorchDtype, type TorchTypedArray } from './values';

const BATCH = 1000;
const MAX_DEPTH = 100;
const utf8 = new TextEncoder();
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

class ByteWriter {
  bytes = new Uint8Array(1024);
  length = 0;
  readonly #scratch = new DataView(new ArrayBuffer(8));

  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  uint16(value: number): void {
    this.byte(value & 0xff);
    this.byte(value >>> 8);
  }

  int32(value: number): void {
    this.#scratch.setInt32(0, value, true);
    this.raw(new Uint8Array(this.#scratch.buffer, 0, 4));
  }

  uint32(value: number): void {
    this.#scratch.setUint32(0, value, true);
    this.raw(new Uint8Array(this.#scratch.buffer, 0, 4));
  }

  float64BigEndian(value: number): void {
    this.#scratch.setFloat64(0, value, false);
    this.raw(new Uint8Array(this.#scratch.buffer, 0, 8));
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** A storage to write: its key (the record `data/<key>`) and its tensor. */
export interface PickledStorage {
  key: string;
  tensor: TorchTensor;
}

/** Python's `encode_long`: minimal little-endian two's complement. */
function encodeLong(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  const out: number[] = [];
  let rest = value;
  for (;;) {
    const byte = Number(rest & 0xffn);
    out.push(byte);
    rest >>= 8n;
    if ((rest === 0n && (byte & 0x80) === 0) || (rest === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(out);
}

export class Pickler {
  readonly #out = new ByteWriter();
  readonly #memo = new Map<unknown, number>();
  readonly #active = new Set<object>();
  readonly storages: PickledStorage[] = [];

  constructor() {
    this.#out.byte(0x80); // PROTO 2
    this.#out.byte(2);
  }

  finish(value: unknown): Uint8Array {
    this.#save(value, '(the value)', 0);
    this.#out.byte(0x2e); // STOP
    return this.#out.result();
  }

  #fail(path: string, message: string): never {
    throw new TorchFileError('value', `writeTorchFile: ${path}: ${message}`);
  }

  #memoize(key: unknown): void {
    const index = this.#memo.size;
    this.#memo.set(key, index);
    if (index < 256) {
      this.#out.byte(0x71); // BINPUT
      this.#out.byte(index);
    } else {
      this.#out.byte(0x72); // LONG_BINPUT
      this.#out.uint32(index);
    }
  }

  /** BINGET of an object already written; false if it was not. */
  #get(key: unknown): boolean {
    const index = this.#memo.get(key);
    if (index === undefined) return false;
    if (index < 256) {
      this.#out.byte(0x68); // BINGET
      this.#out.byte(index);
    } else {
      this.#out.byte(0x6a); // LONG_BINGET
      this.#out.uint32(index);
    }
    return true;
  }

  #global(module: string, name: string): void {
    const key = `global:${module}.${name}`;
    if (this.#get(key)) return;
    this.#out.byte(0x63); // GLOBAL
    this.#out.raw(utf8.encode(`${module}\n${name}\n`));
    this.#memoize(key);
  }

  #int(value: bigint): void {
    const out = this.#out;
    if (value >= 0n && value <= 0xffn) {
      out.byte(0x4b); // BININT1
      out.byte(Number(value));
    } else if (value >= 0n && value <= 0xffffn) {
      out.byte(0x4d); // BININT2
      out.uint16(Number(value));
    } else if (value >= -0x80000000n && value <= 0x7fffffffn) {
      out.byte(0x4a); // BININT
      out.int32(Number(value));
    } else {
      const encoded = encodeLong(value);
      if (encoded.length > 255) throw new TorchFileError('value', `writeTorchFile: an integer of ${encoded.length} bytes is beyond what torch.load(weights_only=True) reads (LONG1, 255 bytes)`);
      out.byte(0x8a); // LONG1
      out.byte(encoded.length);
      out.raw(encoded);
    }
  }

  #float(value: number): void {
    this.#out.byte(0x47); // BINFLOAT
    this.#out.float64BigEndian(value);
  }

  #string(value: string, path: string): void {
    if (this.#get(`str:${value}`)) return;
    if (LONE_SURROGATE.test(value)) this.#fail(path, 'a string with a lone surrogate cannot be written as UTF-8');
    const bytes = utf8.encode(value);
    this.#out.byte(0x58); // BINUNICODE
    this.#out.uint32(bytes.length);
    this.#out.raw(bytes);
    this.#memoize(`str:${value}`);
  }

  #save(value: unknown, path: string, depth: number): void {
    const out = this.#out;
    if (value === null) return out.byte(0x4e); // NONE
    if (value === true) return out.byte(0x88); // NEWTRUE
    if (value === false) return out.byte(0x89); // NEWFALSE
    if (typeof value === 'number') {
      // Integers as Python ints, everything else (fractions, -0, inf, nan, beyond 2^53) as floats.
      if (Number.isSafeInteger(value) && !Object.is(value, -0)) return this.#int(BigInt(value));
      return this.#float(value);
    }
    if (typeof value === 'bigint') return this.#int(value);
    if (typeof value === 'string') return this.#string(value, path);
    if (typeof value !== 'object') this.#fail(path, `cannot write a ${typeof value}`);
    const object = value as object;
    if (object instanceof PyFloat) {
      if (typeof object.value !== 'number') this.#fail(path, 'pyFloat() needs a number');
      return this.#float(object.value);
    }
    if (this.#active.has(object)) this.#fail(path, 'the value contains itself (a cycle; readTorchFile reads only acyclic data)');
    if (this.#get(object)) return;
    if (depth >= MAX_DEPTH) this.#fail(path, `containers nest more than ${MAX_DEPTH} deep`);
    this.#active.add(object);
    try {
      this.#saveObject(object, path, depth + 1);
    } finally {
      this.#active.delete(object);
    }
  }

  #saveObject(object: object, path: string, depth: number): void {
    const out = this.#out;
    if (Array.isArray(object)) {
      if (Object.isFrozen(object)) return this.#tuple(object as readonly unknown[], path, depth, object);
      out.byte(0x5d); // EMPTY_LIST
      this.#memoize(object);
      this.#batch(object.length, (i) => this.#save(object[i], `${path}[${i}]`, depth), 0x61, 0x65);
      return;
    }
    if (object instanceof Counter) {
      this.#global('collections', 'Counter');
      this.#dict(object, path, depth, true);
      out.byte(0x85); // TUPLE1
      out.byte(0x52); // REDUCE
      this.#memoize(object);
      return;
    }
    if (object instanceof Map) {
      this.#dict(object, path, depth, false);
      return;
    }
    if (object instanceof Set) {
      this.#global('builtins', 'set');
      out.byte(0x5d); // EMPTY_LIST
      const items = [...object];
      this.#batch(items.length, (i) => this.#save(items[i], `${path}{${i}}`, depth), 0x61, 0x65);
      out.byte(0x85); // TUPLE1
      out.byte(0x52); // REDUCE
      this.#memoize(object);
      return;
    }
    if (object instanceof Uint8Array) {
      // Python's protocol 2 for bytes: _codecs.encode(latin1 text, "latin1").
      this.#global('_codecs', 'encode');
      let text = '';
      for (let i = 0; i < object.length; i += 8192) text += String.fromCharCode(...object.subarray(i, i + 8192));
      this.#string(text, path);
      this.#string('latin1', path);
      out.byte(0x86); // TUPLE2
      out.byte(0x52); // REDUCE
      this.#memoize(object);
      return;
    }
    if (isTensorLike(object)) return this.#tensor(object, path);
    const prototype = Object.getPrototypeOf(object) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      this.#fail(path, `cannot write a ${(object as { constructor?: { name?: string } }).constructor?.name ?? 'class instance'} (plain objects, arrays, Maps, Sets, Counter, Uint8Array, tensors)`);
    }
    this.#dict(new Map(Object.entries(object)), path, depth, false, object);
  }

  #batch(count: number, item: (i: number) => void, single: number, many: number): void {
    for (let start = 0; start < count; start += BATCH) {
      const end = Math.min(count, start + BATCH);
      if (end - start === 1) {
        item(start);
        this.#out.byte(single);
      } else {
        this.#out.byte(0x28); // MARK
        for (let i = start; i < end; i++) item(i);
        this.#out.byte(many);
      }
    }
  }

  #dict(map: Map<unknown, unknown>, path: string, depth: number, inner: boolean, memoKey: object = map): void {
    this.#out.byte(0x7d); // EMPTY_DICT
    this.#memoize(inner ? { counterItems: map } : memoKey);
    const entries = [...map];
    this.#batch(
      entries.length,
      (i) => {
        const [key, value] = entries[i];
        const where = `${path}[${typeof key === 'string' ? JSON.stringify(key) : String(key)}]`;
        if (!(key === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof key) || isTuple(key))) {
          this.#fail(where, 'a dict key must be a str, number, bool, None or tuple');
        }
        this.#save(key, where, depth);
        this.#save(value, where, depth);
      },
      0x73, // SETITEM
      0x75, // SETITEMS
    );
  }

  #tuple(items: readonly unknown[], path: string, depth: number, memoKey: object): void {
    const out = this.#out;
    if (items.length === 0) return out.byte(0x29); // EMPTY_TUPLE
    if (items.length <= 3) {
      items.forEach((item, i) => this.#save(item, `${path}[${i}]`, depth));
      out.byte([0x85, 0x86, 0x87][items.length - 1]); // TUPLE1..3
    } else {
      out.byte(0x28); // MARK
      items.forEach((item, i) => this.#save(item, `${path}[${i}]`, depth));
      out.byte(0x74); // TUPLE
    }
    this.#memoize(memoKey);
  }

  /** `torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())`, in a Parameter when `requiresGrad`. */
  #tensor(tensor: TorchTensor, path: string): void {
    const out = this.#out;
    const dtype = tensor.dtype as TorchDtype;
    if (dtype === 'float16' || dtype === 'bfloat16') this.#fail(path, `writing ${dtype} tensors is not supported (float32, float64 and the integer and bool dtypes are)`);
    if (!checkElements(dtype, tensor.data)) this.#fail(path, `a ${dtype} tensor needs its matching typed array (got a ${tensor.data.constructor.name}${dtype === 'bool' ? ' or values other than 0 and 1' : ''})`);
    if (tensor.requiresGrad === true) this.#global('torch._utils', '_rebuild_parameter');
    this.#global('torch._utils', '_rebuild_tensor_v2');
    out.byte(0x28); // MARK
    const key = String(this.storages.length);
    this.storages.push({ key, tensor });
    out.byte(0x28); // MARK: the persistent id ("storage", torch.FloatStorage, key, "cpu", numel)
    this.#string('storage', path);
    this.#global('torch', STORAGE_CLASS[dtype]);
    this.#string(key, path);
    this.#string('cpu', path);
    this.#int(BigInt(tensor.data.length));
    out.byte(0x74); // TUPLE
    out.byte(0x51); // BINPERSID
    this.#int(0n);
    const shape = tensor.shape;
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    this.#tuple(shape, path, 0, { shape });
    this.#tuple(strides, path, 0, { strides });
    out.byte(0x89); // NEWFALSE: requires_grad (a Parameter carries its own)
    this.#global('collections', 'OrderedDict');
    out.byte(0x29); // EMPTY_TUPLE
    out.byte(0x52); // REDUCE
    this.#memoize({ hooks: tensor });
    out.byte(0x74); // TUPLE
    out.byte(0x52); // REDUCE
    if (tensor.requiresGrad === true) {
      this.#memoize({ data: tensor });
      out.byte(0x88); // NEWTRUE
      this.#global('collections', 'OrderedDict');
      out.byte(0x29);
      out.byte(0x52);
      this.#memoize({ parameterHooks: tensor });
      out.byte(0x87); // TUPLE3
      out.byte(0x52); // REDUCE
    }
    this.#memoize(tensor);
  }
}

function checkElements(dtype: TorchDtype, data: TorchTypedArray): boolean {
  switch (dtype) {
    case 'float64':
      return data instanceof Float64Array;
    case 'float32':
      return data instanceof Float32Array;
    case 'int64':
      return data instanceof BigInt64Array;
    case 'int32':
      return data instanceof Int32Array;
    case 'int16':
      return data instanceof Int16Array;
    case 'int8':
      return data instanceof Int8Array;
    case 'uint8':
      return data instanceof Uint8Array;
    case 'bool':
      return data instanceof Uint8Array && data.every((b) => b === 0 || b === 1);
    default:
      return false;
  }
}
