/**
 * A restricted unpickler: the opcodes and globals of PyTorch's `torch/_weights_only_unpickler.py`
 * (the one `torch.load(weights_only=True)` uses), nothing else. It never calls anything by name:
 * each allowed global is a fixed entry in a table, and every other one is refused with a
 * `TorchFileError` naming it. Every length is checked against the bytes before it is read,
 * containers may nest only `maxDepth` deep, the stack and the memo hold at most `maxStack` and
 * `maxMemo` entries (Python's pickler never needs more than a few thousand on the stack), and the
 * data, shared references expanded, may count at most `maxValues` values, so that no consumer of
 * the result can be made to walk an exponential tree.
 */
import { TorchFileError } from './errors';
import { Counter, PythonDict, TorchTensor, type TorchKey, type TorchValue } from './values';

/** The limits of one unpickling (documented defaults in `ReadTorchFileOptions`). */
export interface PickleLimits {
  maxDepth: number;
  maxMemo: number;
  maxValues: number;
  maxStack: number;
}

/** A global of the pickle: a class or function named `module.name`, never resolved to code. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get fullName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** What the torch layer supplies: storages for persistent ids, tensors from storages. */
export interface TorchHooks {
  /** `BINPERSID`: the persistent id (a tuple, already checked to start with "storage"). */
  persistentLoad(pid: readonly unknown[], where: string): unknown;
  /** `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)` and `_rebuild_tensor`. */
  rebuildTensor(storage: unknown, offset: unknown, size: unknown, stride: unknown, requiresGrad: boolean, where: string): TorchTensor;
  /** A storage class global (`torch.FloatStorage`) is allowed as a value only inside persistent ids. */
  isStorageClass(name: string): boolean;
}

// -- parse-time containers (finalized into plain values at STOP) --
class PList {
  readonly items: unknown[] = [];
}
class PTuple {
  constructor(readonly items: readonly unknown[]) {}
}
class PSet {
  readonly items: unknown[] = [];
}
type DictKind = 'dict' | 'OrderedDict' | 'Counter';
class PDict {
  readonly keys: unknown[] = [];
  readonly values: unknown[] = [];
  readonly index = new Map<string, number>();
  constructor(readonly kind: DictKind) {}

  set(key: unknown, value: unknown, where: string): void {
    const hash = hashKey(key, where, 0);
    const at = this.index.get(hash);
    if (at === undefined) {
      this.index.set(hash, this.keys.length);
      this.keys.push(key);
      this.values.push(value);
    } else {
      this.values[at] = value;
    }
  }
}

/** Python's key equality for the hashable values: `1 == 1.0 == True`, `-0.0 == 0`, tuples by items. */
function hashKey(key: unknown, where: string, depth: number): string {
  if (typeof key === 'string') return `s${key}`;
  if (typeof key === 'number') return `n${Object.is(key, -0) ? 0 : key}`;
  if (typeof key === 'bigint') return `n${key}`;
  if (typeof key === 'boolean') return key ? 'n1' : 'n0';
  if (key === null) return 'N';
  if (key instanceof PTuple && depth < 8) return `t(${key.items.map((item) => hashKey(item, where, depth + 1)).join(',')})`;
  throw new TorchFileError('format', `${where}: unhashable dict key (${describeParsed(key)})`);
}

function describeParsed(value: unknown): string {
  if (value instanceof PList) return 'a list';
  if (value instanceof PTuple) return 'a tuple';
  if (value instanceof PDict) return `a ${value.kind}`;
  if (value instanceof PSet) return 'a set';
  if (value instanceof PickleGlobal) return `the global ${value.fullName}`;
  if (value instanceof TorchTensor) return 'a tensor';
  if (value instanceof Uint8Array) return 'bytes';
  if (value === null) return 'None';
  if (typeof value === 'string') return 'a str';
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  if (typeof value === 'boolean') return 'a bool';
  return 'a storage';
}

