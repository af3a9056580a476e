import { expect } from 'chai';
import { asOptimizer, InvalidStateError, MultiStepLR, StepLR, VirtualOptimizer } from '../../lib';
import { findNonJsonData, readStateData, STATE_VALUE } from '../../lib/state/json-data';
import { Counter, PythonDict, TorchTensor, tuple } from '../../lib/torch/values';
import { thrown } from '../helpers/errors';

describe('state dicts as JSON data', () => {
  it("turns torch.load's values into JSON data through the conversion each carries: Counter and int-keyed dicts, one-element tensors, safe bigints", () => {
    const tensorLike = { [STATE_VALUE]: () => 0.25 };
    const given = {
      milestones: new Counter([[3, 2], [2.5, 1], [Infinity, 1], [NaN, 1], [10n, 1]]),
      state: new PythonDict([[0, { step: 4n }]]),
      last_epoch: 4n,
      base_lrs: [tensorLike, new TorchTensor('float32', [], Float32Array.of(0.5))],
      betas: tuple(0.9, 0.999),
    };
    const read = readStateData(given);
    expect(read.problem).to.equal(undefined);
    // the keys as PyTorch's JSON state dicts hold them (Python's str of the int or float)
    expect(read.data).to.deep.equal({
      milestones: { 3: 2, '2.5': 1, inf: 1, nan: 1, 10: 1 },
      state: { 0: { step: 4 } },
      last_epoch: 4,
      base_lrs: [0.25, 0.5],
      betas: [0.9, 0.999],
    });
    // a tuple (frozen) becomes a list of its own
    expect(Object.isFrozen((read.data as { betas: number[] }).betas)).to.equal(false);
  });

  it('returns JSON data unchanged (the same object), and copies only the containers that changed', () => {
    const json = { a: [1, { b: 'c' }], d: null, e: ['inf', '-0.0'] };
    expect(readStateData(json).data).to.equal(json);
    const shared = [1, 2];
    const given = { shared, changed: [3n] };
    const data = readStateData(given).data as { shared: number[]; changed: number[] };
    expect(data).to.not.equal(given);
    expect(data.shared).to.equal(shared);
    expect(data.changed).to.deep.equal([3]);
    expect(given.changed).to.deep.equal([3n]);
  });

  it('rejects what is not JSON data, naming where, without running a getter', () => {
    let ran = false;
    const withGetter = { nested: Object.defineProperty({}, 'x', { get: () => (ran = true), enumerable: true }) };
    expect(readStateData(withGetter).problem).to.deep.equal({ key: 'nested.x', expected: 'a plain data property (no getter or setter)', given: undefined });
    expect(ran).to.equal(false);
    const cyclic: Record<string, unknown> = { list: [] };
    (cyclic.list as unknown[]).push(cyclic);
    expect(readStateData(cyclic).problem).to.include({ key: 'list[0]', expected: 'JSON data without cycles' });
    expect(readStateData({ last_epoch: 2n ** 60n }).problem).to.include({ key: 'last_epoch', expected: 'JSON data (null, a boolean, a number, a string, a list or an object)' });
    // a Map that does not come from readTorchFile carries no conversion; a dict whose keys have no JSON text stays a dict
    expect(readStateData({ milestones: new Map([[2, 1]]) }).problem).to.include({ key: 'milestones', expected: 'a plain object (JSON data)' });
    expect(readStateData({ milestones: new PythonDict([[tuple(1, 2), 1]]) }).problem).to.include({ key: 'milestones', expected: 'a plain object (JSON data)' });
    expect(readStateData({ milestones: new PythonDict([[2, 1], [2n, 1]]) }).problem).to.include({ key: 'milestones', expected: 'a plain object (JSON data)' });
    expect(readStateData({ a: { constructor: 1 } }).problem).to.include({ key: 'a.constructor', expected: 'a forbidden name' });
    expect(readStateData({ a: [1, , 3] }).problem).to.include({ key: 'a[1]', expected: 'a value (the list has a hole here)' });
    expect(readStateData({ [Symbol('s')]: 1 }).problem).to.include({ key: '(the state dict)', expected: 'JSON data (no symbol keys)' });
  });

  it('checks without converting in findNonJsonData (data that is saved must already be JSON data)', () => {
    expect(findNonJsonData({ a: [1, 'x', null, { b: true }] })).to.equal(undefined);
    expect(findNonJsonData({ a: 1n })).to.include({ key: 'a', expected: 'JSON data (null, a boolean, a number, a string, a list or an object)' });
    expect(findNonJsonData({ a: new Counter([[1, 1]]) })).to.include({ key: 'a', expected: 'a plain object (JSON data)' });
    let nested: unknown = 1;
    for (let i = 0; i < 70; i++) nested = [nested];
    expect(findNonJsonData(nested)).to.include({ expected: 'data nested at most 64 levels deep' });
  });

  it('lets loadStateDict take a Counter of milestones, and still reject what does not fit', () => {
    const optimizer = asOptimizer(new VirtualOptimizer([{ lr: 1 }]));
    const scheduler = new MultiStepLR(optimizer, { milestones: [1] });
    scheduler.loadStateDict({ milestones: new Counter([[2, 1], [4, 1]]), gamma: 0.5, base_lrs: [1], last_epoch: 1n, _step_count: 2, _last_lr: [1] });
    scheduler.step();
    scheduler.step();
    scheduler.step();
    // lr 1 halved at epochs 2 and 4: 0.25 at epoch 4
    expect(scheduler.getLastLr()).to.deep.equal([0.25]);
    const error = thrown(() => new StepLR(asOptimizer(new VirtualOptimizer([{ lr: 1 }])), { stepSize: 2 }).loadStateDict({ step_size: 2, gamma: 0.1, base_lrs: [1], last_epoch: 2n ** 60n }));
    expect(error).to.be.instanceOf(InvalidStateError);
    expect(error.message).to.contain('key "last_epoch" must be JSON data');
  });
});
