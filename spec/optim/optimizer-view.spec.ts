import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { asOptimizer, InvalidArgumentError, InvalidStateError, StepLR, VirtualOptimizer } from '../../lib';
import { disposeOptimizer, updateOnce } from '../helpers/tfjs';

describe('asOptimizer (the PyTorch-like optimizer view)', () => {
  const disposables: tf.Optimizer[] = [];
  const make = <T extends tf.Optimizer>(optimizer: T): T => {
    disposables.push(optimizer);
    return optimizer;
  };
  let tensorsBefore = 0;
  beforeEach(() => (tensorsBefore = tf.memory().numTensors));
  afterEach(() => {
    disposables.splice(0).forEach(disposeOptimizer);
    expect(tf.memory().numTensors).to.equal(tensorsBefore);
  });

  it('gives one param group per tfjs optimizer, in order', () => {
    const a = make(tf.train.adam(0.01));
    const b = make(tf.train.sgd(0.5));
    const view = asOptimizer([a, b]);
    expect(view.paramGroups.map((g) => g.lr)).to.deep.equal([0.01, 0.5]);
  });

  it('returns the same view and the same group records for the same optimizer(s)', () => {
    const a = make(tf.train.sgd(0.1));
    const b = make(tf.train.sgd(0.2));
    expect(asOptimizer(a)).to.equal(asOptimizer(a));
    expect(asOptimizer([a, b])).to.equal(asOptimizer([a, b]));
    expect(asOptimizer([a, b])).to.not.equal(asOptimizer([b, a]));
    expect(asOptimizer([b, a]).paramGroups[1]).to.equal(asOptimizer(a).paramGroups[0]);
    const view = asOptimizer(a);
    expect(asOptimizer(view)).to.equal(view);
  });

  it('lets schedulers on the same optimizer share initial_lr', () => {
    const optimizer = make(tf.train.sgd(0.3));
    const first = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    updateOnce(optimizer);
    first.step();
    const second = new StepLR([optimizer], { stepSize: 4 });
    expect(second.baseLrs).to.deep.equal([0.3]);
    expect(asOptimizer(optimizer).paramGroups[0].initial_lr).to.equal(0.3);
    expect(first.optimizer.sameGroupsAs(second.optimizer)).to.equal(true);
  });

  it('uses a plain paramGroups object as it is (the same records)', () => {
    const plain = { paramGroups: [{ lr: 0.1 }, { lr: 0.2, momentum: 0.9 }] };
    const view = asOptimizer(plain);
    expect(view.paramGroups).to.equal(plain.paramGroups);
    expect(asOptimizer(plain)).to.equal(view);
    expect(view.momentumKind()).to.equal(null);
  });

  it('describes the groups\' hyper-parameters like optimizer.state_dict()["param_groups"]', () => {
    const momentum = make(tf.train.momentum(0.1, 0.9));
    const adam = make(tf.train.adam(0.01, 0.8, 0.99));
    const view = asOptimizer([momentum, adam]);
    new StepLR(view, { stepSize: 2 });
    view.paramGroups[1].max_lr = Infinity;
    expect(view.stateDict()).to.deep.equal({
      param_groups: [
        { lr: 0.1, initial_lr: 0.1, momentum: 0.9 },
        { lr: 0.01, initial_lr: 0.01, max_lr: 'inf', betas: [0.8, 0.99] },
      ],
    });
  });

  it('loads saved hyper-parameters into the real optimizers', () => {
    const momentum = make(tf.train.momentum(0.1, 0.9));
    const view = asOptimizer(momentum);
    view.loadStateDict({ param_groups: [{ lr: 0.05, initial_lr: 0.1, momentum: 0.5 }] });
    expect(momentum.getConfig()).to.include({ learningRate: 0.05, momentum: 0.5 });
    expect(view.paramGroups[0].initial_lr).to.equal(0.1);
  });

  it('rejects a saved state of another shape, changing nothing', () => {
    const a = make(tf.train.sgd(0.1));
    const view = asOptimizer(a);
    expect(() => view.loadStateDict({ param_groups: [{ lr: 0.2 }, { lr: 0.3 }] })).to.throw(InvalidStateError, /has 2 groups, but the optimizer has 1/);
    expect(() => view.loadStateDict({ param_groups: [{ lr: 0.2, momentum: 0.9 }] })).to.throw(InvalidStateError, /that optimizer has no momentum/);
    expect(() => view.loadStateDict({ param_groups: [{ lr: 'fast' }] })).to.throw(InvalidStateError, /param_groups\[0\]\.lr must be a number \(not NaN\), got "fast"/);
    expect(a.getConfig().learningRate).to.equal(0.1);
  });

  it('rejects a NaN lr or momentum and betas outside [0, 1) when loaded, changing nothing (issue 13 #10)', () => {
    const momentum = make(tf.train.momentum(0.1, 0.9));
    const adam = make(tf.train.adam(0.01, 0.9, 0.999));
    const view = asOptimizer([momentum, adam]);
    const state = view.stateDict();
    const before = JSON.stringify(state);
    const cases: Array<[Record<string, unknown>, Record<string, unknown>, RegExp]> = [
      [{ lr: 'nan', momentum: 0.9 }, { lr: 0.01, betas: [0.9, 0.999] }, /param_groups\[0\]\.lr must be a number \(not NaN\), got "nan"/],
      [{ lr: 0.1, momentum: 'nan' }, { lr: 0.01, betas: [0.9, 0.999] }, /param_groups\[0\]\.momentum must be a number \(not NaN\), got "nan"/],
      [{ lr: 0.1, momentum: 0.9, initial_lr: 'inf' }, { lr: 0.01, betas: [0.9, 0.999] }, /param_groups\[0\]\.initial_lr must be a finite number, got "inf"/],
      // torch.optim.Adam: "Invalid beta parameter at index 0: 1.0" (a beta1 of 1 divides by 1 - beta1 ** step = 0)
      [{ lr: 0.1, momentum: 0.9 }, { lr: 0.01, betas: [1, 0.999] }, /param_groups\[1\]\.betas must be a pair of numbers, each a number in \[0, 1\) \(as torch.optim.Adam requires\), got \[1,0.999\]/],
      [{ lr: 0.1, momentum: 0.9 }, { lr: 0.01, betas: [0.9, 'nan'] }, /param_groups\[1\]\.betas must be a pair/],
    ];
    for (const [first, second, message] of cases) {
      expect(() => view.loadStateDict({ param_groups: [first, second] } as never)).to.throw(InvalidStateError, message);
      expect(JSON.stringify(view.stateDict())).to.equal(before);
    }
    // An lr that overflowed to Infinity is a state a schedule reaches (PyTorch's too): it loads.
    view.loadStateDict({ param_groups: [{ lr: 'inf', momentum: 0.9 }, { lr: 0.01, betas: [0.9, 0.999] }] });
    expect(view.paramGroups[0].lr).to.equal(Infinity);
  });

  it('reports what momentum a schedule can cycle', () => {
    expect(asOptimizer(make(tf.train.momentum(0.1, 0))).momentumKind()).to.equal('momentum');
    expect(asOptimizer(make(tf.train.adamax(0.1, 0.9, 0.999))).momentumKind()).to.equal('betas');
    const sgd = asOptimizer(make(tf.train.sgd(0.1)));
    expect(sgd.momentumKind()).to.equal(null);
    expect(sgd.momentumHint()).to.contain('tf.train.momentum(lr, 0)');
  });

  it('rejects values that are not optimizers, naming what was given', () => {
    expect(() => asOptimizer([] as never)).to.throw(InvalidArgumentError, /empty/);
    expect(() => asOptimizer({ paramGroups: [{ lr: '0.1' }] } as never)).to.throw(InvalidArgumentError, /paramGroups\[0\]\.lr must be a number, got "0.1"/);
    expect(() => asOptimizer(42 as never)).to.throw(InvalidArgumentError, /got 42/);
  });

  it('counts optimizer updates through the virtual optimizer', () => {
    const optimizer = new VirtualOptimizer([{ lr: 1 }]);
    optimizer.step();
    expect(asOptimizer(optimizer).iterations).to.equal(1);
  });
});