/** Opcode names, for messages. */
const OPCODE_NAMES: Readonly<Record<number, string>> = {
  0x28: 'MARK', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x46: 'FLOAT', 0x49: 'INT', 0x4a: 'BININT',
  0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2', 0x4e: 'NONE', 0x50: 'PERSID', 0x51: 'BINPERSID', 0x52: 'REDUCE',
  0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE', 0x58: 'BINUNICODE', 0x61: 'APPEND',
  0x62: 'BUILD', 0x63: 'GLOBAL', 0x64: 'DICT', 0x7d: 'EMPTY_DICT', 0x65: 'APPENDS', 0x67: 'GET', 0x68: 'BINGET',
  0x69: 'INST', 0x6a: 'LONG_BINGET', 0x6c: 'LIST', 0x5d: 'EMPTY_LIST', 0x6f: 'OBJ', 0x70: 'PUT', 0x71: 'BINPUT',
  0x72: 'LONG_BINPUT', 0x73: 'SETITEM', 0x74: 'TUPLE', 0x29: 'EMPTY_TUPLE', 0x75: 'SETITEMS', 0x47: 'BINFLOAT',
  0x80: 'PROTO', 0x81: 'NEWOBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x85: 'TUPLE1', 0x86: 'TUPLE2',
  0x87: 'TUPLE3', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x8a: 'LONG1', 0x8b: 'LONG4', 0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE', 0x95: 'FRAME',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/** Modules never allowed, whatever the name (PyTorch's `_blocklisted_modules`). */
const BLOCKED_MODULES = ['sys', 'os', 'posix', 'nt'];

/** Globals this reader implements. */
const SUPPORTED_GLOBALS = new Set([
  'collections.OrderedDict',
  'collections.Counter',
  'builtins.set',
  'builtins.bytearray',
  '_codecs.encode',
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch._tensor._rebuild_from_type_v2',
  'torch.Size',
  'torch.device',
  'torch.Tensor',
  'torch.nn.parameter.Parameter',
]);

/** dtype globals (`torch.float32`), read as the string "torch.float32". */
const DTYPE_NAMES = new Set([
  'float64', 'float32', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool', 'complex64',
  'complex128', 'double', 'float', 'half', 'long', 'int', 'short', 'cfloat', 'cdouble', 'uint16', 'uint32', 'uint64',
  'float8_e4m3fn', 'float8_e5m2', 'float8_e4m3fnuz', 'float8_e5m2fnuz', 'qint8', 'quint8', 'qint32', 'quint4x2',
]);

/** Globals `torch.load(weights_only=True)` allows that this reader does not read (as of torch 2.13). */
function allowedButUnsupported(module: string, name: string): string | undefined {
  const full = `${module}.${name}`;
  if (module === 'torch._utils' && name.startsWith('_rebuild_')) return 'this kind of tensor (sparse, quantized, nested, meta, subclass or numpy-backed)';
  if (full === 'torch.serialization._get_layout') return 'sparse tensor layouts';
  if (full === 'builtins.complex') return 'complex numbers';
  if (module === 'torch' && /^(per_tensor|per_channel)_/.test(name)) return 'quantized tensors';
  if (module === 'torch' && /Tensor$/.test(name)) return 'legacy tensor classes';
  if (module === 'torch.storage' && (name === 'UntypedStorage' || name === 'TypedStorage')) return 'untyped storages';
  return undefined;
}

/** Python 2 module names that Python 3 maps (`pickle`'s fix_imports, as PyTorch applies them). */
const IMPORT_MAPPING: Readonly<Record<string, string>> = { __builtin__: 'builtins', copy_reg: 'copyreg' };

const MARK = Symbol('mark');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly; a malformed sequence is a format error. */
export function decodeUtf8(bytes: Uint8Array, where: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new TorchFileError('format', `${where}: a string is not valid UTF-8`);
  }
}

/**
 * Unpickles one pickle starting at `start`; `end` is where the reader stopped (after STOP), so a
 * legacy file's consecutive pickles can be read one after another.
 */
