import { expect } from 'chai';
import { InvalidArgumentError, InvalidStateError, LinearLR, PythonArithmeticError, VirtualOptimizer } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

describe('LinearLR', () => {
  // Expected values below come from PyTorch 2.13 (torch.optim.lr_scheduler.LinearLR).
  it('moves the factor linearly in PyTorch\'s chainable operation order (its rounding included)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.05 }]);
    const scheduler = new LinearLR(optimizer, { startFactor: 0.1, endFactor: 0.9, totalIters: 10 });
    expectBits(runSchedule(optimizer, scheduler, 12), [
      0.005000000000000001, 0.009000000000000003, 0.013000000000000005, 0.017000000000000005, 0.021000000000000008,
      0.02500000000000001, 0.02900000000000001, 0.03300000000000001, 0.037000000000000005, 0.04100000000000001,
      0.04500000000000001, 0.04500000000000001, 0.04500000000000001,
    ]);
  });

  it('uses base_lr * (start + (end - start) * min(totalIters, epoch) / totalIters) on step(epoch)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.05 }]);
    const scheduler = new LinearLR(optimizer, { startFactor: 0.1, endFactor: 0.9, totalIters: 10 });
    const { result: lrs } = captureWarnings(() => runSchedule(optimizer, scheduler, 4, [3, 7, 12, 1]));
    expectBits(lrs, [0.005000000000000001, 0.017000000000000005, 0.033, 0.045000000000000005, 0.009]);
  });

  it('defaults to 1/3 -> 1 over 5 epochs', () => {
    const scheduler = new LinearLR(new VirtualOptimizer([{ lr: 0.1 }]));
    expect([scheduler.startFactor, scheduler.endFactor, scheduler.totalIters]).to.deep.equal([1 / 3, 1, 5]);
  });

  it('accepts totalIters 0: chainable steps keep lr * startFactor, step(epoch) raises ZeroDivisionError as in PyTorch', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.08 }]);
    const scheduler = new LinearLR(optimizer, { startFactor: 0.25, totalIters: 0 });
    expectBits(runSchedule(optimizer, scheduler, 3), [0.02, 0.02, 0.02, 0.02]);
    const { result: error } = captureWarnings(() => {
      try {
        scheduler.step(2);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    });
    expect(error).to.be.instanceOf(PythonArithmeticError).and.include({ message: 'float division by zero', pythonType: 'ZeroDivisionError' });
    // as in PyTorch: lastEpoch was set before the closed form raised, the lr is unchanged
    expect(scheduler.lastEpoch).to.equal(2);
    expectBits([optimizer.paramGroups[0].lr], [0.02]);
  });

  it('raises ZeroDivisionError where PyTorch does after a negative step(epoch)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.08 }]);
    const scheduler = new LinearLR(optimizer, { startFactor: 0.5, endFactor: 1, totalIters: 5 });
    captureWarnings(() => scheduler.step(-5));
    expectBits([optimizer.paramGroups[0].lr], [0]);
    // 5 * 0.5 + (-4 - 1) * 0.5 == 0
    expect(() => scheduler.step()).to.throw(PythonArithmeticError, 'float division by zero');
  });

  it('rejects factors outside PyTorch\'s ranges with PyTorch\'s messages', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const startMessage = 'LinearLR: Starting multiplicative factor expected to be greater than 0 and less or equal to 1.';
    const endMessage = 'LinearLR: Ending multiplicative factor expected to be between 0 and 1.';
    expect(() => new LinearLR(optimizer, { startFactor: 0 })).to.throw(InvalidArgumentError, startMessage).with.property('pythonType', 'ValueError');
    expect(() => new LinearLR(optimizer, { startFactor: 1.5 })).to.throw(InvalidArgumentError, startMessage);
    expect(() => new LinearLR(optimizer, { startFactor: 0.1, endFactor: 1.2 })).to.throw(InvalidArgumentError, endMessage);
    expect(() => new LinearLR(optimizer, { startFactor: 0.6, endFactor: -0.1 })).to.throw(InvalidArgumentError, endMessage);
    expect(() => new LinearLR(optimizer, { totalIters: '5' } as never)).to.throw(InvalidArgumentError, /"totalIters" must be a number/);
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('keeps the lr in the initial step when resuming past epoch 0', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.02, initial_lr: 0.1 }]);
    const scheduler = new LinearLR(optimizer, { startFactor: 0.5, totalIters: 4, lastEpoch: 1 });
    expect(scheduler.lastEpoch).to.equal(2);
    expectBits([optimizer.paramGroups[0].lr], [0.02]);
  });

  it('round-trips its state with PyTorch\'s keys and validates the factors', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.05 }]);
    const scheduler = new LinearLR(optimizer, { startFactor: 0.1, endFactor: 0.9, totalIters: 10 });
    const state = scheduler.stateDict();
    expect(state).to.include({ start_factor: 0.1, end_factor: 0.9, total_iters: 10 });
    const other = new LinearLR(new VirtualOptimizer([{ lr: 0.05 }]), { totalIters: 3 });
    expect(() => other.loadStateDict({ ...state, start_factor: 0 })).to.throw(InvalidStateError, /"start_factor" must be a number in \(0, 1\]/);
    expect(() => other.loadStateDict({ ...state, end_factor: 2 })).to.throw(InvalidStateError, /"end_factor" must be a number in \[0, 1\]/);
    expect(other.totalIters).to.equal(3);
    other.loadStateDict(state);
    expect([other.startFactor, other.endFactor, other.totalIters]).to.deep.equal([0.1, 0.9, 10]);
  });
});
