import { expect } from 'chai';
import { InvalidArgumentError, InvalidStateError, MultiStepLR, VirtualOptimizer, type JsonValue } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

function make(milestones: number[], gamma = 0.5): [VirtualOptimizer, MultiStepLR] {
  const optimizer = new VirtualOptimizer([{ lr: 1 }]);
  return [optimizer, new MultiStepLR(optimizer, { milestones, gamma })];
}

describe('MultiStepLR', () => {
  // Expected values below come from PyTorch 2.13 (torch.optim.lr_scheduler.MultiStepLR).
  it('decays by gamma when the epoch reaches each milestone', () => {
    expectBits(runSchedule(...make([2, 5]), 6), [1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]);
  });

  it('applies gamma once per listing of a repeated milestone, in any order', () => {
    // milestones [3, 3, 1]: epoch 1 decays by 0.5, epoch 3 by 0.5 ** 2
    expectBits(runSchedule(...make([3, 3, 1]), 4), [1, 0.5, 0.5, 0.125, 0.125]);
  });

  it('decays at construction when 0 is a milestone', () => {
    expectBits(runSchedule(...make([0, 2]), 3), [0.5, 0.5, 0.25, 0.25]);
  });

  it('uses base_lr * gamma ** bisect_right(sorted milestones, epoch) on step(epoch)', () => {
    const [optimizer, scheduler] = make([3, 3, 1]);
    const { result: lrs } = captureWarnings(() => runSchedule(optimizer, scheduler, 5, [4, 2, 0, 3, 7]));
    expectBits(lrs, [1, 0.125, 0.5, 1, 0.125, 0.125]);
  });

  it('keeps the milestones as a multiset and saves them as { milestone: count }', () => {
    const [, scheduler] = make([6, 3, 3]);
    expect([...scheduler.milestones]).to.deep.equal([[6, 1], [3, 2]]);
    const state = scheduler.stateDict();
    expect(state.milestones).to.deep.equal({ 3: 2, 6: 1 });
    expect(state.gamma).to.equal(0.5);
  });

  it('loads milestones from PyTorch\'s recorded Counter shape and continues with them', () => {
    const [optimizer, scheduler] = make([10]);
    scheduler.loadStateDict({ ...scheduler.stateDict(), milestones: { '1': 1, '3': 2 }, gamma: 0.25 });
    expect([...scheduler.milestones]).to.deep.equal([[1, 1], [3, 2]]);
    // chainable: epoch 1 * 0.25, epoch 3 * 0.25 ** 2; then the closed form: 0.25 ** bisect_right([1, 3, 3], 3)
    expectBits(runSchedule(optimizer, scheduler, 3), [1, 0.25, 0.25, 0.015625]);
    captureWarnings(() => scheduler.step(3));
    expectBits(scheduler.getLastLr(), [0.015625]);
  });

  it('rejects milestones that are not a { milestone: count } object when loading, changing nothing', () => {
    const [, scheduler] = make([2]);
    const state = scheduler.stateDict();
    const invalid: JsonValue[] = [[2], { two: 1 }, { 2: 0 }, { 2: 1.5 }, { nan: 1 }, { 2: 1, '2.0': 1 }];
    for (const milestones of invalid) {
      expect(() => scheduler.loadStateDict({ ...state, last_epoch: 9, milestones }))
        .to.throw(InvalidStateError, /MultiStepLR.loadStateDict: key "milestones" must be an object of milestone -> count/);
    }
    expect(scheduler.lastEpoch).to.equal(0);
    expect([...scheduler.milestones]).to.deep.equal([[2, 1]]);
  });

  it('rejects milestones that are not a list of numbers', () => {
    const optimizer = new VirtualOptimizer([{ lr: 1 }]);
    expect(() => new MultiStepLR(optimizer, { milestones: 3 } as never))
      .to.throw(InvalidArgumentError, 'MultiStepLR: option "milestones" must be a list of numbers, got 3')
      .with.property('pythonType', 'TypeError');
    expect(() => new MultiStepLR(optimizer, { milestones: [1, '2'] } as never)).to.throw(InvalidArgumentError, /"milestones\[1\]" must be a number/);
    expect(() => new MultiStepLR(optimizer, { milestones: [NaN] })).to.throw(InvalidArgumentError, /"milestones\[0\]" must be a number \(not NaN\), got NaN/);
    expect(() => new MultiStepLR(optimizer, { milestones: [1], gamma: '0.1' } as never)).to.throw(InvalidArgumentError, /"gamma" must be a number/);
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('accepts empty milestones (the lr never changes)', () => {
    expectBits(runSchedule(...make([]), 3), [1, 1, 1, 1]);
  });
});
