/**
 * transformers' schedule functions: what they return and store, their arguments, checks and
 * quirks. Learning rates are transformers' (the copy in spec/fixtures/transformers/hf_optimization.py
 * run on torch 2.13, which generate.py checks against the recordings of the real file), or PyTorch
 * recordings of the corpus where named.
 */
import { expect } from 'chai';
import {
  InvalidArgumentError,
  LambdaLR,
  ReduceLROnPlateau,
  StepLR,
  VirtualOptimizer,
  getConstantSchedule,
  getConstantScheduleWithWarmup,
  getCosineScheduleWithWarmup,
  getCosineWithHardRestartsScheduleWithWarmup,
  getCosineWithMinLrScheduleWithWarmup,
  getCosineWithMinLrScheduleWithWarmupLrRate,
  getInverseSqrtSchedule,
  getLinearScheduleWithWarmup,
  getPolynomialDecayScheduleWithWarmup,
  getReduceOnPlateauSchedule,
  getWsdSchedule,
  type LRScheduler,
} from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runScheduleAllGroups } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

/** Every group's lr after construction and after each of `steps` optimizer + scheduler steps. */
function lrsOf(build: (optimizer: VirtualOptimizer) => LRScheduler, steps: number, groups = [{ lr: 0.1 }]): number[][] {
  const optimizer = new VirtualOptimizer(groups.map((group) => ({ ...group })));
  return runScheduleAllGroups(optimizer, build(optimizer), steps);
}

