import { expect } from 'chai';
import {
  createScheduler,
  InvalidArgumentError,
  InvalidStateError,
  LRSchedulerError,
  ReduceLROnPlateau,
  VirtualOptimizer,
  type ReduceLROnPlateauOptions,
} from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { captureWarnings } from '../helpers/warnings';

/** Steps a fresh ReduceLROnPlateau through `metrics`; returns every group's lr after each step. */
function run(lrs: number[], metrics: number[], options: ReduceLROnPlateauOptions): { history: number[][]; scheduler: ReduceLROnPlateau } {
  const optimizer = new VirtualOptimizer(lrs.map((lr) => ({ lr })));
  const scheduler = new ReduceLROnPlateau(optimizer, options);
  const history: number[][] = [];
  for (const metric of metrics) {
    optimizer.step();
    scheduler.step(metric);
    history.push(optimizer.paramGroups.map((group) => group.lr));
  }
  return { history, scheduler };
}

// Expected values below come from PyTorch 2.13 (torch.optim.lr_scheduler.ReduceLROnPlateau, CPython 3.11).
describe('ReduceLROnPlateau', () => {
  it('makes no initial step: lastEpoch 0, getLastLr() the groups lrs, no initial_lr, no warning', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.02 }]);
    const { result: scheduler, warnings } = captureWarnings(() => new ReduceLROnPlateau(optimizer));
    expect(scheduler.lastEpoch).to.equal(0);
    expectBits(scheduler.getLastLr(), [0.1, 0.02]);
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
    expect(warnings).to.deep.equal([]);
    expect(scheduler.best).to.equal(Infinity);
  });

  it('reduces by factor after more than patience epochs without improvement (min, rel)', () => {
    const { history, scheduler } = run([0.1], [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.8999, 0.8], { patience: 2, factor: 0.5 });
    expectBits(history.flat(), [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05]);
    expect(scheduler.best).to.equal(0.8);
    expect(scheduler.lastEpoch).to.equal(9);
  });

  it('compares with best + threshold in max mode with an absolute threshold', () => {
    const { history, scheduler } = run([0.1], [1.0, 1.2, 1.25, 1.3, 1.3, 1.31, 1.5], {
      mode: 'max',
      thresholdMode: 'abs',
      threshold: 0.05,
      patience: 1,
      factor: 0.1,
    });
    expectBits(history.flat(), [0.1, 0.1, 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002]);
    expect(scheduler.best).to.equal(1.5);
  });

  it('applies the relative threshold to negative metrics as PyTorch does (best * (1 - threshold))', () => {
    // best * (1 - 1e-4) is above a negative best, so a slightly larger metric still counts as better
    const min = run([0.3], [-1.0, -1.00005, -1.1, -1.2], { patience: 0, factor: 0.5 });
    expectBits(min.history.flat(), [0.3, 0.3, 0.3, 0.3]);
    expect(min.scheduler.best).to.equal(-1.2);
    const max = run([0.3], [-1.0, -0.9, -0.8999, -0.5], { mode: 'max', patience: 0, factor: 0.5, threshold: 0.1 });
    expectBits(max.history.flat(), [0.3, 0.3, 0.3, 0.3]);
  });

  it('ignores bad epochs during cooldown', () => {
    const { history } = run([1.0], [1.0, 2, 2, 2, 2, 2, 2, 2, 2, 2], { patience: 1, cooldown: 2, factor: 0.5 });
    expectBits(history.flat(), [1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25]);
  });

  it('floors each group at its own minLr', () => {
    const { history, scheduler } = run([1.0, 0.5, 0.1], [1.0, 2, 2, 2], { patience: 0, factor: 0.5, minLr: [0.3, 0.2, 0.1] });
    expectBits(history.flat(), [1.0, 0.5, 0.1, 0.5, 0.25, 0.1, 0.3, 0.2, 0.1, 0.3, 0.2, 0.1]);
    expect(scheduler.defaultMinLr).to.equal(null);
    expect(scheduler.minLrs).to.deep.equal([0.3, 0.2, 0.1]);
  });

  it('skips a reduction smaller than eps', () => {
    const { history } = run([1e-7], [1.0, 2.0, 2.0], { patience: 0, factor: 0.95, eps: 1e-8 });
    expectBits(history.flat(), [1e-7, 1e-7, 1e-7]);
  });

  it('drops to minLr with factor 0 and with a negative factor (max(lr * factor, minLr))', () => {
    expectBits(run([1.0], [1.0, 2.0], { patience: 0, factor: 0, minLr: 0.01 }).history.flat(), [1.0, 0.01]);
    expectBits(run([1.0], [1.0, 2.0], { patience: 0, factor: -0.5 }).history.flat(), [1.0, 0]);
  });

  it('never reduces with a NaN factor (old - NaN > eps is false)', () => {
    expectBits(run([1.0], [1.0, 2.0, 3.0], { patience: 0, factor: NaN }).history.flat(), [1.0, 1.0, 1.0]);
  });

  it('never treats a NaN metric as better and counts it as a bad epoch', () => {
    const { history, scheduler } = run([1.0], [NaN, 1.0, NaN, NaN, 0.5], { patience: 1, factor: 0.5 });
    expectBits(history.flat(), [1.0, 1.0, 1.0, 0.5, 0.5]);
    expect(scheduler.best).to.equal(0.5);
  });

  it('handles infinite metrics: inf is never better than best = inf, -inf once', () => {
    const { history, scheduler } = run([1.0], [Infinity, Infinity, -Infinity, -Infinity], { patience: 0, factor: 0.5 });
    expectBits(history.flat(), [0.5, 0.25, 0.25, 0.125]);
    expect(scheduler.best).to.equal(-Infinity);
  });

  it('sets lastEpoch to the given epoch with step(metrics, epoch), warning as PyTorch does', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }]);
    const scheduler = new ReduceLROnPlateau(optimizer, { patience: 1, factor: 0.5 });
    scheduler.step(1.0);
    const { warnings } = captureWarnings(() => scheduler.step(1.0, 2.5));
    expect(warnings.map((w) => w.category)).to.deep.equal(['UserWarning']);
    expect(warnings[0].message).to.match(/epoch parameter/);
    expect(scheduler.lastEpoch).to.equal(2.5);
    expectBits(scheduler.getLastLr(), [0.1, 0.2]);
    scheduler.step(1.0);
    expect(scheduler.lastEpoch).to.equal(3.5);
    expectBits(scheduler.getLastLr(), [0.05, 0.1]);
  });

  it('has the state dict keys of PyTorch, non-finite numbers encoded', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new ReduceLROnPlateau(optimizer, { mode: 'max' });
    const state = scheduler.stateDict();
    const { __scheduler__: tag, ...rest } = state;
    expect(tag).to.equal('ReduceLROnPlateau');
    expect(rest).to.deep.equal({
      factor: 0.1,
      default_min_lr: 0,
      min_lrs: [0],
      patience: 10,
      cooldown: 0,
      eps: 1e-8,
      last_epoch: 0,
      _last_lr: [0.1],
      mode_worse: '-inf',
      mode: 'max',
      threshold: 0.0001,
      threshold_mode: 'rel',
      best: '-inf',
      cooldown_counter: 0,
      num_bad_epochs: 0,
    });
    const list = new ReduceLROnPlateau(new VirtualOptimizer([{ lr: 0.1 }]), { minLr: [0.01] }).stateDict();
    expect(list.default_min_lr).to.equal(null);
  });

  it('resumes exactly from a saved state and re-derives the comparison from mode on load', () => {
    const first = run([0.001, 0.1], [1.0, 0.9, 0.95, 0.95, 0.95], { cooldown: 1, factor: 0.7, patience: 1 });
    const saved = JSON.parse(JSON.stringify(first.scheduler.stateDict()));
    // the saved mode_worse is ignored: PyTorch's load_state_dict calls _init_is_better again
    saved.mode_worse = 123;
    const optimizer = new VirtualOptimizer([{ lr: 0.0007 }, { lr: 0.06999999999999999 }]);
    const resumed = new ReduceLROnPlateau(optimizer, { mode: 'max' });
    resumed.loadStateDict(saved);
    expect(resumed.mode).to.equal('min');
    expect(resumed.modeWorse).to.equal(Infinity);
    expect(resumed.best).to.equal(0.9);
    expect(resumed.lastEpoch).to.equal(5);
    resumed.step(0.95);
    resumed.step(0.95);
    // PyTorch recording ReduceLROnPlateau-saverestore-001: epochs 6, 7
    expectBits(resumed.getLastLr(), [0.00049, 0.048999999999999995]);
    expect(resumed.lastEpoch).to.equal(7);
  });

  it('validates a state dict completely before changing anything', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new ReduceLROnPlateau(optimizer);
    const good = scheduler.stateDict();
    expect(() => scheduler.loadStateDict({ ...good, mode: 'minimum', best: 5 })).to.throw(InvalidStateError, /"mode"/);
    expect(() => scheduler.loadStateDict({ ...good, threshold_mode: 'relative', best: 5 })).to.throw(InvalidStateError, /threshold_mode/);
    expect(() => scheduler.loadStateDict({ ...good, min_lrs: [0, 0] })).to.throw(InvalidStateError, /min_lrs/);
    expect(() => scheduler.loadStateDict({ ...good, extra: 1 })).to.throw(InvalidStateError, /unexpected key "extra"/);
    expect(scheduler.best).to.equal(Infinity);
  });

  it('throws PyTorch errors for bad arguments', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.25 }, { lr: 0.08 }]);
    const fails = (options: ReduceLROnPlateauOptions, message: string | RegExp, pythonType: string): void => {
      let caught: unknown;
      try {
        new ReduceLROnPlateau(optimizer, options);
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(InvalidArgumentError);
      expect((caught as InvalidArgumentError).pythonType).to.equal(pythonType);
      if (typeof message === 'string') expect((caught as Error).message).to.equal(message);
      else expect((caught as Error).message).to.match(message);
    };
    fails({ factor: 1.0 }, 'ReduceLROnPlateau: Factor should be < 1.0.', 'ValueError');
    fails({ minLr: [0, 0, 0] }, 'ReduceLROnPlateau: expected 2 min_lrs, got 3', 'ValueError');
    fails({ mode: 'minimum' as never }, 'ReduceLROnPlateau: mode minimum is unknown!', 'ValueError');
    fails({ thresholdMode: 'relative' as never }, 'ReduceLROnPlateau: threshold mode relative is unknown!', 'ValueError');
    fails({ mode: 1 as never }, /"mode" must be "min" or "max", got 1/, 'TypeError');
    fails({ patience: '3' as never }, /"patience" must be a number/, 'TypeError');
    fails({ lastEpoch: 3 } as never, /unknown option "lastEpoch"/, 'TypeError');
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('throws a TypeError-typed error for a missing or non-number metric, before anything changes', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new ReduceLROnPlateau(optimizer);
    const { warnings } = captureWarnings(() => {
      expect(() => (scheduler.step as (m?: unknown, e?: number) => void)(undefined, 3)).to.throw(InvalidArgumentError, /metrics must be a number/);
    });
    expect(warnings).to.deep.equal([]);
    let caught: unknown;
    try {
      scheduler.step('0.5' as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).pythonType).to.equal('TypeError');
    expect(scheduler.lastEpoch).to.equal(0);
  });

  it('throws NotImplementedError from getLr(), as PyTorch does', () => {
    const scheduler = new ReduceLROnPlateau(new VirtualOptimizer([{ lr: 0.001 }]));
    scheduler.step(1.0);
    let caught: unknown;
    try {
      scheduler.getLr();
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(LRSchedulerError);
    expect((caught as LRSchedulerError).pythonType).to.equal('NotImplementedError');
    expectBits(scheduler.getLastLr(), [0.001]);
  });

  it('is built by createScheduler from PyTorch keyword names', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.5 }]);
    const scheduler = createScheduler(optimizer, 'ReduceLROnPlateau', { mode: 'max', threshold_mode: 'abs', min_lr: 0.1, patience: 0 });
    expect(scheduler).to.be.instanceOf(ReduceLROnPlateau);
    (scheduler as ReduceLROnPlateau).step(1);
    (scheduler as ReduceLROnPlateau).step(0);
    expectBits(scheduler.getLastLr(), [0.1]);
  });
});
