import { expect } from 'chai';
import { readTorchFile, TorchFileError, type ReadTorchFileOptions, type TorchFileErrorCode } from '../../lib/torch';
import { bytes, str, torchZip, u32 } from './hostile-files';

const PROTO = [0x80, 2];
const STOP = 0x2e;

/** `read` throws a TorchFileError of `code` whose message contains `message`, within a second. */
function expectRefusal(read: () => unknown, code: TorchFileErrorCode, message: string): void {
  const start = performance.now();
  let error: unknown;
  try {
    read();
  } catch (caught) {
    error = caught;
  }
  const elapsed = performance.now() - start;
  expect(error, `expected a TorchFileError (${message})`).to.be.instanceOf(TorchFileError);
  expect((error as TorchFileError).message).to.contain(message);
  expect((error as TorchFileError).code, (error as Error).message).to.equal(code);
  expect(elapsed, 'milliseconds').to.be.below(1000);
}

const readPickle = (pickle: Uint8Array, options?: ReadTorchFileOptions): unknown => readTorchFile(torchZip(pickle), options);

describe('the restricted unpickler', () => {
  it('reads the opcodes of a state dict: ints of every width, floats, strings, containers, memo', () => {
    const value = readPickle(bytes(PROTO, 0x7d, 0x71, 0, 0x28, str('a'), 0x4b, 7, str('b'), 0x4d, u32(300).slice(0, 2), str('c'), 0x4a, u32(-5 >>> 0),
      str('d'), 0x8a, 9, [0, 0, 0, 0, 0, 0, 0, 0, 1], str('e'), 0x47, [0x7f, 0xf0, 0, 0, 0, 0, 0, 0], str('f'), 0x5d, 0x71, 1, 0x4e, 0x61, 0x88, 0x61,
      str('g'), 0x68, 1, str('h'), 0x29, 0x89, 0x85, 0x86, 0x75, STOP));
    expect(value).to.deep.equal({ a: 7, b: 300, c: -5, d: 2n ** 64n, e: Infinity, f: [null, true], g: [null, true], h: [[], [false]] });
    const shared = value as { f: unknown; g: unknown };
    expect(shared.f).to.equal(shared.g); // one Python object, one JavaScript object
  });

  it('refuses GLOBAL os system, naming it, and never calls anything', () => {
    const osSystem = bytes(PROTO, 0x63, 'os\nsystem\n', str('echo pwned'), 0x85, 0x52, STOP);
    expectRefusal(() => readPickle(osSystem), 'refused', 'refused GLOBAL os.system: the module "os" is never allowed; nothing was executed');
    expectRefusal(() => readPickle(bytes(PROTO, 0x63, 'posix\nsystem\n', STOP)), 'refused', 'GLOBAL posix.system');
    expectRefusal(() => readPickle(bytes(PROTO, 0x63, '__builtin__\neval\n', STOP)), 'refused', 'refused GLOBAL builtins.eval: not one of the globals torch.load(weights_only=True) allows');
    expectRefusal(() => readPickle(bytes(PROTO, 0x63, 'subprocess\nPopen\n', STOP)), 'refused', 'GLOBAL subprocess.Popen');
    expectRefusal(() => readPickle(bytes(PROTO, 0x63, 'torch.optim.lr_scheduler\nStepLR\n', 0x29, 0x81, STOP)), 'refused', 'GLOBAL torch.optim.lr_scheduler.StepLR');
  });

  it('refuses opcodes outside torch.load(weights_only=True)\'s list, naming them', () => {
    expectRefusal(() => readPickle(bytes([0x80, 4], str('os'), str('system'), 0x93, STOP)), 'refused', 'refused opcode STACK_GLOBAL (0x93)');
    expectRefusal(() => readPickle(bytes(PROTO, 0x69, 'os\nsystem\n', STOP)), 'refused', 'refused opcode INST');
    expectRefusal(() => readPickle(bytes(PROTO, 0x8c, 1, 'a', STOP)), 'refused', 'refused opcode SHORT_BINUNICODE');
    expectRefusal(() => readPickle(bytes(PROTO, 0xff, STOP)), 'format', 'unknown opcode 0xff');
  });

  it('names what torch allows but this reader does not read', () => {
    expectRefusal(() => readPickle(bytes(PROTO, 0x63, 'torch._utils\n_rebuild_sparse_tensor\n', STOP)), 'unsupported', 'sparse');
    expectRefusal(() => readPickle(bytes(PROTO, 0x63, 'builtins\ncomplex\n', STOP)), 'unsupported', 'complex numbers');
  });

  it('checks every declared length against the bytes before reading it', () => {
    expectRefusal(() => readPickle(bytes(PROTO, 0x58, u32(0xffffffff), 'abc')), 'truncated', 'data.pkl ends early');
    expectRefusal(() => readPickle(bytes(PROTO, 0x8a, 200, [1, 2, 3])), 'truncated', 'ends early');
    expectRefusal(() => readPickle(bytes(PROTO, 0x4e)), 'truncated', 'ends early');
    expectRefusal(() => readPickle(bytes(PROTO, 0x63, 'a'.repeat(5000))), 'format', 'longer than 255 bytes');
  });

  it('bounds nesting: a million nested lists or MARKs fail fast', () => {
    const nested = (depth: number): Uint8Array => {
      const lists = new Uint8Array(2 + depth * 2);
      lists.set(PROTO);
      lists.fill(0x5d, 2, 2 + depth); // EMPTY_LIST
      lists.fill(0x61, 2 + depth, 1 + 2 * depth); // APPEND
      lists[lists.length - 1] = STOP;
      return lists;
    };
    const depth = 1_000_000;
    expectRefusal(() => readPickle(nested(depth)), 'limit', 'the pickle stack holds more than 100000 items (maxStack)');
    expectRefusal(() => readPickle(nested(50_000)), 'limit', 'containers nest more than 100 deep (maxDepth)');
    const marks = new Uint8Array(depth + 3).fill(0x28);
    marks.set(PROTO);
    expectRefusal(() => readPickle(marks), 'limit', 'MARKs nest more than');
    expectRefusal(() => readPickle(bytes(PROTO, 0x5d, 0x5d, 0x5d, 0x61, 0x61, STOP), { maxDepth: 2 }), 'limit', 'maxDepth');
  });

  it('bounds the memo and refuses memo entries never stored', () => {
    const count = 200_000;
    const puts = new Uint8Array(3 + count * 5 + 1);
    puts.set([0x80, 2, 0x4e]);
    for (let i = 0; i < count; i++) puts.set([0x72, ...u32(i)], 3 + i * 5);
    puts[puts.length - 1] = STOP;
    expectRefusal(() => readPickle(puts, { maxMemo: 100_000 }), 'limit', 'more than 100000 entries (maxMemo)');
    expectRefusal(() => readPickle(bytes(PROTO, 0x6a, u32(0xfffffff0), STOP)), 'format', 'memo entry 4294967280 was never stored');
  });

  it('refuses a billion laughs: shared references expanding beyond maxValues', () => {
    // L0 = []; L(k+1) = [Lk, Lk]: 64 levels share 65 lists but expand to 2^65 values.
    const parts: Array<number | number[]> = [...PROTO, 0x5d, 0x71, 0];
    for (let k = 0; k < 64; k++) parts.push(0x5d, 0x68, k, 0x61, 0x68, k, 0x61, 0x71, k + 1);
    parts.push(STOP);
    expectRefusal(() => readPickle(bytes(...parts)), 'limit', 'more than 4000000 values');
  });

  it('refuses cycles (a list containing itself) and containers used as the wrong kind', () => {
    expectRefusal(() => readPickle(bytes(PROTO, 0x5d, 0x71, 0, 0x68, 0, 0x61, STOP)), 'unsupported', 'contains itself');
    expectRefusal(() => readPickle(bytes(PROTO, 0x29, 0x4e, 0x61, STOP)), 'format', 'APPEND to a tuple');
    expectRefusal(() => readPickle(bytes(PROTO, 0x7d, 0x5d, 0x4e, 0x73, STOP)), 'format', 'unhashable dict key (a list)');
    expectRefusal(() => readPickle(bytes(PROTO, 0x63, 'collections\nOrderedDict\n', STOP)), 'format', 'is not data');
  });

  it('keeps forbidden names out of plain objects: such a dict becomes a Map', () => {
    const value = readPickle(bytes(PROTO, 0x7d, str('__proto__'), 0x4b, 1, 0x73, STOP));
    expect(value).to.be.instanceOf(Map);
    expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
  });

  it('checks a tensor\'s every index against its storage before touching it', () => {
    const pid = (numel: number): Array<number | string | Uint8Array | number[]> => [0x28, str('storage'), 0x63, 'torch\nFloatStorage\n', str('0'), str('cpu'), 0x4a, u32(numel), 0x74, 0x51];
    const tensor = (numel: number, offset: number, size: number[], stride: number[]): Uint8Array =>
      bytes(PROTO, 0x63, 'torch._utils\n_rebuild_tensor_v2\n', 0x28, ...pid(numel), 0x4a, u32(offset), 0x28, ...size.flatMap((n) => [0x4a, ...u32(n)]), 0x74, 0x28, ...stride.flatMap((n) => [0x4a, ...u32(n)]), 0x74, 0x89, 0x63, 'collections\nOrderedDict\n', 0x29, 0x52, 0x74, 0x52, STOP);
    const storage = { 'data/0': new Uint8Array(16) };
    expect(() => readTorchFile(torchZip(tensor(4, 0, [2, 2], [2, 1]), storage))).not.to.throw();
    expectRefusal(() => readTorchFile(torchZip(tensor(4, 1, [2, 2], [2, 1]), storage)), 'format', 'reaches element 4 of a storage of 4');
    expectRefusal(() => readTorchFile(torchZip(tensor(0x10000000, 0, [1], [1]), storage)), 'format', 'holds 16 bytes, but its storage declares 268435456 float32 elements');
    // 2^30 x 2^30 elements over one storage element (stride 0): refused before any allocation.
    expectRefusal(() => readTorchFile(torchZip(tensor(4, 0, [0x40000000, 0x40000000], [0, 0]), storage)), 'limit', 'maxCopyBytes');
  });
});