export function unpickle(bytes: Uint8Array, start: number, source: string, limits: PickleLimits, hooks: TorchHooks): { value: TorchValue; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  let pos = start;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const at = (): string => `${source} (byte ${pos})`;
  const need = (n: number): void => {
    if (n > length - pos) throw new TorchFileError('truncated', `readTorchFile: ${source} ends early (byte ${pos} of ${length}, ${n} more bytes needed)`);
  };
  const fail = (message: string): never => {
    throw new TorchFileError('format', `readTorchFile: ${at()}: ${message}`);
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail('the stack is empty');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail('the stack is empty');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const previous = metastack.pop();
    if (previous === undefined) fail('no MARK to pop to');
    stack = previous as unknown[];
    return items;
  };
  const readLine = (): string => {
    const limit = Math.min(length, pos + 256);
    let i = pos;
    while (i < limit && bytes[i] !== 0x0a) i++;
    if (i === limit) {
      if (limit === length) need(limit - pos + 1);
      fail('a GLOBAL name is longer than 255 bytes');
    }
    const line = decodeUtf8(bytes.subarray(pos, i), at());
    pos = i + 1;
    return line;
  };
  const memoPut = (index: number): void => {
    if (!memo.has(index) && memo.size >= limits.maxMemo) {
      throw new TorchFileError('limit', `readTorchFile: ${at()}: the memo would hold more than ${limits.maxMemo} entries (maxMemo)`);
    }
    memo.set(index, top());
  };
  const memoGet = (index: number): void => {
    if (!memo.has(index)) fail(`memo entry ${index} was never stored`);
    stack.push(memo.get(index));
  };

  for (;;) {
    need(1);
    const opcode = bytes[pos++];
    switch (opcode) {
      case 0x80: // PROTO
        need(1);
        if (bytes[pos] > 5) fail(`unknown pickle protocol ${bytes[pos]}`);
        pos += 1;
        break;
      case 0x2e: // STOP
        return { value: finalize(pop(), limits, `readTorchFile: ${source}`), end: pos };
      case 0x28: // MARK
        metastack.push(stack);
        stack = [];
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new PDict('dict'));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push(new PList());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PTuple([]));
        break;
      case 0x8f: // EMPTY_SET
        stack.push(new PSet());
        break;
      case 0x74: { // TUPLE
        const items = popMark(); // first: popMark() replaces `stack`
        stack.push(new PTuple(items));
        break;
      }
      case 0x85: // TUPLE1
        stack.push(new PTuple([pop()]));
        break;
      case 0x86: { // TUPLE2
        const b = pop();
        stack.push(new PTuple([pop(), b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(new PTuple([pop(), b, c]));
        break;
      }
      case 0x73: { // SETITEM
        const value = pop();
        const key = pop();
        const dict = top();
        if (!(dict instanceof PDict)) fail(`SETITEM on ${describeParsed(dict)} (only dicts)`);
        (dict as PDict).set(key, value, at());
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        const dict = top();
        if (!(dict instanceof PDict)) fail(`SETITEMS on ${describeParsed(dict)} (only dicts)`);
        if (items.length % 2 !== 0) fail('SETITEMS with an odd number of items');
        for (let i = 0; i < items.length; i += 2) (dict as PDict).set(items[i], items[i + 1], at());
        break;
      }
      case 0x61: { // APPEND
        const item = pop();
        const list = top();
        if (!(list instanceof PList)) fail(`APPEND to ${describeParsed(list)} (only lists)`);
        (list as PList).items.push(item);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        const list = top();
        if (!(list instanceof PList)) fail(`APPENDS to ${describeParsed(list)} (only lists)`);
        for (const item of items) (list as PList).items.push(item);
        break;
      }
      case 0x58: { // BINUNICODE
        need(4);
        const size = view.getUint32(pos, true);
        pos += 4;
        need(size);
        stack.push(decodeUtf8(bytes.subarray(pos, pos + size), at()));
        pos += size;
        break;
      }
      case 0x55: { // SHORT_BINSTRING (torch.load decodes it with encoding="utf-8")
        need(1);
        const size = bytes[pos++];
        need(size);
        stack.push(decodeUtf8(bytes.subarray(pos, pos + size), at()));
        pos += size;
        break;
      }
      case 0x4a: // BININT
        need(4);
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x4b: // BININT1
        need(1);
        stack.push(bytes[pos++]);
        break;
      case 0x4d: // BININT2
        need(2);
        stack.push(view.getUint16(pos, true));
        pos += 2;
        break;
      case 0x8a: { // LONG1
        need(1);
        const size = bytes[pos++];
        need(size);
        stack.push(decodeLong(bytes.subarray(pos, pos + size)));
        pos += size;
        break;
      }
      case 0x47: // BINFLOAT
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x71: // BINPUT
        need(1);
        memoPut(bytes[pos++]);
        break;
      case 0x72: // LONG_BINPUT
        need(4);
        memoPut(view.getUint32(pos, true));
        pos += 4;
        break;
      case 0x68: // BINGET
        need(1);
        memoGet(bytes[pos++]);
        break;
      case 0x6a: // LONG_BINGET
        need(4);
        memoGet(view.getUint32(pos, true));
        pos += 4;
        break;
      case 0x63: { // GLOBAL
        let module = readLine();
        const name = readLine();
        module = IMPORT_MAPPING[module] ?? module;
        stack.push(resolveGlobal(module, name, at(), hooks));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const func = pop();
        if (!(func instanceof PickleGlobal)) fail(`REDUCE calls ${describeParsed(func)} (only allowed globals)`);
        if (!(args instanceof PTuple)) fail(`REDUCE arguments must be a tuple, got ${describeParsed(args)}`);
        stack.push(call(func as PickleGlobal, (args as PTuple).items, at(), hooks));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop();
        const cls = pop();
        if (!(cls instanceof PickleGlobal)) fail(`NEWOBJ of ${describeParsed(cls)} (only allowed classes)`);
        if (!(args instanceof PTuple)) fail(`NEWOBJ arguments must be a tuple, got ${describeParsed(args)}`);
        stack.push(construct(cls as PickleGlobal, (args as PTuple).items, at(), hooks));
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const instance = top();
        if (instance instanceof PDict && (state === null || state instanceof PDict)) break; // an OrderedDict's attributes (_metadata): dropped
        if (instance instanceof TorchTensor) {
          throw new TorchFileError('unsupported', `readTorchFile: ${at()}: BUILD on a tensor (a tensor with Python attributes or a legacy tensor) is not supported`);
        }
        fail(`BUILD on ${describeParsed(instance)} (only OrderedDict attributes)`);
        break;
      }
      case 0x51: { // BINPERSID
        const pid = pop();
        if (!(pid instanceof PTuple) || pid.items[0] !== 'storage') {
          throw new TorchFileError('refused', `readTorchFile: ${at()}: a persistent id must be a ("storage", ...) tuple, got ${describeParsed(pid)}`);
        }
        stack.push(hooks.persistentLoad(pid.items, at()));
        break;
      }
      default: {
        const name = OPCODE_NAMES[opcode];
        const hex = `0x${opcode.toString(16).padStart(2, '0')}`;
        if (name === undefined) fail(`unknown opcode ${hex}`);
        throw new TorchFileError(
          'refused',
          `readTorchFile: ${source} (byte ${pos - 1}): refused opcode ${name} (${hex}): torch.load(weights_only=True) does not allow it either`,
        );
      }
    }
    if (stack.length > limits.maxStack) {
      throw new TorchFileError('limit', `readTorchFile: ${at()}: the pickle stack holds more than ${limits.maxStack} items (maxStack)`);
    }
    if (metastack.length > limits.maxDepth * 4) {
      throw new TorchFileError('limit', `readTorchFile: ${at()}: MARKs nest more than ${limits.maxDepth * 4} deep (maxDepth)`);
    }
  }
}

/** Python's `decode_long`: little-endian two's complement. */
function decodeLong(data: Uint8Array): number | bigint {
  if (data.length === 0) return 0;
  let value = 0n;
  for (let i = data.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(data[i]);
  if (data[data.length - 1] & 0x80) value -= 1n << BigInt(8 * data.length);
  return narrowInt(value);
}

function narrowInt(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** What a refused global usually is in a checkpoint, and what to do about it. */
const REFUSED_HINTS: Readonly<Record<string, string>> = {
  'builtins.getattr':
    '; older PyTorch pickled SWALR\'s and OneCycleLR\'s "anneal_func" this way, which torch.load(weights_only=True) refuses too: ' +
    'if you trust the file, load it in Python with weights_only=False, delete the scheduler state\'s "anneal_func" ' +
    '(SWALR: set "_anneal_strategy" to "cos" or "linear"; OneCycleLR: "_anneal_func_type"), and save it again',
};

function resolveGlobal(module: string, name: string, where: string, hooks: TorchHooks): PickleGlobal {
  const full = `${module}.${name}`;
  if (BLOCKED_MODULES.includes(module.split('.')[0])) {
    throw new TorchFileError('refused', `readTorchFile: ${where}: refused GLOBAL ${full}: the module "${module}" is never allowed; nothing was executed`);
  }
  if (SUPPORTED_GLOBALS.has(full) || (module === 'torch' && (hooks.isStorageClass(name) || DTYPE_NAMES.has(name)))) return new PickleGlobal(module, name);
  const unsupported = allowedButUnsupported(module, name);
  if (unsupported !== undefined) {
    throw new TorchFileError('unsupported', `readTorchFile: ${where}: GLOBAL ${full} is allowed by torch.load(weights_only=True), but ${unsupported} cannot be read here`);
  }
  throw new TorchFileError(
    'refused',
    `readTorchFile: ${where}: refused GLOBAL ${full}: not one of the globals torch.load(weights_only=True) allows ` +
      `(collections.OrderedDict, collections.Counter, torch tensors, storages and dtypes, ...); nothing was executed${REFUSED_HINTS[full] ?? ''}`,
  );
}

function expectArgs(func: PickleGlobal, args: readonly unknown[], counts: readonly number[], where: string): void {
  if (!counts.includes(args.length)) {
    throw new TorchFileError('format', `readTorchFile: ${where}: ${func.fullName} takes ${counts.join(' or ')} arguments, got ${args.length}`);
  }
}

function emptyDictOrNone(value: unknown): boolean {
  return value === null || (value instanceof PDict && value.keys.length === 0);
}

/** REDUCE: the allowed callables, each implemented here. */
function call(func: PickleGlobal, args: readonly unknown[], where: string, hooks: TorchHooks): unknown {
  const fail = (message: string): never => {
    throw new TorchFileError('format', `readTorchFile: ${where}: ${func.fullName}${message}`);
  };
  switch (func.fullName) {
    case 'collections.OrderedDict':
    case 'collections.Counter': {
      expectArgs(func, args, [0, 1], where);
      const dict = new PDict(func.name as DictKind);
      const source = args[0];
      if (source instanceof PDict) source.keys.forEach((key, i) => dict.set(key, source.values[i], where));
      else if (source instanceof PList) {
        for (const pair of source.items) {
          if (!(pair instanceof PTuple) || pair.items.length !== 2) fail('([(key, value), ...]) expects pairs');
          dict.set((pair as PTuple).items[0], (pair as PTuple).items[1], where);
        }
      } else if (source !== undefined) fail(`() expects a dict or a list of pairs, got ${describeParsed(source)}`);
      return dict;
    }
    case 'builtins.set': {
      expectArgs(func, args, [0, 1], where);
      const set = new PSet();
      const source = args[0];
      if (source instanceof PList || source instanceof PTuple) set.items.push(...(source instanceof PList ? source.items : source.items));
      else if (source !== undefined) fail(`() expects a list, got ${describeParsed(source)}`);
      return set;
    }
    case 'builtins.bytearray':
      expectArgs(func, args, [0, 1, 2], where);
      if (args.length === 0) return new Uint8Array(0);
      if (args[0] instanceof Uint8Array) return new Uint8Array(args[0] as Uint8Array);
      return latin1Bytes(args[0], args[1], where, func.fullName);
    case '_codecs.encode':
      expectArgs(func, args, [2], where);
      return latin1Bytes(args[0], args[1], where, func.fullName);
    case 'torch._utils._rebuild_tensor_v2':
      expectArgs(func, args, [6, 7], where);
      if (typeof args[4] !== 'boolean') fail(`: requires_grad must be a bool, got ${describeParsed(args[4])}`);
      if (!emptyDictOrNone(args[5])) throw new TorchFileError('unsupported', `readTorchFile: ${where}: tensors with backward hooks are not supported`);
      if (args.length === 7 && !emptyDictOrNone(args[6])) throw new TorchFileError('unsupported', `readTorchFile: ${where}: tensor metadata is not supported`);
      return hooks.rebuildTensor(args[0], args[1], args[2], args[3], args[4] as boolean, where);
    case 'torch._utils._rebuild_tensor':
      expectArgs(func, args, [4], where);
      return hooks.rebuildTensor(args[0], args[1], args[2], args[3], false, where);
    case 'torch._utils._rebuild_parameter':
    case 'torch._utils._rebuild_parameter_with_state': {
      expectArgs(func, args, func.name === '_rebuild_parameter' ? [3] : [4], where);
      const [data, requiresGrad, backwardHooks, state] = args;
      if (!(data instanceof TorchTensor)) fail(`: data must be a tensor, got ${describeParsed(data)}`);
      if (typeof requiresGrad !== 'boolean') fail(`: requires_grad must be a bool, got ${describeParsed(requiresGrad)}`);
      if (!emptyDictOrNone(backwardHooks) || (args.length === 4 && !emptyDictOrNone(state))) {
        throw new TorchFileError('unsupported', `readTorchFile: ${where}: parameters with hooks or Python state are not supported`);
      }
      const tensor = data as TorchTensor;
      return new TorchTensor(tensor.dtype, tensor.shape, tensor.data, requiresGrad as boolean);
    }
    case 'torch._tensor._rebuild_from_type_v2': {
      expectArgs(func, args, [4], where);
      const [inner, type, innerArgs, state] = args;
      if (!(type instanceof PickleGlobal) || (type.fullName !== 'torch.Tensor' && type.fullName !== 'torch.nn.parameter.Parameter')) {
        throw new TorchFileError('unsupported', `readTorchFile: ${where}: tensor subclasses are not supported (got ${describeParsed(type)})`);
      }
      if (!emptyDictOrNone(state)) throw new TorchFileError('unsupported', `readTorchFile: ${where}: tensors with Python attributes are not supported`);
      if (!(inner instanceof PickleGlobal) || !(innerArgs instanceof PTuple)) fail(': expects a rebuild function and its arguments');
      return call(inner as PickleGlobal, (innerArgs as PTuple).items, where, hooks);
    }
    case 'torch.Size': {
      expectArgs(func, args, [0, 1], where);
      const dims = args.length === 0 ? new PTuple([]) : args[0];
      if (!(dims instanceof PTuple || dims instanceof PList)) fail(`() expects a tuple, got ${describeParsed(dims)}`);
      return new PTuple((dims as PTuple).items.slice());
    }
    case 'torch.device': {
      expectArgs(func, args, [1, 2], where);
      if (typeof args[0] !== 'string' || (args.length === 2 && typeof args[1] !== 'number')) fail('() expects a device type and an optional index');
      return args.length === 2 ? `${args[0] as string}:${args[1] as number}` : args[0];
    }
    default:
      throw new TorchFileError('unsupported', `readTorchFile: ${where}: ${func.fullName} cannot be called (REDUCE) here`);
  }
}

/** NEWOBJ: `cls.__new__(cls, *args)` for the allowed classes. */
function construct(cls: PickleGlobal, args: readonly unknown[], where: string, hooks: TorchHooks): unknown {
  switch (cls.fullName) {
    case 'collections.OrderedDict':
    case 'collections.Counter':
      return new PDict(cls.name as DictKind);
    case 'builtins.set':
      return new PSet();
    case 'torch.nn.parameter.Parameter': {
      const [data, requiresGrad] = args;
      if (!(data instanceof TorchTensor) || (requiresGrad !== undefined && typeof requiresGrad !== 'boolean')) {
        throw new TorchFileError('format', `readTorchFile: ${where}: Parameter(data, requires_grad) expects a tensor and a bool`);
      }
      return new TorchTensor(data.dtype, data.shape, data.data, requiresGrad !== false);
    }
    default:
      void hooks;
      throw new TorchFileError('unsupported', `readTorchFile: ${where}: ${cls.fullName} cannot be constructed (NEWOBJ) here`);
  }
}

function latin1Bytes(text: unknown, encoding: unknown, where: string, name: string): Uint8Array {
  if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) {
    throw new TorchFileError('format', `readTorchFile: ${where}: ${name} expects (str, "latin1")`);
  }
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 255) throw new TorchFileError('format', `readTorchFile: ${where}: ${name}: character ${code} is not latin-1`);
    out[i] = code;
  }
  return out;
}

