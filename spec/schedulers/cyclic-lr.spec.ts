import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { CyclicLR, InvalidArgumentError, InvalidStateError, PythonArithmeticError, SchedulerTypeError, VirtualOptimizer } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runScheduleWithMomentum } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

describe('CyclicLR', () => {
  it('cycles lr up and down and momentum inversely (triangular, asymmetric steps)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.125, maxLr: 0.5, stepSizeUp: 3, stepSizeDown: 2 });
    const { lrs, momentums } = runScheduleWithMomentum(optimizer, scheduler, 12);
    // PyTorch 2.13: SGD(momentum=0.99), CyclicLR(base_lr=0.125, max_lr=0.5, step_size_up=3, step_size_down=2)
    expectBits(lrs, [
      0.125, 0.24999999999999997, 0.37499999999999994, 0.4999999999999999, 0.31249999999999994, 0.125, 0.2500000000000001,
      0.37499999999999994, 0.4999999999999999, 0.31250000000000017, 0.125, 0.2500000000000001, 0.37499999999999994,
    ]);
    expectBits(momentums, [
      0.9, 0.8666666666666667, 0.8333333333333334, 0.8, 0.8500000000000001, 0.9, 0.8666666666666667, 0.8333333333333334, 0.8,
      0.85, 0.9, 0.8666666666666667, 0.8333333333333334,
    ]);
  });

  it('halves the amplitude every cycle in triangular2 mode', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.01, maxLr: 0.1, mode: 'triangular2', stepSizeUp: 2 });
    const { lrs, momentums } = runScheduleWithMomentum(optimizer, scheduler, 12);
    // PyTorch 2.13: mode='triangular2', step_size_up=2
    expectBits(lrs, [0.01, 0.05500000000000001, 0.1, 0.05500000000000001, 0.01, 0.0325, 0.05500000000000001, 0.0325, 0.01, 0.02125, 0.0325, 0.02125, 0.01]);
    expectBits(momentums, [0.9, 0.8500000000000001, 0.8, 0.8500000000000001, 0.9, 0.875, 0.8500000000000001, 0.875, 0.9, 0.8875000000000001, 0.875, 0.8875000000000001, 0.9]);
  });

  it('scales the amplitude by gamma ** iteration in exp_range mode', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.05, maxLr: 0.5, mode: 'exp_range', gamma: 0.9, stepSizeUp: 2 });
    const { lrs } = runScheduleWithMomentum(optimizer, scheduler, 10);
    // PyTorch 2.13: mode='exp_range', gamma=0.9, step_size_up=2
    expectBits(lrs, [
      0.05, 0.2525, 0.41450000000000004, 0.21402500000000002, 0.05, 0.18286025, 0.28914845000000006, 0.15761680250000004, 0.05,
      0.13716961002500003, 0.20690529804500007,
    ]);
    expect(scheduler.scaleMode).to.equal('iterations');
  });

  it('calls a custom scaleFn with the cycle number or the iteration, per scaleMode', () => {
    const byCycle = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const seen: number[] = [];
    const halving = (x: number): number => {
      seen.push(x);
      return 0.5 ** (x - 1);
    };
    const cycleScheduler = new CyclicLR(byCycle, { baseLr: 0.1, maxLr: 0.4, scaleFn: halving, stepSizeUp: 2 });
    // PyTorch 2.13: scale_fn=lambda x: 0.5 ** (x - 1), scale_mode='cycle' (the default)
    expectBits(runScheduleWithMomentum(byCycle, cycleScheduler, 8).lrs, [0.1, 0.25, 0.4, 0.25, 0.1, 0.17500000000000002, 0.25, 0.17500000000000002, 0.1]);
    // once for the lr and once for the momentum of the one group, every step
    expect(seen.slice(0, 6)).to.deep.equal([1, 1, 1, 1, 1, 1]);
    const byIteration = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const iterationScheduler = new CyclicLR(byIteration, { baseLr: 0.1, maxLr: 0.4, scaleFn: (x) => 0.5 ** (x - 1), scaleMode: 'iterations', stepSizeUp: 2 });
    // PyTorch 2.13: the same with scale_mode='iterations'
    expectBits(runScheduleWithMomentum(byIteration, iterationScheduler, 8).lrs, [0.1, 0.25, 0.25, 0.1375, 0.1, 0.109375, 0.109375, 0.10234375000000001, 0.1]);
  });

  it('writes baseLr, momentum, max_momentum and base_momentum into the groups at construction', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }, { lr: 0.2, momentum: 0.5 }]);
    new CyclicLR(optimizer, { baseLr: [0.01, 0.02], maxLr: 0.1, baseMomentum: [0.8, 0.7], maxMomentum: [0.9, 0.85] });
    const [first, second] = optimizer.paramGroups;
    expect([first.lr, first.momentum, first.max_momentum, first.base_momentum, first.initial_lr]).to.deep.equal([0.01, 0.9, 0.9, 0.8, 0.01]);
    expect([second.lr, second.momentum, second.max_momentum, second.base_momentum, second.initial_lr]).to.deep.equal([0.02, 0.85, 0.85, 0.7, 0.02]);
  });

  it("uses the groups' initial_lr in the initial step when resuming, baseLr afterwards (PyTorch quirk)", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.4, momentum: 0.99, initial_lr: 0.15 }]);
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.1, maxLr: 0.4, stepSizeUp: 3, lastEpoch: 5 });
    const { lrs, momentums } = runScheduleWithMomentum(optimizer, scheduler, 4);
    // PyTorch 2.13: last_epoch=5 with initial_lr 0.15 (the group's lr is not overwritten by base_lr)
    expectBits(lrs, [0.15, 0.20000000000000018, 0.2999999999999998, 0.4, 0.2999999999999998]);
    expectBits(momentums, [0.9, 0.8666666666666666, 0.8333333333333335, 0.8, 0.8333333333333335]);
    expectBits(scheduler.baseLrs, [0.1]);
  });

  it("cycles Adam's beta1 and keeps beta2", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.4, betas: [0.99, 0.995] }]);
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.001, maxLr: 0.01, stepSizeUp: 2 });
    expect(scheduler.useBeta1).to.equal(true);
    const { lrs, momentums } = runScheduleWithMomentum(optimizer, scheduler, 5);
    // PyTorch 2.13: Adam(betas=(0.99, 0.995)), CyclicLR(base_lr=0.001, max_lr=0.01, step_size_up=2)
    expectBits(lrs, [0.001, 0.0055000000000000005, 0.010000000000000002, 0.0055000000000000005, 0.001, 0.0055000000000000005]);
    expectBits(momentums, [0.9, 0.8500000000000001, 0.8, 0.8500000000000001, 0.9, 0.8500000000000001]);
    expect(optimizer.paramGroups[0].betas?.[1]).to.equal(0.995);
  });

  it("moves momentum also when getLr() is called outside step(), with PyTorch's warning", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.1, maxLr: 0.4, stepSizeUp: 2 });
    runScheduleWithMomentum(optimizer, scheduler, 1);
    optimizer.paramGroups[0].momentum = 0.5;
    const { result, warnings } = captureWarnings(() => scheduler.getLr().slice());
    expect(warnings).to.have.length(1);
    expectBits(result, [0.25]);
    expectBits([optimizer.paramGroups[0].momentum as number], [0.8500000000000001]);
  });

  it('rejects a tfjs sgd optimizer with momentum cycling, and works with tf.train.momentum(lr, 0)', () => {
    const before = tf.memory().numTensors;
    const sgd = tf.train.sgd(0.1);
    expect(() => new CyclicLR(sgd, { baseLr: 0.01, maxLr: 0.1 })).to.throw(
      InvalidArgumentError,
      /^CyclicLR: optimizer must support momentum or beta1 with `cycleMomentum` option enabled \(tfjs "sgd" has no momentum.*tf\.train\.momentum\(lr, 0\)/,
    );
    expect(sgd.getConfig().learningRate).to.equal(0.1);
    new CyclicLR(sgd, { baseLr: 0.01, maxLr: 0.1, cycleMomentum: false });
    expect(sgd.getConfig().learningRate).to.equal(0.01);
    sgd.dispose();

    const momentum: tf.Optimizer = tf.train.momentum(0.1, 0);
    const variable = tf.tidy(() => tf.variable(tf.zeros([2])));
    const scheduler = new CyclicLR(momentum, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
    expect(momentum.getConfig().momentum).to.equal(0.9);
    tf.tidy(() => momentum.applyGradients({ [variable.name]: tf.ones([2]) }));
    scheduler.step();
    expectBits([momentum.getConfig().momentum as number], [0.8500000000000001]);
    expectBits([momentum.getConfig().learningRate as number], [0.05500000000000001]);
    momentum.dispose();
    (momentum as unknown as { c: tf.Tensor }).c.dispose();
    variable.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it("rejects bad options with PyTorch's messages, before touching the groups", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.2, momentum: 0.8 }, { lr: 0.3, momentum: 0.8 }]);
    const make = (options: object) => () => new CyclicLR(optimizer, options as never);
    expect(make({ baseLr: [0.01, 0.02, 0.03], maxLr: 0.1 })).to.throw(
      InvalidArgumentError,
      'CyclicLR: option "baseLr" must have the same length as optimizer.paramGroups. baseLr has 3 values, paramGroups has 2.',
    );
    expect(make({ baseLr: 0.01, maxLr: 0.1, mode: 'triangle' })).to.throw(InvalidArgumentError, /^CyclicLR: mode is invalid and scaleFn is null/);
    expect(make({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 0 })).to.throw(InvalidArgumentError, /"stepSizeUp" must be a non-zero finite number/);
    expect(make({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2, stepSizeDown: -2 })).to.throw(PythonArithmeticError, /division by zero/);
    expect(make({ baseLr: 0.01, maxLr: 0.1, scaleFn: 3 })).to.throw(InvalidArgumentError, /"scaleFn" must be a function/);
    expect(make({ maxLr: 0.1 })).to.throw(InvalidArgumentError, /"baseLr"/);
    expect(make({ baseLr: 0.01, maxLr: 0.1, base_lr: 0.01 })).to.throw(InvalidArgumentError, /unknown option "base_lr"/);
    expect(optimizer.paramGroups.map((g) => [g.lr, g.momentum])).to.deep.equal([[0.2, 0.8], [0.3, 0.8]]);
    const noMomentum = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new CyclicLR(noMomentum, { baseLr: 0.01, maxLr: 0.1 })).to.throw(
      InvalidArgumentError,
      'CyclicLR: optimizer must support momentum or beta1 with `cycleMomentum` option enabled',
    );
    expect(noMomentum.paramGroups[0].lr).to.equal(0.1);
  });

  it('accepts an invalid mode when a custom scaleFn replaces it', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.9 }]);
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.1, maxLr: 0.3, mode: 'bogus' as never, scaleFn: () => 1 });
    expect(scheduler.mode).to.equal('bogus');
  });

  it("writes PyTorch's state dict keys and re-derives the built-in scale function on load", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.05, maxLr: 0.5, mode: 'exp_range', gamma: 0.9, stepSizeUp: 2 });
    runScheduleWithMomentum(optimizer, scheduler, 10);
    // PyTorch 2.13: state_dict() after 10 steps (_scale_fn_ref is not stored)
    expect(scheduler.stateDict()).to.deep.equal({
      __scheduler__: 'CyclicLR',
      max_lrs: [0.5],
      total_size: 4,
      step_ratio: 0.5,
      mode: 'exp_range',
      gamma: 0.9,
      scale_mode: 'iterations',
      cycle_momentum: true,
      use_beta1: false,
      base_momentums: [0.8],
      max_momentums: [0.9],
      base_lrs: [0.05],
      last_epoch: 10,
      _step_count: 11,
      _is_initial: false,
      _get_lr_called_within_step: false,
      _last_lr: [0.20690529804500007],
      _scale_fn_custom: null,
    });
    const twin = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const restored = new CyclicLR(twin, { baseLr: 0.01, maxLr: 0.1, mode: 'triangular', stepSizeUp: 7 });
    restored.loadStateDict(JSON.parse(JSON.stringify(scheduler.stateDict())));
    expect([restored.mode, restored.scaleMode, restored.scaleFn(2)]).to.deep.equal(['exp_range', 'iterations', 0.81]);
    expectBits(runScheduleWithMomentum(twin, restored, 5).lrs.slice(1), runScheduleWithMomentum(optimizer, scheduler, 5).lrs.slice(1));
  });

  it('keeps its live custom scaleFn on load', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.1, maxLr: 0.3, scaleFn: () => 0.5, scaleMode: 'iterations' });
    const state = scheduler.stateDict();
    expect(state._scale_fn_custom).to.equal(null);
    const other = new CyclicLR(new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]), { baseLr: 0.1, maxLr: 0.3, scaleFn: () => 0.25 });
    other.loadStateDict(state);
    expect([other.scaleMode, other.scaleFn(3)]).to.deep.equal(['iterations', 0.25]);
  });

  it('accepts stepSizeDown 0 as PyTorch does, and its state (step_ratio 1) loads back', () => {
    // PyTorch 2.13: base_lr=0.1, max_lr=0.5, step_size_up=2, step_size_down=0 -> 0.1, 0.30000000000000004, 0.1, ...
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.9 }]);
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.1, maxLr: 0.5, stepSizeUp: 2, stepSizeDown: 0 });
    expectBits(runScheduleWithMomentum(optimizer, scheduler, 4).lrs, [0.1, 0.30000000000000004, 0.1, 0.30000000000000004, 0.1]);
    const state = scheduler.stateDict();
    expect(state.step_ratio).to.equal(1);
    const fresh = new CyclicLR(new VirtualOptimizer([{ lr: 0.3, momentum: 0.9 }]), { baseLr: 0.1, maxLr: 0.5, stepSizeUp: 2, stepSizeDown: 0 });
    fresh.loadStateDict(state);
    expect(fresh.stateDict()).to.deep.equal(state);
  });

  it('rejects an infinite step size, whose step ratio would make every lr NaN, before touching the groups', () => {
    for (const options of [{ stepSizeUp: Infinity }, { stepSizeUp: 2, stepSizeDown: Infinity }, { stepSizeUp: 2, stepSizeDown: NaN }]) {
      const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.9 }]);
      expect(() => new CyclicLR(optimizer, { baseLr: 0.1, maxLr: 0.5, ...options })).to.throw(InvalidArgumentError, /^CyclicLR: option "stepSize(Up|Down)" must be a/);
      expect(optimizer.paramGroups[0]).to.deep.equal({ lr: 0.3, momentum: 0.9 });
    }
  });

  it('throws a TypeError naming the value when a custom scaleFn returns no number', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.9 }]);
    const scaleFn = ((x: number) => (x < 2 ? 1 : undefined)) as unknown as (x: number) => number;
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.1, maxLr: 0.5, stepSizeUp: 1, scaleFn, scaleMode: 'iterations' });
    optimizer.step();
    scheduler.step();
    const lr = optimizer.paramGroups[0].lr;
    expect(() => scheduler.step()).to.throw(SchedulerTypeError, 'CyclicLR: scaleFn(2) returned undefined, expected a number');
    expect(optimizer.paramGroups[0].lr).to.equal(lr);
  });

  it('rejects an invalid state dict without changing anything', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new CyclicLR(optimizer, { baseLr: 0.1, maxLr: 0.3 });
    const state = scheduler.stateDict();
    expect(() => scheduler.loadStateDict({ ...state, mode: 'bogus', last_epoch: 5 })).to.throw(InvalidStateError, /mode/);
    expect(() => scheduler.loadStateDict({ ...state, total_size: 0, last_epoch: 5 })).to.throw(InvalidStateError, /total_size/);
    expect(() => scheduler.loadStateDict({ ...state, max_momentums: [0.9, 0.9], last_epoch: 5 })).to.throw(InvalidStateError, /max_momentums/);
    expect(() => scheduler.loadStateDict({ ...state, use_beta1: true, last_epoch: 5 })).to.throw(InvalidStateError, /use_beta1/);
    expect(scheduler.lastEpoch).to.equal(0);
  });
});
