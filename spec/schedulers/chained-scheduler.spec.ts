import { expect } from 'chai';
import {
  asOptimizer,
  ChainedScheduler,
  ConstantLR,
  createScheduler,
  ExponentialLR,
  InvalidStateError,
  LRSchedulerError,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  VirtualOptimizer,
} from '../../lib';
import { docExampleChildren } from '../helpers/composite-fixtures';
import { expectInvalidArguments, thrown } from '../helpers/errors';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';

function docExample(): ReturnType<typeof docExampleChildren> & { scheduler: ChainedScheduler } {
  const children = docExampleChildren();
  return { ...children, scheduler: new ChainedScheduler(null, { schedulers: [children.constant, children.exponential] }) };
}

// Expected values below come from PyTorch 2.13 (torch.optim.lr_scheduler, CPython 3.11).
describe('ChainedScheduler', () => {
  it('steps every scheduler in order, so their chainable factors multiply (doc example)', () => {
    const { optimizer, scheduler } = docExample();
    expectBits(runSchedule(optimizer, scheduler, 3), [0.1, 0.09000000000000001, 0.8100000000000002, 0.7290000000000002]);
    expectBits(scheduler.getLastLr(), [0.7290000000000002]);
  });

  it("takes PyTorch's argument order, ChainedScheduler(schedulers[, optimizer]), with the same schedule", () => {
    const pytorchOrder = docExampleChildren();
    const chained = new ChainedScheduler([pytorchOrder.constant, pytorchOrder.exponential]);
    expectBits(runSchedule(pytorchOrder.optimizer, chained, 3), [0.1, 0.09000000000000001, 0.8100000000000002, 0.7290000000000002]);
    const withOptimizer = docExampleChildren();
    const explicit = new ChainedScheduler([withOptimizer.constant, withOptimizer.exponential], withOptimizer.optimizer);
    expect(explicit.optimizer.sameGroupsAs(asOptimizer(withOptimizer.optimizer))).to.equal(true);
    const other = docExampleChildren();
    expectInvalidArguments([
      [
        () => new ChainedScheduler([other.constant, other.exponential], new VirtualOptimizer([{ lr: 1 }])),
        'ChainedScheduler expects all schedulers to belong to the same optimizer, but got scheduler ConstantLR at index 0 ' +
          'has a different optimizer (other param groups).',
        'ValueError',
      ],
      [() => new ChainedScheduler([]), 'ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.', 'ValueError'],
    ]);
  });

  it('makes no step at construction and records the groups lrs', () => {
    const optimizer = new VirtualOptimizer([{ lr: 1.0 }, { lr: 0.5 }]);
    const step = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    const scheduler = new ChainedScheduler(null, { schedulers: [step] });
    expect(step.lastEpoch).to.equal(0);
    expectBits(scheduler.getLastLr(), [1.0, 0.5]);
  });

  it('exposes lastEpoch as the last chained scheduler\'s, read-only (PyTorch has no last_epoch)', () => {
    const { optimizer, exponential, scheduler } = docExample();
    expect(scheduler.lastEpoch).to.equal(0);
    runSchedule(optimizer, scheduler, 3);
    expect(scheduler.lastEpoch).to.equal(3);
    exponential.step();
    expect(scheduler.lastEpoch).to.equal(4);
    expect(() => {
      scheduler.lastEpoch = 1;
    }).to.throw(LRSchedulerError, /read-only/);
  });

  it('chains a nested SequentialLR', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const a = new ExponentialLR(optimizer, { gamma: 0.5 });
    const b = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
    const inner = new SequentialLR(optimizer, { schedulers: [a, b], milestones: [2] });
    const exponential = new ExponentialLR(optimizer, { gamma: 0.9 });
    const scheduler = new ChainedScheduler(null, { schedulers: [inner, exponential] });
    expectBits(runSchedule(optimizer, scheduler, 6), [
      0.1, 0.045000000000000005, 0.09000000000000001, 0.08100000000000002, 0.03645000000000001, 0.03280500000000001, 0.014762250000000005,
    ]);
  });

  it('accepts the optimizer positionally or as the optimizer option', () => {
    const optimizer = new VirtualOptimizer([{ lr: 1.0 }]);
    const step = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    expect(new ChainedScheduler(optimizer, { schedulers: [step] }).optimizer).to.equal(asOptimizer(optimizer));
    expect(new ChainedScheduler(null, { schedulers: [step], optimizer }).optimizer).to.equal(asOptimizer(optimizer));
    const built = createScheduler(null, 'ChainedScheduler', { schedulers: [step], optimizer });
    expect(built).to.be.instanceOf(ChainedScheduler);
  });

  it('rejects step(epoch) with the TypeError Python raises, changing nothing', () => {
    const { constant, scheduler } = docExample();
    const error = thrown(() => (scheduler.step as (epoch?: number) => void)(3));
    expect(error.pythonType).to.equal('TypeError');
    expect(error.message).to.equal('ChainedScheduler.step() takes 1 positional argument but 2 were given');
    expect(constant.lastEpoch).to.equal(0);
  });

  it('throws NotImplementedError from getLr(), as PyTorch does', () => {
    expect(thrown(() => docExample().scheduler.getLr()).pythonType).to.equal('NotImplementedError');
  });

  it('throws PyTorch errors for bad arguments', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const other = new VirtualOptimizer([{ lr: 0.1 }]);
    const exponential = new ExponentialLR(optimizer, { gamma: 0.5 });
    const plateau = new ReduceLROnPlateau(optimizer);
    const elsewhere = new StepLR(other, { stepSize: 2 });
    const cases: Array<[() => unknown, string, string]> = [
      [() => new ChainedScheduler(null, { schedulers: [] }), 'ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.', 'ValueError'],
      [
        () => new ChainedScheduler(null, { schedulers: [exponential, plateau] }),
        'ChainedScheduler does not support `ReduceLROnPlateau` scheduler as it requires additional kwargs to be specified when calling `step`, but got one at index 1 in the given schedulers sequence.',
        'ValueError',
      ],
      [
        () => new ChainedScheduler(null, { schedulers: [exponential, elsewhere] }),
        'ChainedScheduler expects all schedulers to belong to the same optimizer, but got scheduler StepLR at index 1 has a different optimizer (other param groups).',
        'ValueError',
      ],
      [
        () => new ChainedScheduler(null, { schedulers: [exponential], optimizer: other }),
        'ChainedScheduler expects all schedulers to belong to the same optimizer, but got scheduler ExponentialLR at index 0 has a different optimizer (other param groups).',
        'ValueError',
      ],
      [
        () => new ChainedScheduler(optimizer, { schedulers: [exponential], optimizer: other }),
        'ChainedScheduler: the optimizer argument and the "optimizer" option are different optimizers (give one of them)',
        'ValueError',
      ],
      [() => new ChainedScheduler(null, { schedulers: [exponential, 3 as never] }), 'ChainedScheduler at index 1 should have `optimizer` as its attribute.', 'TypeError'],
      [() => new ChainedScheduler(null, { schedulers: exponential as never }), 'ChainedScheduler: option "schedulers" must be a list of schedulers, got an object', 'TypeError'],
    ];
    expectInvalidArguments(cases);
  });

  it('has the state dict keys of PyTorch, nesting the children state dicts', () => {
    const { optimizer, scheduler } = docExample();
    runSchedule(optimizer, scheduler, 3);
    const state = scheduler.stateDict();
    expect(Object.keys(state).sort()).to.deep.equal(['__scheduler__', '_last_lr', '_schedulers']);
    expect(state._last_lr).to.deep.equal([0.7290000000000002]);
    const [first, second] = state._schedulers as Array<Record<string, unknown>>;
    expect(first).to.include({ last_epoch: 3, _step_count: 4, factor: 0.1 });
    expect(first._last_lr).to.deep.equal([0.8100000000000002]);
    expect(second).to.include({ last_epoch: 3, _step_count: 4, gamma: 0.9 });
  });

  it('resumes exactly in fresh objects, and validates every child before applying anything', () => {
    const first = docExample();
    runSchedule(first.optimizer, first.scheduler, 2);
    const saved = JSON.parse(JSON.stringify(first.scheduler.stateDict()));
    const second = docExample();
    second.optimizer.paramGroups[0].lr = first.optimizer.paramGroups[0].lr;
    const broken = JSON.parse(JSON.stringify(saved));
    broken._last_lr = [1];
    broken._schedulers[1].last_epoch = 'late';
    expect(() => second.scheduler.loadStateDict(broken)).to.throw(InvalidStateError, /ExponentialLR.*last_epoch/);
    expectBits(second.scheduler.getLastLr(), [0.1]);
    second.scheduler.loadStateDict(saved);
    expect(second.scheduler.lastEpoch).to.equal(2);
    expectBits(runSchedule(second.optimizer, second.scheduler, 1), [0.8100000000000002, 0.7290000000000002]);
  });
});