const FORBIDDEN_OBJECT_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * Turns the parse-time containers into plain values, keeping shared references shared (a DAG,
 * like Python's objects), refusing cycles, nesting beyond `maxDepth` and more than `maxValues`
 * values counted with shared parts expanded.
 */
function finalize(root: unknown, limits: PickleLimits, where: string): TorchValue {
  const done = new Map<object, { value: TorchValue; count: number }>();
  const active = new Set<object>();

  const visit = (node: unknown, depth: number): { value: TorchValue; count: number } => {
    if (node === null || typeof node !== 'object') return { value: node as TorchValue, count: 1 };
    if (node instanceof TorchTensor || node instanceof Uint8Array) return { value: node, count: 1 };
    if (node instanceof PickleGlobal) {
      if (node.module === 'torch' && DTYPE_NAMES.has(node.name)) return { value: node.fullName, count: 1 };
      throw new TorchFileError('format', `${where}: the global ${node.fullName} is not data (it was never called)`);
    }
    const known = done.get(node);
    if (known !== undefined) return known;
    if (active.has(node)) throw new TorchFileError('unsupported', `${where}: the data contains itself (a cycle); only acyclic data is read`);
    if (depth >= limits.maxDepth) throw new TorchFileError('limit', `${where}: containers nest more than ${limits.maxDepth} deep (maxDepth)`);
    active.add(node);
    let count = 1;
    const child = (item: unknown): TorchValue => {
      const result = visit(item, depth + 1);
      count += result.count;
      if (count > limits.maxValues) {
        throw new TorchFileError('limit', `${where}: the data holds more than ${limits.maxValues} values, shared references counted each time (maxValues)`);
      }
      return result.value;
    };
    let value: TorchValue;
    if (node instanceof PList) value = node.items.map(child);
    else if (node instanceof PTuple) value = Object.freeze(node.items.map(child));
    else if (node instanceof PSet) value = new Set(node.items.map(child));
    else if (node instanceof PDict) {
      const keys = node.keys.map(child);
      const values = node.values.map(child);
      const plain = node.kind !== 'Counter' && keys.every((key) => typeof key === 'string' && !FORBIDDEN_OBJECT_KEYS.includes(key));
      if (plain) {
        const record: Record<string, TorchValue> = {};
        keys.forEach((key, i) => (record[key as string] = values[i]));
        value = record;
      } else {
        const map = node.kind === 'Counter' ? new Counter() : new PythonDict();
        keys.forEach((key, i) => map.set(key as TorchKey, values[i]));
        value = map;
      }
    } else {
      throw new TorchFileError('format', `${where}: a storage is not data (only inside a tensor)`);
    }
    active.delete(node);
    const result = { value, count };
    done.set(node, result);
    return result;
  };
  return visit(root, 0).value;
}