describe('transformers schedule functions', () => {
  it("give transformers' learning rates (the values of their documentation examples)", () => {
    const cases: Array<[string, number[][], number[]]> = [
      ['constant', lrsOf((o) => getConstantSchedule(o), 2, [{ lr: 0.001 }]), [0.001, 0.001, 0.001]],
      ['constant with warmup', lrsOf((o) => getConstantScheduleWithWarmup(o, { numWarmupSteps: 4 }), 5), [0.0, 0.025, 0.05, 0.07500000000000001, 0.1, 0.1]],
      ['linear', lrsOf((o) => getLinearScheduleWithWarmup(o, { numWarmupSteps: 2, numTrainingSteps: 6 }), 7), [0.0, 0.05, 0.1, 0.07500000000000001, 0.05, 0.025, 0.0, 0.0]],
      [
        'cosine',
        lrsOf((o) => getCosineScheduleWithWarmup(o, { numWarmupSteps: 2, numTrainingSteps: 6 }), 9),
        [0.0, 0.05, 0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.0, 0.014644660940672617, 0.04999999999999999, 0.08535533905932738],
      ],
      ['hard restarts', lrsOf((o) => getCosineWithHardRestartsScheduleWithWarmup(o, { numWarmupSteps: 0, numTrainingSteps: 4, numCycles: 2 }), 5), [0.1, 0.05, 0.1, 0.05, 0.0, 0.0]],
      ['polynomial', lrsOf((o) => getPolynomialDecayScheduleWithWarmup(o, { numWarmupSteps: 0, numTrainingSteps: 4, lrEnd: 0.02 }), 5), [0.1, 0.08, 0.06, 0.04, 0.02, 0.02]],
      [
        'inverse sqrt',
        lrsOf((o) => getInverseSqrtSchedule(o, { numWarmupSteps: 4 }), 8),
        [0.0, 0.025, 0.05, 0.07500000000000001, 0.1, 0.08944271909999159, 0.08164965809277262, 0.07559289460184544, 0.07071067811865475],
      ],
      ['cosine with min lr', lrsOf((o) => getCosineWithMinLrScheduleWithWarmup(o, { numWarmupSteps: 0, numTrainingSteps: 2, minLrRate: 0.1 }), 2), [0.1, 0.05500000000000001, 0.010000000000000002]],
      [
        'cosine with min lr, lr rate',
        lrsOf((o) => getCosineWithMinLrScheduleWithWarmupLrRate(o, { numWarmupSteps: 2, numTrainingSteps: 4, minLrRate: 0 }), 4),
        [0.05, 0.1, 0.05, 0.0, 0.04999999999999999],
      ],
      ['wsd', lrsOf((o) => getWsdSchedule(o, { numWarmupSteps: 2, numDecaySteps: 2, numStableSteps: 2, decayType: 'linear' }), 7), [0.0, 0.05, 0.1, 0.1, 0.1, 0.05, 0.0, 0.0]],
    ];
    for (const [name, actual, expected] of cases) expectBits(actual.flat(), expected, name);
  });

  it('return LambdaLR built on a partial (state lr_lambdas [{}]), get_constant_schedule on a plain function ([null])', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const cosine = getCosineScheduleWithWarmup(optimizer, { numWarmupSteps: 1, numTrainingSteps: 3 });
    expect(cosine).to.be.instanceOf(LambdaLR);
    // torch 2.13's state_dict() of transformers' get_cosine_schedule_with_warmup(optimizer, 1, 3):
    expect(cosine.stateDict()).to.deep.equal({
      __scheduler__: 'LambdaLR', base_lrs: [0.1], last_epoch: 0, _step_count: 1, _is_initial: false, _get_lr_called_within_step: false, _last_lr: [0.0], lr_lambdas: [{}],
    });
    const constant = getConstantSchedule(new VirtualOptimizer([{ lr: 0.1 }]));
    expect(constant.stateDict()).to.deep.equal({
      __scheduler__: 'LambdaLR', base_lrs: [0.1], last_epoch: 0, _step_count: 1, _is_initial: false, _get_lr_called_within_step: false, _last_lr: [0.1], lr_lambdas: [null],
    });
  });

  it('resume with lastEpoch and initial_lr: the constructor evaluates the lambda at lastEpoch + 1 (PyTorch recording Transformers-resume-001)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.01, initial_lr: 0.2 }]);
    const scheduler = getLinearScheduleWithWarmup(optimizer, { numWarmupSteps: 2, numTrainingSteps: 12, lastEpoch: 5 });
    expect(scheduler.lastEpoch).to.equal(6);
    expectBits(scheduler.getLastLr(), [0.12]);
    expect(() => getLinearScheduleWithWarmup(new VirtualOptimizer([{ lr: 0.1 }]), { numWarmupSteps: 2, numTrainingSteps: 12, lastEpoch: 5 }))
      .to.throw(InvalidArgumentError, /initial_lr/);
  });

  it('keep the cosine going past numTrainingSteps, as transformers does (no clamp)', () => {
    const lrs = lrsOf((o) => getCosineScheduleWithWarmup(o, { numWarmupSteps: 0, numTrainingSteps: 8 }), 12).flat();
    expectBits(lrs.slice(7), [0.0038060233744356634, 0.0, 0.003806023374435658, 0.014644660940672617, 0.030865828381745487, 0.04999999999999999]);
  });

  it('take lrInit and minLr relative to the first group (transformers: optimizer.defaults["lr"]) and apply the factor to every group', () => {
    const groups = [{ lr: 0.02 }, { lr: 0.5 }];
    const poly = lrsOf((o) => getPolynomialDecayScheduleWithWarmup(o, { numWarmupSteps: 1, numTrainingSteps: 4, lrEnd: 0.001, power: 2.0 }), 6, groups);
    expectBits(poly.flat(), [
      [0.0, 0.0], [0.02, 0.5], [0.009444444444444446, 0.23611111111111116], [0.0031111111111111114, 0.07777777777777778],
      [0.001, 0.025], [0.001, 0.025], [0.001, 0.025],
    ].flat());
    const minLr = lrsOf((o) => getCosineWithMinLrScheduleWithWarmup(o, { numWarmupSteps: 1, numTrainingSteps: 4, minLr: 0.002 }), 4, groups);
    expectBits(minLr.flat(), [[0.0, 0.0], [0.02, 0.5], [0.015500000000000002, 0.3875], [0.006500000000000002, 0.16250000000000006], [0.002, 0.05]].flat());
  });

  it("read the optimizer's initial lr from initial_lr once a scheduler set it, not the lr it moved", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const step = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    optimizer.step();
    step.step(); // lr 0.05, initial_lr 0.1
    expect(() => getPolynomialDecayScheduleWithWarmup(optimizer, { numWarmupSteps: 0, numTrainingSteps: 4, lrEnd: 0.07 })).to.not.throw();
    expect(() => getPolynomialDecayScheduleWithWarmup(optimizer, { numWarmupSteps: 0, numTrainingSteps: 4, lrEnd: 0.1 })).to.throw(
      InvalidArgumentError,
      'getPolynomialDecayScheduleWithWarmup: lrEnd (0.1) must be smaller than initial lr (0.1)',
    );
  });

  it('reject what transformers rejects, with its message in this package\'s spelling (PyTorch recordings Transformers-error-*)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.2 }]);
    const fails = (fn: () => unknown, message: string | RegExp, pythonType = 'ValueError'): void => {
      expect(fn).to.throw(InvalidArgumentError, message).with.property('pythonType', pythonType);
    };
    fails(() => getPolynomialDecayScheduleWithWarmup(optimizer, { numWarmupSteps: 1, numTrainingSteps: 5, lrEnd: 0.2 }), 'lrEnd (0.2) must be smaller than initial lr (0.2)');
    fails(() => getCosineWithMinLrScheduleWithWarmup(optimizer, { numWarmupSteps: 2, numTrainingSteps: 10, minLr: 0.001, minLrRate: 0.01 }), 'Only one of minLr or minLrRate should be set');
    fails(() => getCosineWithMinLrScheduleWithWarmup(optimizer, { numWarmupSteps: 2, numTrainingSteps: 10 }), /One of minLr or minLrRate should be set/);
    fails(() => getCosineWithMinLrScheduleWithWarmupLrRate(optimizer, { numWarmupSteps: 2, numTrainingSteps: 10, minLrRate: null }), /One of minLr or minLrRate/);
    fails(() => getWsdSchedule(optimizer, { numWarmupSteps: 2, numDecaySteps: 3 }), 'Either numTrainingSteps or numStableSteps must be specified.');
    fails(() => getWsdSchedule(optimizer, { numWarmupSteps: 2, numDecaySteps: 3, numTrainingSteps: 10, decayType: 'exponential' as never }), "Unknown decay type: exponential, expected 'linear', 'cosine' or '1-sqrt'");
    fails(() => getCosineWithMinLrScheduleWithWarmup(new VirtualOptimizer([{ lr: 0 }]), { numWarmupSteps: 2, numTrainingSteps: 10, minLr: 0.001 }), /minLr/, 'ZeroDivisionError');
  });

  it('warn like get_wsd_schedule when both numTrainingSteps and numStableSteps are given, before its other checks (PyTorch recording Transformers-error-005)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const { warnings } = captureWarnings(() => {
      expect(() => getWsdSchedule(optimizer, { numWarmupSteps: 2, numDecaySteps: 3, numStableSteps: 5, numTrainingSteps: 10, warmupType: 'exp' as never }))
        .to.throw(InvalidArgumentError, "Unknown warmup type: exp, expected 'linear', 'cosine' or '1-sqrt'");
    });
    expect(warnings).to.deep.equal([{ category: 'UserWarning', message: 'Both numTrainingSteps and numStableSteps are specified. numStableSteps will be used.' }]);
    // numStableSteps wins: warmup 2, stable 5 (not 10 - 2 - 3), so the decay starts at step 7.
    const { result } = captureWarnings(() => lrsOf((o) => getWsdSchedule(o, { numWarmupSteps: 2, numDecaySteps: 3, numStableSteps: 5, numTrainingSteps: 10, decayType: 'linear' }), 8));
    expectBits(result.flat().slice(6), [0.1, 0.1, 0.06666666666666668]);
  });

  it('default timescale to numWarmupSteps, or 10000 when that is 0 (Python: num_warmup_steps or 10_000)', () => {
    const withWarmup = lrsOf((o) => getInverseSqrtSchedule(o, { numWarmupSteps: 4, timescale: null }), 8).flat();
    const explicit = lrsOf((o) => getInverseSqrtSchedule(o, { numWarmupSteps: 4, timescale: 4 }), 8).flat();
    expectBits(withWarmup, explicit);
    const noWarmup = lrsOf((o) => getInverseSqrtSchedule(o, { numWarmupSteps: 0 }), 2).flat();
    expectBits(noWarmup, [0.1, 0.09999500037496878, 0.09999000149975007]);
  });

  it('throw at construction where transformers could only crash at a later step', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => getPolynomialDecayScheduleWithWarmup(optimizer, { numWarmupSteps: 4, numTrainingSteps: 4 })).to.throw(
      InvalidArgumentError,
      /option "numWarmupSteps" must be different from numTrainingSteps \(transformers divides by numTrainingSteps - numWarmupSteps and raises ZeroDivisionError at step 4\), got 4/,
    );
    expect(() => getPolynomialDecayScheduleWithWarmup(optimizer, { numWarmupSteps: 1, numTrainingSteps: 4, power: -1 })).to.throw(InvalidArgumentError, /"power" must be a number >= 0/);
    expect(() => getInverseSqrtSchedule(optimizer, { numWarmupSteps: 3, timescale: 0 })).to.throw(InvalidArgumentError, /"timescale" must be a positive number or null, got 0/);
    expect(() => getCosineScheduleWithWarmup(optimizer, { numWarmupSteps: 1, numTrainingSteps: 4, numCycles: Infinity })).to.throw(InvalidArgumentError, /"numCycles" must be a finite number/);
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('check their options: unknown, missing, of the wrong type, NaN, or not an object', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => getLinearScheduleWithWarmup(optimizer, { numWarmupSteps: 2, numTrainingSteps: 8, numCycles: 2 } as never))
      .to.throw(InvalidArgumentError, /getLinearScheduleWithWarmup: unknown option "numCycles"/)
      .with.property('pythonType', 'TypeError');
    expect(() => getLinearScheduleWithWarmup(optimizer, { numWarmupSteps: 2 } as never)).to.throw(InvalidArgumentError, /option "numTrainingSteps" must be a number, got undefined/);
    expect(() => getCosineScheduleWithWarmup(optimizer, { numWarmupSteps: '2', numTrainingSteps: 8 } as never)).to.throw(InvalidArgumentError, /"numWarmupSteps" must be a number, got "2"/);
    expect(() => getConstantScheduleWithWarmup(optimizer, { numWarmupSteps: Number.NaN })).to.throw(InvalidArgumentError, /"numWarmupSteps" must be a number, got NaN/);
    expect(() => getWsdSchedule(optimizer, null as never)).to.throw(InvalidArgumentError, 'getWsdSchedule: options must be an object of named options, got null: write getWsdSchedule(optimizer, {');
    // Python's positional habit, get_cosine_schedule_with_warmup(optimizer, 100, 1000): the call to write, without `new`
    expect(() => (getCosineScheduleWithWarmup as unknown as (o: unknown, w: number, t: number) => void)(optimizer, 100, 1000))
      .to.throw(InvalidArgumentError, "getCosineScheduleWithWarmup: options must be an object of named options, got 100 (PyTorch's positional arguments are named options here): write getCosineScheduleWithWarmup(optimizer, { numWarmupSteps: 100, numTrainingSteps: 1000 })")
      .with.property('pythonType', 'TypeError');
    expect(() => getLinearScheduleWithWarmup(optimizer, { numWarmupSteps: 1, numTrainingSteps: 4, lastEpoch: -2 })).to.throw(InvalidArgumentError, /getLinearScheduleWithWarmup: option "lastEpoch"/);
  });

  it('getReduceOnPlateauSchedule is a ReduceLROnPlateau with those options (PyTorch recording Transformers-plateau-001)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = getReduceOnPlateauSchedule(optimizer, { mode: 'max', factor: 0.5, patience: 1 });
    expect(scheduler).to.be.instanceOf(ReduceLROnPlateau);
    for (const metric of [1, 0.9, 0.8]) {
      optimizer.step();
      scheduler.step(metric);
    }
    expectBits(scheduler.getLastLr(), [0.05]);
  });
});
