import { expect } from 'chai';
import { asOptimizer, InvalidStateError, MultiStepLR, StepLR, VirtualOptimizer } from '../../lib';
import { fromPythonValues, STATE_VALUE } from '../../lib/state/python-values';
import { thrown } from '../helpers/errors';

describe('state dicts as torch.load gives them', () => {
  it('turns Maps into objects keyed as PyTorch writes JSON, bigints and one-element values into numbers', () => {
    const tensorLike = { [STATE_VALUE]: () => 0.25 };
    expect(fromPythonValues({ milestones: new Map<unknown, number>([[3, 2], [2.5, 1], [Infinity, 1], [10n, 1]]), last_epoch: 4n, base_lrs: [tensorLike] })).to.deep.equal({
      milestones: { 3: 2, '2.5': 1, inf: 1, 10: 1 },
      last_epoch: 4,
      base_lrs: [0.25],
    });
  });

  it('returns JSON data unchanged (the same object) and leaves what it cannot convert to validation', () => {
    const json = { a: [1, { b: 'c' }], d: null };
    expect(fromPythonValues(json)).to.equal(json);
    const withGetter = Object.defineProperty({}, 'x', { get: () => new Map(), enumerable: true });
    expect(fromPythonValues(withGetter)).to.equal(withGetter);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(fromPythonValues(cyclic)).to.equal(cyclic);
    expect(fromPythonValues(2n ** 60n)).to.equal(2n ** 60n);
    expect(fromPythonValues(new Map([[{}, 1]]))).to.be.instanceOf(Map);
  });

  it('lets loadStateDict take a Counter of milestones, and still reject what does not fit', () => {
    const optimizer = asOptimizer(new VirtualOptimizer([{ lr: 1 }]));
    const scheduler = new MultiStepLR(optimizer, { milestones: [1] });
    scheduler.loadStateDict({ milestones: new Map([[2, 1], [4, 1]]), gamma: 0.5, base_lrs: [1], last_epoch: 1n, _step_count: 2, _last_lr: [1] });
    scheduler.step();
    scheduler.step();
    scheduler.step();
    expect(scheduler.getLastLr()).to.deep.equal([0.25]);
    const error = thrown(() => new StepLR(asOptimizer(new VirtualOptimizer([{ lr: 1 }])), { stepSize: 2 }).loadStateDict({ step_size: 2, gamma: 0.1, base_lrs: [1], last_epoch: 2n ** 60n }));
    expect(error).to.be.instanceOf(InvalidStateError);
    expect(error.message).to.contain('key "last_epoch" must be JSON data');
  });
});
