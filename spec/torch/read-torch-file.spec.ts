import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTorchFile, TorchTensor, Counter, TorchFileError, isTuple, type TorchDict } from '../../lib/torch';
import { expectBits } from '../helpers/expect-bits';
import { at, fixtures, FIXTURES } from './torch-fixtures';

describe('readTorchFile', () => {
  for (const fixture of fixtures()) {
    it(`${fixture.name} (${fixture.format}): every optimizer tensor as PyTorch recorded it, bit for bit`, () => {
      const ckpt = readTorchFile(fixture.bytes);
      if (fixture.before > 0) expect(fixture.expected.tensors.length, "a trained optimizer has state tensors").to.be.greaterThan(0);
      for (const expected of fixture.expected.tensors) {
        const tensor = at(ckpt, expected.path);
        expect(tensor, expected.path.join('.')).to.be.instanceOf(TorchTensor);
        const { dtype, shape, data } = tensor as TorchTensor;
        expect(dtype).to.equal(expected.dtype);
        expect(shape).to.deep.equal(expected.shape);
        expectBits(Array.from(data as Float32Array), expected.values, expected.path.join('.'));
      }
    });
  }

  it('keeps Python types: int-keyed dicts as Maps, tuples frozen, Counter milestones, inf floats', () => {
    const multiStep = readTorchFile<{ scheduler: TorchDict; optimizer: TorchDict }>(readFileSync(join(FIXTURES, 'multi-step-lr.pt')));
    expect(multiStep.scheduler.milestones).to.be.instanceOf(Counter);
    expect([...(multiStep.scheduler.milestones as Counter)]).to.deep.equal([[2, 1], [5, 2], [9, 1]]);
    expect(multiStep.optimizer.state).to.be.instanceOf(Map);
    expect([...(multiStep.optimizer.state as Map<number, unknown>).keys()]).to.deep.equal([0, 1, 2, 3]);
    const adam = readTorchFile<{ optimizer: { param_groups: TorchDict[] } }>(readFileSync(join(FIXTURES, 'linear-lr.pt')));
    expect(isTuple(adam.optimizer.param_groups[0].betas)).to.equal(true);
    expect(adam.optimizer.param_groups[0].betas).to.deep.equal([0.9, 0.999]);
    const plateau = readTorchFile<{ scheduler: TorchDict }>(readFileSync(join(FIXTURES, 'reduce-lr-on-plateau-fresh.pt')));
    expect(plateau.scheduler.best).to.equal(-Infinity);
    expect(plateau.scheduler.mode_worse).to.equal(-Infinity);
  });

  it('reads tensor learning rates as 0-d tensors, and the lambdas of a functools.partial as {}', () => {
    const tensorLr = readTorchFile<{ scheduler: TorchDict }>(readFileSync(join(FIXTURES, 'tensor-lr.pt')));
    const [baseLr] = tensorLr.scheduler.base_lrs as TorchTensor[];
    expect(baseLr.shape).to.deep.equal([]);
    expect(baseLr.item()).to.equal(Math.fround(0.1));
    const hf = readTorchFile<TorchDict>(readFileSync(join(FIXTURES, 'hf-trainer/checkpoint-8/scheduler.pt')));
    expect(hf.lr_lambdas).to.deep.equal([{}, {}]);
  });

  it('never changes the bytes it is given, and accepts an ArrayBuffer', () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'legacy-step-lr.pt')));
    const copy = bytes.slice();
    readTorchFile(bytes);
    readTorchFile(bytes.buffer);
    expect(Buffer.compare(bytes, copy)).to.equal(0);
  });

  it('rejects what is not bytes, and bad options, with a TorchFileError', () => {
    expect(() => readTorchFile('ckpt.pt' as unknown as Uint8Array)).to.throw(TorchFileError, 'expected a Uint8Array or an ArrayBuffer');
    expect(() => readTorchFile(new Uint8Array(0), { maxDepth: 0 })).to.throw(TorchFileError, 'option "maxDepth" must be a positive integer');
  });
});
