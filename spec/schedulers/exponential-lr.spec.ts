import { expect } from 'chai';
import { ExponentialLR, InvalidArgumentError, InvalidStateError, VirtualOptimizer } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

describe('ExponentialLR', () => {
  // Expected values below come from PyTorch 2.13 (torch.optim.lr_scheduler.ExponentialLR).
  it('multiplies the lr by gamma every epoch', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expectBits(runSchedule(optimizer, new ExponentialLR(optimizer, { gamma: 0.5 }), 4), [0.1, 0.05, 0.025, 0.0125, 0.00625]);
  });

  it('uses base_lr * gamma ** epoch on step(epoch), negative epochs included', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const { result: lrs } = captureWarnings(() => runSchedule(optimizer, new ExponentialLR(optimizer, { gamma: 0.5 }), 3, [3, 1, -2]));
    expectBits(lrs, [0.1, 0.0125, 0.05, 0.4]);
  });

  it('does not decay in the initial step when resuming from lastEpoch', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.2, initial_lr: 0.5 }]);
    const scheduler = new ExponentialLR(optimizer, { gamma: 0.5, lastEpoch: 4 });
    expect(scheduler.lastEpoch).to.equal(5);
    expectBits(runSchedule(optimizer, scheduler, 2), [0.2, 0.1, 0.05]);
  });

  it('lets the lr overflow to Infinity in the chainable form and come back with the closed form', () => {
    const optimizer = new VirtualOptimizer([{ lr: 1e305 }]);
    const scheduler = new ExponentialLR(optimizer, { gamma: 10 });
    expectBits(runSchedule(optimizer, scheduler, 4), [1e305, 9.999999999999999e305, 9.999999999999999e306, 9.999999999999998e307, Infinity]);
    expect(scheduler.stateDict()._last_lr).to.deep.equal(['inf']);
    captureWarnings(() => scheduler.step(1));
    expectBits(scheduler.getLastLr(), [9.999999999999999e305]);
  });

  it('requires gamma as a finite number', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new ExponentialLR(optimizer, {} as never)).to.throw(InvalidArgumentError, /ExponentialLR: option "gamma" must be a finite number, got undefined/).with.property('pythonType', 'TypeError');
    expect(() => new ExponentialLR(optimizer, { gamma: '0.9' } as never)).to.throw(InvalidArgumentError, /"gamma" must be a finite number/);
    // NaN or Infinity could only produce NaN or infinite learning rates (0.1 * Infinity, then 0 * Infinity = NaN)
    for (const gamma of [NaN, Infinity, -Infinity]) {
      expect(() => new ExponentialLR(optimizer, { gamma })).to.throw(InvalidArgumentError, `ExponentialLR: option "gamma" must be a finite number, got ${gamma}`);
    }
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('round-trips its state with PyTorch\'s keys and rejects a gamma the constructor would reject', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new ExponentialLR(optimizer, { gamma: 0.25 });
    const state = scheduler.stateDict();
    expect(state.gamma).to.equal(0.25);
    const other = new ExponentialLR(new VirtualOptimizer([{ lr: 0.1 }]), { gamma: 0.5 });
    for (const gamma of ['big', 'nan', 'inf', '-inf']) {
      expect(() => other.loadStateDict({ ...state, gamma })).to.throw(InvalidStateError, /"gamma" must be a finite number/);
    }
    expect(other.gamma).to.equal(0.5);
    other.loadStateDict(state);
    expect(other.gamma).to.equal(0.25);
  });
});
