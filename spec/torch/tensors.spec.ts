import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Counter, isTuple, readTorchFile, TorchTensor, type TorchDict } from '../../lib/torch';
import { expectBits } from '../helpers/expect-bits';
import { bytes, str, torchZip } from './hostile-files';
import { FIXTURES } from './torch-fixtures';

interface ExpectedTensor {
  dtype: string;
  shape: number[];
  values: Array<string | number>;
  requires_grad: boolean;
}

const expected = JSON.parse(readFileSync(join(FIXTURES, 'values.json'), 'utf8')) as { tensors: Record<string, ExpectedTensor>; shared: string[] };
/** Python's repr of a float (or an int) as the number. */
const pythonFloat = (text: string | number): number => (text === 'inf' ? Infinity : text === '-inf' ? -Infinity : text === 'nan' ? NaN : Number(text));
const value = readTorchFile<TorchDict>(readFileSync(join(FIXTURES, 'values.pt')));

describe('tensors and values read from PyTorch 2.13', () => {
  for (const [key, tensor] of Object.entries(expected.tensors)) {
    it(`${key}: ${tensor.dtype} [${tensor.shape.join(', ')}] as PyTorch wrote it, bit for bit`, () => {
      const read = value[key] as TorchTensor;
      expect(read).to.be.instanceOf(TorchTensor);
      expect(read.dtype).to.equal(tensor.dtype);
      expect(read.shape).to.deep.equal(tensor.shape);
      expect(read.requiresGrad).to.equal(tensor.requires_grad);
      expectBits(Array.from(read.data as ArrayLike<number | bigint>, Number), tensor.values.map(pythonFloat), key);
    });
  }

  it('gives int64 tensors as BigInt64Array, exactly beyond 2^53', () => {
    expect(Array.from((value.int64 as TorchTensor).data as BigInt64Array)).to.deep.equal([-(2n ** 62n), 2n ** 40n, -1n]);
  });

  it('keeps tensors of one storage on one memory, as PyTorch does', () => {
    const [whole, row] = value.shared as TorchTensor[];
    expectBits(Array.from(row.data as Float32Array), expected.shared.map(Number), 'base[2]');
    expect(row.data.buffer).to.equal(whole.data.buffer);
  });

  it("reads Python's containers: tuples, sets, bytes, Counter, keys of every hashable kind, big ints, -0.0, nan", () => {
    const containers = value.containers as TorchDict;
    expect(isTuple(containers.tuple)).to.equal(true);
    expect(containers.tuple).to.deep.equal([1, 2.5, 'three']);
    expect(containers.set).to.deep.equal(new Set([1, 2]));
    expect(Array.from(containers.bytes as Uint8Array)).to.deep.equal([0, 255, 97, 98]);
    expect([...(containers.counter as Counter)]).to.deep.equal([[3, 2]]);
    const keys = containers.keys as Map<unknown, unknown>;
    expect([...keys.values()]).to.deep.equal(['int', 'float', 'tuple', 'none', 'bool']);
    expect([...keys.keys()].map((key) => (isTuple(key) ? 'tuple' : key))).to.deep.equal([0, 2.5, 'tuple', null, true]);
    expect(value.big).to.equal(2n ** 70n);
    expect(value.negative_big).to.equal(-(2n ** 65n));
    expect(Object.is(value.neg_zero, -0)).to.equal(true);
    expect(Number.isNaN(value.nan)).to.equal(true);
  });

  it('swaps the bytes of a big-endian file (byteorder "big")', () => {
    const pickle = bytes(0x80, 2, 0x63, 'torch._utils\n_rebuild_tensor_v2\n', 0x28, 0x28, str('storage'), 0x63, 'torch\nDoubleStorage\n', str('0'), str('cpu'), 0x4b, 2, 0x74, 0x51,
      0x4b, 0, 0x4b, 2, 0x85, 0x4b, 1, 0x85, 0x89, 0x63, 'collections\nOrderedDict\n', 0x29, 0x52, 0x74, 0x52, 0x2e);
    const data = new Uint8Array(16);
    new DataView(data.buffer).setFloat64(0, 0.1, false);
    new DataView(data.buffer).setFloat64(8, -2.5, false);
    const tensor = readTorchFile<TorchTensor>(torchZip(pickle, { byteorder: new TextEncoder().encode('big'), 'data/0': data }));
    expectBits(Array.from(tensor.data as Float64Array), [0.1, -2.5], 'big-endian float64');
  });
});
