import { expect } from 'chai';
import { InvalidArgumentError, InvalidStateError, LambdaLR, SchedulerTypeError, VirtualOptimizer } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runScheduleAllGroups } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';
import { markPure, type LrLambda } from '../../lib/schedulers/lr-lambdas';

const halving = (epoch: number): number => 0.5 ** epoch;

describe('LambdaLR', () => {
  // Expected values below come from PyTorch 2.13 (torch.optim.lr_scheduler.LambdaLR).
  it('sets each lr to initial_lr times the lambda of the epoch', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const lrs = runScheduleAllGroups(optimizer, new LambdaLR(optimizer, { lrLambda: halving }), 5);
    expectBits(lrs.flat(), [0.1, 0.05, 0.025, 0.0125, 0.00625, 0.003125]);
  });

  it('takes one lambda per param group', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }]);
    const scheduler = new LambdaLR(optimizer, { lrLambda: [halving, (epoch) => Math.floor(epoch / 2)] });
    const lrs = runScheduleAllGroups(optimizer, scheduler, 5);
    expectBits(lrs.map((row) => row[0]), [0.1, 0.05, 0.025, 0.0125, 0.00625, 0.003125], 'group 0');
    expectBits(lrs.map((row) => row[1]), [0, 0, 0.2, 0.2, 0.4, 0.4], 'group 1');
  });

  it('calls the lambdas with whatever step(epoch) got (there is no closed form)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const seen: number[] = [];
    const scheduler = new LambdaLR(optimizer, { lrLambda: (epoch) => (seen.push(epoch), epoch + 1) });
    const { result: lrs } = captureWarnings(() => runScheduleAllGroups(optimizer, scheduler, 3, [3, 1, 2.5]));
    expect(seen).to.deep.equal([0, 3, 1, 2.5]);
    expectBits(lrs.flat(), [0.1, 0.4, 0.2, 0.35000000000000003]);
  });

  it('resumes from lastEpoch with the groups\' initial_lr', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1, initial_lr: 0.4 }]);
    const scheduler = new LambdaLR(optimizer, { lrLambda: halving, lastEpoch: 4 });
    expect(scheduler.lastEpoch).to.equal(5);
    expectBits(runScheduleAllGroups(optimizer, scheduler, 2).flat(), [0.0125, 0.00625, 0.003125]);
  });

  it('rejects a list of lambdas whose length differs from the group count, with PyTorch\'s message', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }]);
    expect(() => new LambdaLR(optimizer, { lrLambda: [halving, halving, halving] }))
      .to.throw(InvalidArgumentError, 'LambdaLR: Expected 2 lr_lambdas, but got 3')
      .with.property('pythonType', 'ValueError');
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('rejects a lambda that is not a function at construction, as a TypeError', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }]);
    expect(() => new LambdaLR(optimizer, { lrLambda: 0.9 as never }))
      .to.throw(InvalidArgumentError, /LambdaLR: option "lrLambda" must be a function or a list of functions, got float \('float' object is not callable\)/)
      .with.property('pythonType', 'TypeError');
    expect(() => new LambdaLR(optimizer, { lrLambda: [halving, 'x'] as never })).to.throw(InvalidArgumentError, /got str/);
    expect(() => new LambdaLR(optimizer, {} as never)).to.throw(InvalidArgumentError, /"lrLambda" must be a function/);
    expect(() => new LambdaLR(optimizer, { lrLambda: halving, lr_lambda: halving } as never)).to.throw(InvalidArgumentError, /unknown option "lr_lambda"/);
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('stores null for every lambda in its state dict and keeps the live lambdas on load', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }]);
    const scheduler = new LambdaLR(optimizer, { lrLambda: halving });
    optimizer.step();
    scheduler.step();
    scheduler.step();
    const state = scheduler.stateDict();
    expect(state).to.deep.equal({
      __scheduler__: 'LambdaLR',
      base_lrs: [0.1, 0.2],
      last_epoch: 2,
      _step_count: 3,
      _get_lr_called_within_step: false,
      _is_initial: false,
      _last_lr: [0.025, 0.05],
      lr_lambdas: [null, null],
    });

    const fresh = new VirtualOptimizer([{ lr: 0.025 }, { lr: 0.05 }]);
    const restored = new LambdaLR(fresh, { lrLambda: halving });
    // A PyTorch callable object (e.g. transformers' partials) is saved as its attribute dict.
    restored.loadStateDict({ ...state, lr_lambdas: [{}, null] });
    expect(restored.lastEpoch).to.equal(2);
    expect(restored.lrLambdas[0]).to.equal(halving);
    restored.step();
    expectBits(restored.getLastLr(), [0.0125, 0.025]);
  });

  it('throws a TypeError naming the class, the group and the value when a lambda returns no number (issue 13 #10)', () => {
    // A forgotten return: PyTorch raises "unsupported operand type(s) for *: 'float' and 'NoneType'".
    const forgot = ((epoch: number): void => {
      void (0.95 ** epoch);
    }) as unknown as (epoch: number) => number;
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }]);
    expect(() => new LambdaLR(optimizer, { lrLambda: [halving, forgot] })).to.throw(
      SchedulerTypeError,
      'LambdaLR: lrLambda of paramGroups[1] returned undefined at epoch 0, expected a number (does the function return its value?)',
    );
    // No NaN was written into the optimizer.
    expect(optimizer.paramGroups.map((g) => g.lr)).to.deep.equal([0.1, 0.2]);
    const later = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new LambdaLR(later, { lrLambda: (epoch) => (epoch < 2 ? 1 : ('0.5' as unknown as number)) });
    later.step();
    scheduler.step();
    expect(() => scheduler.step()).to.throw(SchedulerTypeError, 'returned "0.5" at epoch 2').with.property('pythonType', 'TypeError');
    expect(later.paramGroups[0].lr).to.equal(0.1);
  });

  it("multiplies by a boolean as Python multiplies by a bool (Python's bool is an int)", () => {
    // Python: lambda e: e < 2 and 0.5  ->  0.5, 0.5, False (0.0)
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new LambdaLR(optimizer, { lrLambda: ((epoch: number) => epoch < 2 && 0.5) as unknown as (epoch: number) => number });
    const lrs = [scheduler.getLastLr()[0]];
    for (let i = 0; i < 2; i++) {
      optimizer.step();
      scheduler.step();
      lrs.push(scheduler.getLastLr()[0]);
    }
    expectBits(lrs, [0.05, 0.05, 0]);
  });

  it('rejects lr_lambdas of the wrong length or kind, changing nothing', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new LambdaLR(optimizer, { lrLambda: halving });
    const state = scheduler.stateDict();
    expect(() => scheduler.loadStateDict({ ...state, last_epoch: 7, lr_lambdas: [null, null] }))
      .to.throw(InvalidStateError, 'key "lr_lambdas" must be a list of 1 entries, each null or an object, got an array of length 2');
    expect(() => scheduler.loadStateDict({ ...state, lr_lambdas: [3] })).to.throw(InvalidStateError, /"lr_lambdas"/);
    const { lr_lambdas: _dropped, ...missing } = state;
    expect(() => scheduler.loadStateDict(missing)).to.throw(InvalidStateError, /"lr_lambdas" must be .* got nothing/);
    expect(scheduler.lastEpoch).to.equal(0);
  });

  it("calls a user's lambda once per group, as PyTorch does, and one of the package's pure lambdas once per step", () => {
    const groups = () => new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }, { lr: 0.4 }]);
    const counting = () => {
      const calls: number[] = [];
      return { calls, lambda: (epoch: number) => (calls.push(epoch), 0.5 ** epoch) };
    };
    const user = counting();
    const userOptimizer = groups();
    const userLrs = runScheduleAllGroups(userOptimizer, new LambdaLR(userOptimizer, { lrLambda: user.lambda }), 2);
    expect(user.calls).to.deep.equal([0, 0, 0, 1, 1, 1, 2, 2, 2]);

    const pure = counting();
    const pureOptimizer = groups();
    const scheduler = new LambdaLR(pureOptimizer, { lrLambda: markPure(pure.lambda) });
    const pureLrs = runScheduleAllGroups(pureOptimizer, scheduler, 2);
    expect(pure.calls).to.deep.equal([0, 1, 2]);
    // the same learning rates: initial_lr * 0.5 ** epoch
    const expected = [[0.1, 0.2, 0.4], [0.05, 0.1, 0.2], [0.025, 0.05, 0.1]];
    expectBits(userLrs.flat(), expected.flat());
    expectBits(pureLrs.flat(), expected.flat());

    // an entry replaced from JavaScript: every group's own lambda again
    (scheduler.lrLambdas as LrLambda[])[1] = (epoch) => epoch;
    pureOptimizer.step();
    scheduler.step();
    expect(pure.calls).to.deep.equal([0, 1, 2, 3, 3]);
    expectBits(scheduler.getLastLr(), [0.0125, 0.6000000000000001, 0.05]);
  });
});
