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
    expect(() => new MultiStepLR(optimizer, { milestones: [1], gamma: '0.1' } as never)).to.throw(InvalidArgumentError, /"gamma" must be a finite number/);
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('loads a state of 120 milestones with a count of 1e6 each without expanding them (issue 13 #1)', () => {
    // Expanding the counts aborted Node ("invalid size error") on this 1.7 KB state dict.
    const optimizer = new VirtualOptimizer([{ lr: 1 }]);
    const scheduler = new MultiStepLR(optimizer, { milestones: [1], gamma: 0.9999999 });
    const milestones = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [String(i), 1e6]));
    scheduler.loadStateDict(JSON.parse(JSON.stringify({ ...scheduler.stateDict(), milestones })) as never);
    expect(scheduler.milestones.size).to.equal(120);
    expect(scheduler.milestones.get(7)).to.equal(1e6);
    // Python: 0.9999999 ** 1000000 (one milestone reached), 0.9999999 ** 3000000, 0.9999999 ** 120000000
    optimizer.step();
    scheduler.step();
    expectBits(scheduler.getLastLr(), [0.9048374135593988]);
    captureWarnings(() => scheduler.step(2));
    expectBits(scheduler.getLastLr(), [0.7408182096864241]);
    captureWarnings(() => scheduler.step(500));
    expectBits(scheduler.getLastLr(), [6.144208705610144e-6]);
    expect(scheduler.stateDict().milestones).to.deep.equal(milestones);
  });

  it('bisects over the distinct milestones with their counts in the closed form, as Python bisects over the elements', () => {
    // milestones [1, 4, 4, 4, 9]: bisect_right(sorted elements, e) for e = 0, 1, 3, 4, 8, 9, 12 is 0, 1, 1, 4, 4, 5, 5
    const [optimizer, scheduler] = make([4, 9, 4, 1, 4]);
    const { result: lrs } = captureWarnings(() => runSchedule(optimizer, scheduler, 7, [0, 1, 3, 4, 8, 9, 12]));
    expectBits(lrs, [1, 1, 0.5, 0.5, 0.0625, 0.0625, 0.03125, 0.03125]);
    expect(scheduler.stateDict().milestones).to.deep.equal({ 1: 1, 4: 3, 9: 1 });
  });

  it('rejects a state with more milestones than a list can hold, counting repeats, changing nothing', () => {
    const [, scheduler] = make([2]);
    const state = scheduler.stateDict();
    const before = JSON.stringify(state);
    // 2 ** 32 - 1 in all is the most a constructor's list could give; one more is rejected
    scheduler.loadStateDict({ ...state, milestones: { 1: 2 ** 31, 2: 2 ** 31 - 1 } });
    expect(scheduler.milestones.get(1)).to.equal(2 ** 31);
    scheduler.loadStateDict(JSON.parse(before) as never);
    expect(() => scheduler.loadStateDict({ ...state, milestones: { 1: 2 ** 31, 2: 2 ** 31 } })).to.throw(
      InvalidStateError,
      /key "milestones" must be an object of milestone -> count \(a positive integer; at most 4294967295 milestones counting repeats\)/,
    );
    expect(JSON.stringify(scheduler.stateDict())).to.equal(before);
  });

  it('accepts empty milestones (the lr never changes)', () => {
    expectBits(runSchedule(...make([]), 3), [1, 1, 1, 1]);
  });
});
