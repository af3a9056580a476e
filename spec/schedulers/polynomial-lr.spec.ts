import { expect } from 'chai';
import { InvalidArgumentError, InvalidStateError, PolynomialLR, PythonArithmeticError, VirtualOptimizer } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

describe('PolynomialLR', () => {
  // Expected values below come from PyTorch 2.13 (torch.optim.lr_scheduler.PolynomialLR).
  it('decays linearly to 0 over totalIters with power 1 (PyTorch\'s chainable rounding)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const lrs = runSchedule(optimizer, new PolynomialLR(optimizer, { totalIters: 4, power: 1 }), 6);
    expectBits(lrs, [0.1, 0.07500000000000001, 0.05, 0.025, 0, 0, 0]);
  });

  it('decays along (1 - epoch / totalIters) ** power', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const lrs = runSchedule(optimizer, new PolynomialLR(optimizer, { totalIters: 4, power: 2 }), 5);
    expectBits(lrs, [0.1, 0.05625, 0.024999999999999998, 0.0062499999999999995, 0, 0]);
  });

  it('uses base_lr * (1 - min(totalIters, epoch) / totalIters) ** power on step(epoch)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const { result: lrs } = captureWarnings(() => runSchedule(optimizer, new PolynomialLR(optimizer, { totalIters: 4, power: 2 }), 3, [3, 1, 6]));
    expectBits(lrs, [0.1, 0.00625, 0.05625, 0]);
  });

  it('defaults to 5 epochs and power 1', () => {
    const scheduler = new PolynomialLR(new VirtualOptimizer([{ lr: 0.1 }]));
    expect([scheduler.totalIters, scheduler.power]).to.deep.equal([5, 1]);
  });

  it('does not decay in the initial step when resuming from lastEpoch', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.2, initial_lr: 0.3 }]);
    const scheduler = new PolynomialLR(optimizer, { totalIters: 6, lastEpoch: 2 });
    expect(scheduler.lastEpoch).to.equal(3);
    expectBits([optimizer.paramGroups[0].lr], [0.2]);
  });

  it('accepts totalIters 0 as PyTorch does: the lr stays, the closed form raises ZeroDivisionError', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new PolynomialLR(optimizer, { totalIters: 0 });
    expectBits(runSchedule(optimizer, scheduler, 3), [0.1, 0.1, 0.1, 0.1]);
    captureWarnings(() => expect(() => scheduler.step(1)).to.throw(PythonArithmeticError, 'division by zero').with.property('pythonType', 'ZeroDivisionError'));
    // as in PyTorch, getLr() at lastEpoch 0 divides by totalIters too
    const fresh = new PolynomialLR(new VirtualOptimizer([{ lr: 0.1 }]), { totalIters: 0 });
    captureWarnings(() => expect(() => fresh.getLr()).to.throw(PythonArithmeticError, 'division by zero'));
  });

  it('rejects a negative power at construction (PyTorch raises ZeroDivisionError at totalIters)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new PolynomialLR(optimizer, { totalIters: 2, power: -1 }))
      .to.throw(InvalidArgumentError, /PolynomialLR: option "power" must be a number >= 0 .*, got -1/)
      .with.property('pythonType', 'ValueError');
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('rejects options that are not numbers', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new PolynomialLR(optimizer, { totalIters: '5' } as never)).to.throw(InvalidArgumentError, /PolynomialLR: option "totalIters" must be a number/);
    expect(() => new PolynomialLR(optimizer, { power: null } as never)).to.throw(InvalidArgumentError, /"power" must be a number, got null/);
    expect(() => new PolynomialLR(optimizer, { total_iters: 5 } as never)).to.throw(InvalidArgumentError, /unknown option "total_iters"/);
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('round-trips its state with PyTorch\'s keys', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new PolynomialLR(optimizer, { totalIters: 6, power: 2 });
    const state = scheduler.stateDict();
    expect(state).to.include({ total_iters: 6, power: 2 });
    const other = new PolynomialLR(new VirtualOptimizer([{ lr: 0.1 }]));
    expect(() => other.loadStateDict({ ...state, power: [2] })).to.throw(InvalidStateError, /"power" must be a number >= 0, got an array/);
    expect(() => other.loadStateDict({ ...state, power: -1 })).to.throw(InvalidStateError, /"power" must be a number >= 0, got -1/);
    other.loadStateDict(state);
    expect([other.totalIters, other.power]).to.deep.equal([6, 2]);
  });
});
