import { expect } from 'chai';
import {
  ChainedScheduler,
  ConstantLR,
  createScheduler,
  ExponentialLR,
  InvalidStateError,
  LinearLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  VirtualOptimizer,
} from '../../lib';
import { docExampleChildren } from '../helpers/composite-fixtures';
import { expectInvalidArguments, thrown } from '../helpers/errors';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule, runScheduleAllGroups } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

/** PyTorch's doc example: ConstantLR for 2 epochs, then ExponentialLR from the milestone on. */
function docExample(): ReturnType<typeof docExampleChildren> & { scheduler: SequentialLR } {
  const children = docExampleChildren();
  return { ...children, scheduler: new SequentialLR(children.optimizer, { schedulers: [children.constant, children.exponential], milestones: [2] }) };
}

// Expected values below come from PyTorch 2.13 (torch.optim.lr_scheduler, CPython 3.11).
describe('SequentialLR', () => {
  it('switches to the next scheduler at the milestone, restarting it from its base lrs (doc example)', () => {
    const { optimizer, constant, exponential, scheduler } = docExample();
    expectBits(runSchedule(optimizer, scheduler, 4), [0.1, 0.1, 1.0, 0.9, 0.81]);
    expect(scheduler.lastEpoch).to.equal(4);
    expectBits(scheduler.getLastLr(), [0.81]);
    expect(constant.lastEpoch).to.equal(1);
    expect(exponential.lastEpoch).to.equal(2);
  });

  it('resets the lrs to initial_lr and undoes the children initial steps at construction', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.01 }]);
    const linear = new LinearLR(optimizer, { startFactor: 0.25, endFactor: 1.0, totalIters: 3 });
    const exponential = new ExponentialLR(optimizer, { gamma: 0.5 });
    const scheduler = new SequentialLR(optimizer, { schedulers: [linear, exponential], milestones: [3] });
    expect(exponential.lastEpoch).to.equal(-1);
    expect(linear.lastEpoch).to.equal(0);
    expectBits(runScheduleAllGroups(optimizer, scheduler, 6).flat(), [
      0.025, 0.0025, 0.05, 0.005, 0.07500000000000001, 0.0075, 0.1, 0.01, 0.05, 0.005, 0.025, 0.0025, 0.0125, 0.00125,
    ]);
  });

  it('skips a scheduler whose milestone repeats the previous one (milestones [3, 3])', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.5 }]);
    const a = new ConstantLR(optimizer, { factor: 0.5, totalIters: 10 });
    const b = new ExponentialLR(optimizer, { gamma: 0.5 });
    const c = new StepLR(optimizer, { stepSize: 1, gamma: 0.9 });
    const scheduler = new SequentialLR(optimizer, { schedulers: [a, b, c], milestones: [3, 3] });
    expectBits(runSchedule(optimizer, scheduler, 6), [0.25, 0.25, 0.25, 0.5, 0.45, 0.405, 0.36450000000000005]);
  });

  it('bisects unsorted milestones exactly as Python bisect_right does', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.5 }]);
    const a = new ExponentialLR(optimizer, { gamma: 0.5 });
    const b = new ExponentialLR(optimizer, { gamma: 0.8 });
    const c = new StepLR(optimizer, { stepSize: 1, gamma: 0.9 });
    const scheduler = new SequentialLR(optimizer, { schedulers: [a, b, c], milestones: [4, 2] });
    expectBits(runSchedule(optimizer, scheduler, 6), [0.5, 0.25, 0.5, 0.45, 0.405, 0.36450000000000005, 0.32805000000000006]);
  });

  it('starts lastEpoch at lastEpoch + 1 when resuming', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.5, initial_lr: 0.5 }]);
    const a = new ExponentialLR(optimizer, { gamma: 0.5, lastEpoch: 2 });
    const b = new StepLR(optimizer, { stepSize: 2, gamma: 0.5, lastEpoch: 2 });
    const scheduler = new SequentialLR(optimizer, { schedulers: [a, b], milestones: [4], lastEpoch: 2 });
    expect(scheduler.lastEpoch).to.equal(3);
    expectBits(runSchedule(optimizer, scheduler, 4), [0.5, 0.5, 0.5, 0.25, 0.25]);
    expect(scheduler.lastEpoch).to.equal(7);
  });

  it('undoes initial steps recursively into a nested SequentialLR (whose own lastEpoch runs one ahead, as in PyTorch)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const a = new ExponentialLR(optimizer, { gamma: 0.5 });
    const b = new LinearLR(optimizer, { startFactor: 0.5, endFactor: 1.0, totalIters: 2 });
    const inner = new SequentialLR(optimizer, { schedulers: [a, b], milestones: [2] });
    const step = new StepLR(optimizer, { stepSize: 3, gamma: 0.1 });
    // PyTorch warns once here: the outer initial step steps `a` a second time before any optimizer step
    const { result: outer, warnings } = captureWarnings(() => new SequentialLR(optimizer, { schedulers: [inner, step], milestones: [4] }));
    expect(warnings).to.have.length(1);
    expectBits(runSchedule(optimizer, outer, 8), [0.05, 0.05, 0.07500000000000001, 0.1, 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002]);
    const { _schedulers: children, __scheduler__: tag, ...innerState } = inner.stateDict();
    void children;
    void tag;
    expect(innerState).to.deep.equal({ _milestones: [2], last_epoch: 4, _last_lr: [0.1], _step_count: 0 });
  });

  it('undoes initial steps inside a nested ChainedScheduler', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const constant = new ConstantLR(optimizer, { factor: 0.5, totalIters: 2 });
    const exponential = new ExponentialLR(optimizer, { gamma: 0.8 });
    const chained = new ChainedScheduler(null, { schedulers: [constant, exponential] });
    const step = new StepLR(optimizer, { stepSize: 2, gamma: 0.1 });
    // PyTorch warns twice here: the initial step of the chain steps both children a second time
    const { result: scheduler, warnings } = captureWarnings(() => new SequentialLR(optimizer, { schedulers: [chained, step], milestones: [3] }));
    expect(warnings).to.have.length(2);
    expectBits(runSchedule(optimizer, scheduler, 7), [
      0.04000000000000001, 0.03200000000000001, 0.051200000000000016, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002,
      0.0010000000000000002,
    ]);
    expect(constant.lastEpoch).to.equal(2);
    expect(exponential.lastEpoch).to.equal(2);
  });

  it('raises NotImplementedError when a nested composite is reached at a milestone (PyTorch: _update_lr(0) -> get_lr())', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const step = new StepLR(optimizer, { stepSize: 3, gamma: 0.1 });
    const a = new ExponentialLR(optimizer, { gamma: 0.5 });
    const b = new LinearLR(optimizer, { startFactor: 0.5, endFactor: 1.0, totalIters: 2 });
    const inner = new SequentialLR(optimizer, { schedulers: [a, b], milestones: [2] });
    const outer = new SequentialLR(optimizer, { schedulers: [step, inner], milestones: [2] });
    optimizer.step();
    outer.step();
    expectBits(outer.getLastLr(), [0.1]);
    expect(thrown(() => outer.step()).pythonType).to.equal('NotImplementedError');
    expect(inner.lastEpoch).to.equal(0);
  });

  it('rejects step(epoch) with the TypeError Python raises, changing nothing', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.25 }]);
    const a = new ExponentialLR(optimizer, { gamma: 0.9 });
    const b = new StepLR(optimizer, { stepSize: 2 });
    const scheduler = new SequentialLR(optimizer, { schedulers: [a, b], milestones: [2] });
    const error = thrown(() => (scheduler.step as (epoch?: number) => void)(5));
    expect(error.pythonType).to.equal('TypeError');
    expect(error.message).to.equal('SequentialLR.step() takes 1 positional argument but 2 were given');
    expect(scheduler.lastEpoch).to.equal(0);
  });

  it('throws NotImplementedError from getLr(), as PyTorch does', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new SequentialLR(optimizer, { schedulers: [new ExponentialLR(optimizer, { gamma: 0.5 })], milestones: [] });
    expect(thrown(() => scheduler.getLr()).pythonType).to.equal('NotImplementedError');
  });

  it('throws PyTorch errors for bad arguments', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.15 }]);
    const other = new VirtualOptimizer([{ lr: 0.15 }]);
    const a = new ExponentialLR(optimizer, { gamma: 0.1 });
    const plateau = new ReduceLROnPlateau(optimizer);
    const elsewhere = new StepLR(other, { stepSize: 2 });
    const cases: Array<[() => unknown, string, string]> = [
      [() => new SequentialLR(optimizer, { schedulers: [], milestones: [] }), 'SequentialLR expects at least one scheduler, but got no scheduler.', 'ValueError'],
      [
        () => new SequentialLR(optimizer, { schedulers: [a, plateau], milestones: [3] }),
        'SequentialLR does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified when calling `step`, but got one at index 1 in the given schedulers sequence.',
        'ValueError',
      ],
      [
        () => new SequentialLR(optimizer, { schedulers: [a, elsewhere], milestones: [3] }),
        'SequentialLR expects all schedulers to belong to the same optimizer, but got scheduler StepLR at index 1 has a different optimizer (other param groups).',
        'ValueError',
      ],
      [
        () => new SequentialLR(optimizer, { schedulers: [a, a], milestones: [2, 4] }),
        'SequentialLR: Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 2 and the number of milestones to be equal to 2',
        'ValueError',
      ],
      [() => new SequentialLR(optimizer, { schedulers: [a, {} as never], milestones: [2] }), 'SequentialLR at index 1 should have `optimizer` as its attribute.', 'TypeError'],
      [() => new SequentialLR(optimizer, { schedulers: [a], milestones: 3 as never }), 'SequentialLR: option "milestones" must be a list of numbers, got 3', 'TypeError'],
    ];
    expectInvalidArguments(cases);
    expect(a.lastEpoch).to.equal(0);
    expect(optimizer.paramGroups[0].lr).to.equal(0.15);
  });

  it('has the state dict keys of PyTorch, nesting the children state dicts', () => {
    const { optimizer, scheduler } = docExample();
    runSchedule(optimizer, scheduler, 4);
    const state = scheduler.stateDict();
    expect(Object.keys(state).sort()).to.deep.equal(['__scheduler__', '_last_lr', '_milestones', '_schedulers', 'last_epoch']);
    expect(state._milestones).to.deep.equal([2]);
    expect(state.last_epoch).to.equal(4);
    expect(state._last_lr).to.deep.equal([0.81]);
    const [first, second] = state._schedulers as Array<Record<string, unknown>>;
    expect(first).to.include({ last_epoch: 1, _step_count: 2, factor: 0.1 });
    expect(second).to.include({ last_epoch: 2, _step_count: 3, gamma: 0.9 });
  });

  it('resumes exactly in fresh objects from a saved state', () => {
    const first = docExample();
    runSchedule(first.optimizer, first.scheduler, 3);
    const saved = JSON.parse(JSON.stringify(first.scheduler.stateDict()));
    const optimizerState = JSON.parse(JSON.stringify(first.optimizer.paramGroups));
    const second = docExample();
    second.optimizer.paramGroups.forEach((group, i) => Object.assign(group, optimizerState[i]));
    second.scheduler.loadStateDict(saved);
    expect(second.scheduler.lastEpoch).to.equal(3);
    expectBits(runSchedule(second.optimizer, second.scheduler, 1), [0.9, 0.81]);
  });

  it('validates every child state before applying anything', () => {
    const { constant, scheduler } = docExample();
    const state = JSON.parse(JSON.stringify(scheduler.stateDict()));
    state.last_epoch = 7;
    state._schedulers[0].last_epoch = 9;
    state._schedulers[1].gamma = 'fast';
    expect(() => scheduler.loadStateDict(state)).to.throw(InvalidStateError, /ExponentialLR.*gamma/);
    expect(scheduler.lastEpoch).to.equal(0);
    expect(constant.lastEpoch).to.equal(0);
    const short = JSON.parse(JSON.stringify(scheduler.stateDict()));
    short._schedulers.pop();
    expect(() => scheduler.loadStateDict(short)).to.throw(InvalidStateError, /_schedulers/);
  });

  it('names where a bad child state sits: the parent, the path and the child class (issue 15 #7)', () => {
    const { scheduler } = docExample();
    const state = JSON.parse(JSON.stringify(scheduler.stateDict()));
    state._schedulers[1].gamma = 'fast';
    expect(() => scheduler.loadStateDict(state)).to.throw(
      InvalidStateError,
      /^SequentialLR\.loadStateDict: _schedulers\[1\] \(ExponentialLR\): key "gamma" must be a finite number, got "fast"$/,
    );
    state._schedulers[1] = { __scheduler__: 'StepLR' };
    expect(() => scheduler.loadStateDict(state)).to.throw(
      InvalidStateError,
      /^SequentialLR\.loadStateDict: _schedulers\[1\] \(ExponentialLR\): key "__scheduler__" must be "ExponentialLR", got "StepLR"$/,
    );
    // Deeper: a ChainedScheduler inside a SequentialLR.
    const optimizer = new VirtualOptimizer([{ lr: 1 }]);
    const chained = new ChainedScheduler(null, { schedulers: [new ConstantLR(optimizer, { factor: 0.5 }), new ExponentialLR(optimizer, { gamma: 0.9 })] });
    const outer = new SequentialLR(optimizer, { schedulers: [new StepLR(optimizer, { stepSize: 2 }), chained], milestones: [3] });
    const nested = JSON.parse(JSON.stringify(outer.stateDict()));
    nested._schedulers[1]._schedulers[0].factor = 'nan';
    expect(() => outer.loadStateDict(nested)).to.throw(
      InvalidStateError,
      /^SequentialLR\.loadStateDict: _schedulers\[1\]\._schedulers\[0\] \(ConstantLR\): key "factor" must be a number in \(0, 1\], got "nan"$/,
    );
  });

  it('emits the optimizer-order warning of its children, as PyTorch does', () => {
    const optimizer = new VirtualOptimizer([{ lr: 1.0 }]);
    const a = new ExponentialLR(optimizer, { gamma: 0.5 });
    const b = new ExponentialLR(optimizer, { gamma: 0.9 });
    const scheduler = new SequentialLR(optimizer, { schedulers: [a, b], milestones: [2] });
    const { warnings } = captureWarnings(() => scheduler.step());
    expect(warnings.map((w) => w.message)).to.have.length(1);
    expect(warnings[0].message).to.match(/before `optimizer.step\(\)`/);
  });

  it('is built by createScheduler from PyTorch keyword names', () => {
    const { optimizer, constant, exponential } = docExampleChildren();
    const scheduler = createScheduler(optimizer, 'SequentialLR', { schedulers: [constant, exponential], milestones: [2], last_epoch: -1 });
    expectBits(runSchedule(optimizer, scheduler, 4), [0.1, 0.1, 1.0, 0.9, 0.81]);
  });
});
