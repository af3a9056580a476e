import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { InvalidArgumentError, InvalidStateError, OneCycleLR, PythonArithmeticError, VirtualOptimizer, type JsonValue } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runScheduleWithMomentum } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

describe('OneCycleLR', () => {
  it('rises to maxLr and cosine-anneals to the final lr, cycling momentum inversely', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10 });
    const { lrs, momentums } = runScheduleWithMomentum(optimizer, scheduler, 10);
    // PyTorch 2.13: SGD(momentum=0.99), OneCycleLR(max_lr=0.1, total_steps=10), 10 steps
    expectBits(lrs, [
      0.0040000000000000036, 0.052000000000000005, 0.1, 0.09504846320134738, 0.0811745653949763, 0.06112620219362893,
      0.03887419780637107, 0.0188258346050237, 0.004951936798652629, 4e-7, 0.004951936798652624,
    ]);
    expectBits(momentums, [
      0.95, 0.8999999999999999, 0.85, 0.854951556604879, 0.8688255099070633, 0.8888739533021842, 0.9111260466978157,
      0.9311744900929366, 0.945048443395121, 0.95, 0.945048443395121,
    ]);
  });

  it('anneals linearly in three phases', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new OneCycleLR(optimizer, {
      maxLr: 0.01, totalSteps: 12, annealStrategy: 'linear', threePhase: true, divFactor: 10, finalDivFactor: 100, baseMomentum: 0.8, maxMomentum: 0.9,
    });
    const { lrs, momentums } = runScheduleWithMomentum(optimizer, scheduler, 12);
    // PyTorch 2.13: anneal_strategy='linear', three_phase=True, div_factor=10.0, final_div_factor=100.0,
    // base_momentum=0.8, max_momentum=0.9 (step 12 extrapolates below the final lr, as in PyTorch)
    expectBits(lrs, [
      0.001, 0.004461538461538463, 0.007923076923076925, 0.008615384615384615, 0.005153846153846152, 0.0016923076923076891,
      0.0008634482758620688, 0.0006927586206896552, 0.0005220689655172413, 0.0003513793103448275, 0.00018068965517241387,
      1.0000000000000026e-5, -0.0001606896551724136,
    ]);
    expectBits(momentums, [
      0.9, 0.8615384615384616, 0.823076923076923, 0.8153846153846155, 0.8538461538461539, 0.8923076923076924, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9,
    ]);
  });

  it('takes the cycle length from epochs x stepsPerEpoch', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, epochs: 2, stepsPerEpoch: 3, pctStart: 0.5 });
    expect(scheduler.totalSteps).to.equal(6);
    // PyTorch 2.13: max_lr=0.1, epochs=2, steps_per_epoch=3, pct_start=0.5
    expectBits(runScheduleWithMomentum(optimizer, scheduler, 6).lrs, [0.0040000000000000036, 0.052000000000000005, 0.1, 0.0750001, 0.025000300000000013, 4e-7, 0.025000299999999982]);
  });

  it("cycles Adam's beta1", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.4, betas: [0.99, 0.995] }]);
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.01, totalSteps: 6 });
    const { lrs, momentums } = runScheduleWithMomentum(optimizer, scheduler, 6);
    // PyTorch 2.13: Adam(betas=(0.99, 0.995)), OneCycleLR(max_lr=0.01, total_steps=6)
    expectBits(lrs, [0.0003999999999999993, 0.009944154354509118, 0.00811745653949763, 0.00462637102666975, 0.001334775301888306, 4e-8, 0.0013347753018883054]);
    expectBits(momentums, [0.95, 0.8505584586887436, 0.8688255099070633, 0.9037365046793212, 0.9366525935914912, 0.95, 0.9366525935914912]);
    expect(optimizer.paramGroups[0].betas?.[1]).to.equal(0.995);
  });

  it('writes initial_lr, max_lr, min_lr, max_momentum and base_momentum into the groups', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10 });
    const { initial_lr, max_lr, min_lr, max_momentum, base_momentum } = optimizer.paramGroups[0];
    // PyTorch 2.13: the group's keys after construction
    expect({ initial_lr, max_lr, min_lr, max_momentum, base_momentum }).to.deep.equal({
      initial_lr: 0.004, max_lr: 0.1, min_lr: 4e-7, max_momentum: 0.95, base_momentum: 0.85,
    });
  });

  it("throws PyTorch's ValueError when stepped past totalSteps", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.01, momentum: 0.8 }]);
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.25, totalSteps: 5 });
    runScheduleWithMomentum(optimizer, scheduler, 5);
    expect(() => scheduler.step()).to.throw(InvalidArgumentError, 'OneCycleLR: Tried to step 6 times. The specified number of total steps is 5');
    expect(scheduler.lastEpoch).to.equal(6);
  });

  it("raises Python's ZeroDivisionError at the last step when pctStart is 1 (PyTorch does)", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.4, momentum: 0.8 }]);
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.4, pctStart: 1.0, totalSteps: 8 });
    const { lrs } = runScheduleWithMomentum(optimizer, scheduler, 7);
    expect(lrs[7]).to.equal(0.4);
    expect(() => scheduler.step()).to.throw(PythonArithmeticError, /float division by zero/);
  });

  it('reads max_lr and friends from the groups when resuming, with KeyError when missing', () => {
    const resumed = new VirtualOptimizer([
      { lr: 0.15, momentum: 0.99, initial_lr: 0.004, max_lr: 0.1, min_lr: 4e-7, max_momentum: 0.95, base_momentum: 0.85 },
    ]);
    const scheduler = new OneCycleLR(resumed, { maxLr: 0.5, totalSteps: 10, lastEpoch: 4 });
    // PyTorch 2.13: OneCycleLR-resume-001 (the group keys, not the arguments, decide)
    expectBits(runScheduleWithMomentum(resumed, scheduler, 2).lrs, [0.06112620219362893, 0.03887419780637107, 0.0188258346050237]);
    const incomplete = new VirtualOptimizer([{ lr: 0.02, momentum: 0.8, initial_lr: 0.004 }]);
    let thrown: unknown;
    try {
      new OneCycleLR(incomplete, { maxLr: 0.1, totalSteps: 10, lastEpoch: 4 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(InvalidArgumentError);
    expect((thrown as InvalidArgumentError).pythonType).to.equal('KeyError');
    expect((thrown as InvalidArgumentError).message).to.match(/"max_lr"/);
  });

  it('rejects a tfjs sgd optimizer with momentum cycling, and works with tf.train.momentum(lr, 0)', () => {
    const before = tf.memory().numTensors;
    const sgd = tf.train.sgd(0.1);
    expect(() => new OneCycleLR(sgd, { maxLr: 0.1, totalSteps: 10 })).to.throw(
      InvalidArgumentError,
      /^OneCycleLR: optimizer must support momentum or beta1 with `cycleMomentum` option enabled \(tfjs "sgd" has no momentum/,
    );
    expect(sgd.getConfig().learningRate).to.equal(0.1);
    sgd.dispose();
    const momentum: tf.Optimizer = tf.train.momentum(0.1, 0);
    const scheduler = new OneCycleLR(momentum, { maxLr: 0.1, totalSteps: 10 });
    expect(momentum.getConfig().momentum).to.equal(0.95);
    captureWarnings(() => scheduler.step());
    expectBits([momentum.getConfig().learningRate as number, momentum.getConfig().momentum as number], [0.052000000000000005, 0.8999999999999999]);
    momentum.dispose();
    (momentum as unknown as { c: tf.Tensor }).c.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it("rejects bad options with PyTorch's messages, before touching the groups", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.2, momentum: 0.8 }, { lr: 0.3, momentum: 0.8 }]);
    const make = (options: object) => () => new OneCycleLR(optimizer, options as never);
    expect(make({ maxLr: 0.1 })).to.throw(InvalidArgumentError, 'OneCycleLR: You must define either totalSteps OR (epochs AND stepsPerEpoch)');
    expect(make({ maxLr: 0.1, epochs: 3 })).to.throw(InvalidArgumentError, 'You must define either totalSteps OR (epochs AND stepsPerEpoch)');
    expect(make({ maxLr: 0.1, totalSteps: 0 })).to.throw(InvalidArgumentError, 'OneCycleLR: Expected positive integer totalSteps, but got 0');
    expect(make({ maxLr: 0.1, totalSteps: 2.5 })).to.throw(InvalidArgumentError, 'Expected positive integer totalSteps, but got 2.5');
    expect(make({ maxLr: 0.1, epochs: -1, stepsPerEpoch: 4 })).to.throw(InvalidArgumentError, 'Expected positive integer epochs, but got -1');
    expect(make({ maxLr: 0.1, epochs: 2, stepsPerEpoch: 0 })).to.throw(InvalidArgumentError, 'Expected positive integer stepsPerEpoch, but got 0');
    expect(make({ maxLr: 0.1, totalSteps: 10, pctStart: 1.5 })).to.throw(InvalidArgumentError, 'OneCycleLR: Expected float between 0 and 1 pctStart, but got 1.5');
    expect(make({ maxLr: 0.1, totalSteps: 10, pctStart: NaN })).to.throw(InvalidArgumentError, 'Expected float between 0 and 1 pctStart, but got NaN');
    expect(make({ maxLr: 0.1, totalSteps: 10, annealStrategy: 'cosine' })).to.throw(
      InvalidArgumentError,
      "OneCycleLR: annealStrategy must be one of 'cos' or 'linear', instead got cosine",
    );
    expect(make({ maxLr: [0.1, 0.2, 0.3], totalSteps: 10 })).to.throw(
      InvalidArgumentError,
      'OneCycleLR: option "maxLr" must have the same length as optimizer.paramGroups. maxLr has 3 values, paramGroups has 2.',
    );
    expect(make({ maxLr: 0.1, totalSteps: 10, divFactor: 0 })).to.throw(PythonArithmeticError, /division by zero/);
    expect(make({ maxLr: 0.1, total_steps: 10 })).to.throw(InvalidArgumentError, /unknown option "total_steps"/);
    const noMomentum = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new OneCycleLR(noMomentum, { maxLr: 0.1, totalSteps: 10 })).to.throw(
      InvalidArgumentError,
      'OneCycleLR: optimizer must support momentum or beta1 with `cycleMomentum` option enabled',
    );
    for (const group of [...optimizer.paramGroups, ...noMomentum.paramGroups]) {
      expect(Object.keys(group).filter((key) => key !== 'lr' && key !== 'momentum')).to.deep.equal([]);
    }
  });

  it('leaves momentum alone with cycleMomentum false', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.7 }]);
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10, cycleMomentum: false });
    runScheduleWithMomentum(optimizer, scheduler, 3);
    expect(optimizer.paramGroups[0].momentum).to.equal(0.7);
    expect(optimizer.paramGroups[0]).to.not.have.property('max_momentum');
    expect(scheduler.stateDict()).to.not.have.property('use_beta1');
  });

  it("writes PyTorch's state dict keys (the phase table) and resumes exactly from them", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10 });
    runScheduleWithMomentum(optimizer, scheduler, 10);
    // PyTorch 2.13: state_dict() after 10 steps of max_lr=0.1, total_steps=10
    expect(scheduler.stateDict()).to.deep.equal({
      __scheduler__: 'OneCycleLR',
      total_steps: 10,
      _schedule_phases: [
        { end_step: 2.0, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
        { end_step: 9, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
      ],
      _anneal_func_type: 'cos',
      cycle_momentum: true,
      use_beta1: false,
      base_lrs: [0.004],
      last_epoch: 10,
      _step_count: 11,
      _is_initial: false,
      _get_lr_called_within_step: false,
      _last_lr: [0.004951936798652624],
    });

    const source = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const original = new OneCycleLR(source, { maxLr: 0.2, totalSteps: 12, threePhase: true, annealStrategy: 'linear' });
    runScheduleWithMomentum(source, original, 4);
    const twin = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const restored = new OneCycleLR(twin, { maxLr: 0.2, totalSteps: 5 });
    restored.loadStateDict(JSON.parse(JSON.stringify(original.stateDict())));
    expect([restored.totalSteps, restored.annealFuncType, restored.schedulePhases.length]).to.deep.equal([12, 'linear', 3]);
    expectBits(runScheduleWithMomentum(twin, restored, 8).lrs.slice(1), runScheduleWithMomentum(source, original, 8).lrs.slice(1));
  });

  it('rejects an invalid state dict without changing anything', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10 });
    const state = scheduler.stateDict();
    expect(() => scheduler.loadStateDict({ ...state, _anneal_func_type: 'cosine', last_epoch: 5 })).to.throw(InvalidStateError, /_anneal_func_type/);
    expect(() => scheduler.loadStateDict({ ...state, _schedule_phases: [{ end_step: 3 }], last_epoch: 5 })).to.throw(InvalidStateError, /_schedule_phases/);
    expect(() => scheduler.loadStateDict({ ...state, total_steps: 0, last_epoch: 5 })).to.throw(InvalidStateError, /total_steps/);
    expect(() => scheduler.loadStateDict({ ...state, use_beta1: true, last_epoch: 5 })).to.throw(InvalidStateError, /use_beta1/);
    expect(scheduler.lastEpoch).to.equal(0);
  });

  it('loads only schedule phases the constructor could have built (issue 13 #10)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10, pctStart: 0.3 });
    const state = scheduler.stateDict();
    const before = JSON.stringify(state);
    // As saved: [{ end_step: 2, ... }, { end_step: 9, ... }] (0.3 * 10 - 1, 10 - 1)
    const phases = state._schedule_phases as Array<Record<string, JsonValue>>;
    expect(phases.map((p) => p.end_step)).to.deep.equal([2, 9]);
    const edits: Array<(p: Array<Record<string, JsonValue>>) => void> = [
      (p) => (p[0].end_step = '-inf'),
      (p) => (p[0].end_step = 'nan'),
      (p) => (p[0].end_step = -2),
      (p) => (p[0].end_step = 10),
      (p) => (p[1].end_step = 8),
      (p) => (p[1].start_lr = 'lr'),
      (p) => (p[0].end_momentum = 'momentum'),
      (p) => p.pop(),
      (p) => p.push({ ...p[1] }),
    ];
    for (const edit of edits) {
      const edited = JSON.parse(before) as typeof state;
      edit(edited._schedule_phases as Array<Record<string, JsonValue>>);
      expect(() => scheduler.loadStateDict(edited)).to.throw(InvalidStateError, /^OneCycleLR\.loadStateDict: key "_schedule_phases" must be the schedule phases of a 10-step cycle/);
      expect(JSON.stringify(scheduler.stateDict())).to.equal(before);
    }
    // The three-phase layout of the same cycle: 2, 2 * 2 = 4, 9.
    const three = new OneCycleLR(new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]), { maxLr: 0.1, totalSteps: 10, threePhase: true });
    const threeState = three.stateDict();
    expect((threeState._schedule_phases as Array<Record<string, JsonValue>>).map((p) => p.end_step)).to.deep.equal([2, 4, 9]);
    three.loadStateDict(threeState);
    scheduler.loadStateDict(JSON.parse(before) as typeof state);
  });

  it('rejects a NaN divFactor or finalDivFactor, and a divFactor that overflows the initial lr, before touching the groups', () => {
    for (const options of [{ divFactor: NaN }, { finalDivFactor: NaN }, { divFactor: 1e-310 }]) {
      const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
      expect(() => new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10, ...options })).to.throw(InvalidArgumentError, /^OneCycleLR: option "(divFactor|finalDivFactor|maxLr \/ divFactor)" must be/);
      expect(optimizer.paramGroups[0]).to.deep.equal({ lr: 0.3, momentum: 0.99 });
    }
  });

  it('warns when getLr() is called outside step(), and still writes momentum', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3, momentum: 0.99 }]);
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10 });
    optimizer.paramGroups[0].momentum = 0.5;
    const { warnings } = captureWarnings(() => scheduler.getLr());
    expect(warnings).to.have.length(1);
    expect(optimizer.paramGroups[0].momentum).to.equal(0.95);
  });
});
