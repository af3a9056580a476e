import { expect } from 'chai';
import { InvalidArgumentError, InvalidStateError, MultiplicativeLR, SchedulerTypeError, VirtualOptimizer, pymath } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

const halve = (): number => 0.5;
/** Python: lambda e: 0.5 if e % 2 == 0 else 0.25 */
const alternate = (epoch: number): number => (pymath.mod(epoch, 2) === 0 ? 0.5 : 0.25);

describe('MultiplicativeLR', () => {
  it('throws a TypeError naming the class and the value when the lambda returns no number, writing no NaN (issue 13 #10)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new MultiplicativeLR(optimizer, { lrLambda: (() => null) as unknown as () => number });
    optimizer.step();
    expect(() => scheduler.step()).to.throw(SchedulerTypeError, 'MultiplicativeLR: lrLambda of paramGroups[0] returned null at epoch 1, expected a number');
    expect(optimizer.paramGroups[0].lr).to.equal(0.1);
  });

  // Expected values below come from PyTorch 2.13 (torch.optim.lr_scheduler.MultiplicativeLR).
  it('multiplies the current lr by the lambda every step, leaving it unchanged at construction', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expectBits(runSchedule(optimizer, new MultiplicativeLR(optimizer, { lrLambda: halve }), 4), [0.1, 0.05, 0.025, 0.0125, 0.00625]);
  });

  it('multiplies at lastEpoch 0 too when it is not the initial step (step(-1), then step())', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new MultiplicativeLR(optimizer, { lrLambda: alternate });
    optimizer.step();
    captureWarnings(() => scheduler.step(-1));
    const lrs = [optimizer.paramGroups[0].lr];
    const epochs = [scheduler.lastEpoch];
    for (let i = 0; i < 3; i++) {
      scheduler.step();
      lrs.push(optimizer.paramGroups[0].lr);
      epochs.push(scheduler.lastEpoch);
    }
    expect(epochs).to.deep.equal([-1, 0, 1, 2]);
    expectBits(lrs, [0.025, 0.0125, 0.003125, 0.0015625]);
  });

  it('multiplies the current lr by the lambda of the given epoch on step(epoch) (no closed form)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new MultiplicativeLR(optimizer, { lrLambda: alternate });
    const { result: lrs } = captureWarnings(() => runSchedule(optimizer, scheduler, 3, [5, 2, 2]));
    expectBits(lrs, [0.1, 0.025, 0.0125, 0.00625]);
  });

  it('takes one lambda per param group', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }]);
    const scheduler = new MultiplicativeLR(optimizer, { lrLambda: [halve, () => 0.25] });
    optimizer.step();
    scheduler.step();
    scheduler.step();
    // hand-computed: 0.1 * 0.5 * 0.5, 0.2 * 0.25 * 0.25
    expectBits(scheduler.getLastLr(), [0.025, 0.0125]);
  });

  it('does not multiply in the initial step when resuming from lastEpoch', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1, initial_lr: 0.4 }]);
    const scheduler = new MultiplicativeLR(optimizer, { lrLambda: halve, lastEpoch: 3 });
    expect(scheduler.lastEpoch).to.equal(4);
    expectBits(runSchedule(optimizer, scheduler, 2), [0.1, 0.05, 0.025]);
  });

  it('rejects a lambda list of the wrong length and non-functions with PyTorch\'s messages', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }, { lr: 0.3 }]);
    expect(() => new MultiplicativeLR(optimizer, { lrLambda: [halve, halve] }))
      .to.throw(InvalidArgumentError, 'MultiplicativeLR: Expected 3 lr_lambdas, but got 2')
      .with.property('pythonType', 'ValueError');
    expect(() => new MultiplicativeLR(optimizer, { lrLambda: 0.95 as never }))
      .to.throw(InvalidArgumentError, 'MultiplicativeLR: lrLambda should be a function, but got float')
      .with.property('pythonType', 'TypeError');
    expect(() => new MultiplicativeLR(optimizer, { lrLambda: [halve, null, halve] as never }))
      .to.throw(InvalidArgumentError, 'MultiplicativeLR: lrLambda should be a function, but got NoneType');
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('saves null per lambda, and restores its epoch while keeping the live lambdas', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new MultiplicativeLR(optimizer, { lrLambda: alternate });
    optimizer.step();
    scheduler.step();
    const state = scheduler.stateDict();
    expect(state.lr_lambdas).to.deep.equal([null]);
    expect(state.last_epoch).to.equal(1);

    const fresh = new VirtualOptimizer([{ lr: 0.025 }]);
    const restored = new MultiplicativeLR(fresh, { lrLambda: alternate });
    restored.loadStateDict(state);
    restored.step();
    // epoch 2: 0.025 * 0.5
    expectBits(restored.getLastLr(), [0.0125]);
    expect(() => restored.loadStateDict({ ...state, lr_lambdas: 'none' })).to.throw(InvalidStateError, /"lr_lambdas"/);
  });
});
