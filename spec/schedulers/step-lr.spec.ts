import { expect } from 'chai';
import { InvalidArgumentError, InvalidStateError, StepLR, VirtualOptimizer } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

describe('StepLR', () => {
  it('decays by gamma every stepSize epochs (PyTorch recording StepLR-chainable-001)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3 }]);
    const lrs = runSchedule(optimizer, new StepLR(optimizer, { stepSize: 3, gamma: 0.5 }), 13);
    expectBits(lrs, [0.3, 0.3, 0.3, 0.15, 0.15, 0.15, 0.075, 0.075, 0.075, 0.0375, 0.0375, 0.0375, 0.01875, 0.01875]);
  });

  it('uses the closed form base_lr * gamma ** (epoch // stepSize) on step(epoch)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.4 }, { lr: 0.1 }]);
    const scheduler = new StepLR(optimizer, { stepSize: 3, gamma: 0.5 });
    optimizer.step();
    const { warnings } = captureWarnings(() => scheduler.step(7));
    expect(scheduler.lastEpoch).to.equal(7);
    // 7 // 3 = 2: 0.4 * 0.25, 0.1 * 0.25
    expectBits(scheduler.getLastLr(), [0.1, 0.025]);
    expect(warnings.map((w) => w.category)).to.deep.equal(['UserWarning']);
    expect(warnings[0].message).to.match(/epoch parameter/);
  });

  it('floors negative epochs like Python in the closed form', () => {
    const optimizer = new VirtualOptimizer([{ lr: 1 }]);
    const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
    captureWarnings(() => scheduler.step(-3));
    // -3 // 2 == -2 in Python, so 1 * 0.5 ** -2 = 4
    expectBits(scheduler.getLastLr(), [4]);
  });

  it('accepts a fractional stepSize as PyTorch does', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3 }]);
    const lrs = runSchedule(optimizer, new StepLR(optimizer, { stepSize: 2.5, gamma: 0.5 }), 5);
    // 5 % 2.5 == 0: decays at epoch 5 only
    expectBits(lrs, [0.3, 0.3, 0.3, 0.3, 0.3, 0.15]);
  });

  it('rejects a zero stepSize at construction, naming the option', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new StepLR(optimizer, { stepSize: 0 })).to.throw(InvalidArgumentError, 'StepLR: option "stepSize" must be a non-zero number, got 0');
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('rejects unknown options and non-numbers', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new StepLR(optimizer, { stepSize: 2, gama: 0.5 } as never)).to.throw(InvalidArgumentError, /unknown option "gama"/);
    expect(() => new StepLR(optimizer, { stepSize: '2' } as never)).to.throw(InvalidArgumentError, /"stepSize" must be a non-zero number, got "2"/);
  });
});

describe('StepLR state', () => {
  it('rejects a state whose step_size could only crash the next step, changing nothing', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new StepLR(optimizer, { stepSize: 2 });
    const state = scheduler.stateDict();
    expect(() => scheduler.loadStateDict({ ...state, step_size: 0, last_epoch: 9 })).to.throw(
      InvalidStateError,
      'StepLR.loadStateDict: key "step_size" must be a non-zero number, got 0',
    );
    expect(scheduler.stateDict()).to.deep.equal(state);
  });
});
