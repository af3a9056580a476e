import { expect } from 'chai';
import { ConstantLR, InvalidArgumentError, InvalidStateError, VirtualOptimizer } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

describe('ConstantLR', () => {
  // Expected values below come from PyTorch 2.13 (torch.optim.lr_scheduler.ConstantLR).
  it('multiplies the lr by factor until totalIters, then divides it back', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.05 }]);
    const lrs = runSchedule(optimizer, new ConstantLR(optimizer, { factor: 0.5, totalIters: 4 }), 6);
    expectBits(lrs, [0.025, 0.025, 0.025, 0.025, 0.05, 0.05, 0.05]);
  });

  it('defaults to factor 1/3 for 5 epochs', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.05 }]);
    const scheduler = new ConstantLR(optimizer);
    expect(scheduler.factor).to.equal(1 / 3);
    expect(scheduler.totalIters).to.equal(5);
    const third = 0.016666666666666666;
    expectBits(runSchedule(optimizer, scheduler, 6), [third, third, third, third, third, 0.05, 0.05]);
  });

  it('uses base_lr * (factor + (epoch >= totalIters) * (1 - factor)) on step(epoch)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.05 }]);
    const scheduler = new ConstantLR(optimizer, { factor: 0.1, totalIters: 4 });
    const { result: lrs } = captureWarnings(() => runSchedule(optimizer, scheduler, 4, [5, 3, 4, 0]));
    expectBits(lrs, [0.005000000000000001, 0.05, 0.005000000000000001, 0.05, 0.005000000000000001]);
  });

  it('divides by factor in the initial step when resuming one epoch before totalIters', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.07, initial_lr: 0.1 }]);
    const scheduler = new ConstantLR(optimizer, { factor: 0.7, totalIters: 4, lastEpoch: 3 });
    expectBits(runSchedule(optimizer, scheduler, 2), [0.1, 0.1, 0.1]);
  });

  it('rejects a factor outside [0, 1] with PyTorch\'s message', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    for (const factor of [1.5, -0.9]) {
      expect(() => new ConstantLR(optimizer, { factor }))
        .to.throw(InvalidArgumentError, 'ConstantLR: Constant multiplicative factor expected to be between 0 and 1.')
        .with.property('pythonType', 'ValueError');
    }
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('rejects factor 0 at construction (PyTorch divides by it at totalIters)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new ConstantLR(optimizer, { factor: 0, totalIters: 3 })).to.throw(InvalidArgumentError, /ConstantLR: option "factor" must not be 0/);
  });

  it('rejects options that are not numbers, and unknown options', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new ConstantLR(optimizer, { factor: '0.5' } as never)).to.throw(InvalidArgumentError, /"factor" must be a number, got "0.5"/);
    expect(() => new ConstantLR(optimizer, { totalIters: null } as never)).to.throw(InvalidArgumentError, /"totalIters" must be a number, got null/);
    expect(() => new ConstantLR(optimizer, { total_iters: 3 } as never)).to.throw(InvalidArgumentError, /unknown option "total_iters"/);
  });

  it('round-trips its state with PyTorch\'s keys and rejects a factor outside (0, 1]', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.05 }]);
    const scheduler = new ConstantLR(optimizer, { factor: 0.5, totalIters: 2 });
    optimizer.step();
    scheduler.step();
    const state = scheduler.stateDict();
    expect(state).to.include({ factor: 0.5, total_iters: 2, last_epoch: 1 });

    const fresh = new VirtualOptimizer([{ lr: 0.025 }]);
    const restored = new ConstantLR(fresh, { factor: 0.9, totalIters: 7 });
    expect(() => restored.loadStateDict({ ...state, factor: 0 })).to.throw(InvalidStateError, /key "factor" must be a number in \(0, 1\], got 0/);
    restored.loadStateDict(state);
    fresh.paramGroups[0].lr = 0.025; // the optimizer's own state, restored separately as in PyTorch
    restored.step();
    expectBits(restored.getLastLr(), [0.05]);
  });
});
