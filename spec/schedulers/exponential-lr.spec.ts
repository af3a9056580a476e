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

  it('requires gamma as a number', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new ExponentialLR(optimizer, {} as never)).to.throw(InvalidArgumentError, /ExponentialLR: option "gamma" must be a number, got undefined/).with.property('pythonType', 'TypeError');
    expect(() => new ExponentialLR(optimizer, { gamma: '0.9' } as never)).to.throw(InvalidArgumentError, /"gamma" must be a number/);
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('round-trips its state with PyTorch\'s keys, non-finite gamma as a string', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new ExponentialLR(optimizer, { gamma: Infinity });
    const state = scheduler.stateDict();
    expect(state.gamma).to.equal('inf');
    const other = new ExponentialLR(new VirtualOptimizer([{ lr: 0.1 }]), { gamma: 0.5 });
    expect(() => other.loadStateDict({ ...state, gamma: 'big' })).to.throw(InvalidStateError, /"gamma" must be a number/);
    other.loadStateDict({ ...state, gamma: 0.25 });
    expect(other.gamma).to.equal(0.25);
    other.loadStateDict(state);
    expect(other.gamma).to.equal(Infinity);
  });
});
