/**
 * transformers' get_scheduler: the names, the argument routing (including the arguments it drops),
 * its errors, and the Python spelling through createScheduler / fromConfig. Learning rates are
 * transformers' (spec/fixtures/transformers/hf_optimization.py on torch 2.13) or corpus recordings.
 */
import { expect } from 'chai';
import {
  InvalidArgumentError,
  LambdaLR,
  ReduceLROnPlateau,
  SchedulerType,
  VirtualOptimizer,
  createScheduler,
  fromConfig,
  getCosineScheduleWithWarmup,
  getScheduler,
  registeredScheduleFunctions,
  type LRScheduler,
} from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

function lrs(build: (optimizer: VirtualOptimizer) => LRScheduler, steps: number): number[] {
  const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
  return runSchedule(optimizer, build(optimizer), steps);
}

describe('getScheduler', () => {
  it("knows transformers' SchedulerType names, in transformers' order", () => {
    expect(Object.values(SchedulerType)).to.deep.equal([
      'linear', 'cosine', 'cosine_with_restarts', 'polynomial', 'constant', 'constant_with_warmup',
      'inverse_sqrt', 'reduce_lr_on_plateau', 'cosine_with_min_lr', 'cosine_warmup_with_min_lr', 'warmup_stable_decay',
    ]);
    expect(SchedulerType.REDUCE_ON_PLATEAU).to.equal('reduce_lr_on_plateau');
  });

  it('calls the function the name selects with the step counts and the kwargs (snake_case or camelCase)', () => {
    const direct = lrs((o) => getCosineScheduleWithWarmup(o, { numWarmupSteps: 2, numTrainingSteps: 10, numCycles: 1.5 }), 14);
    expectBits(lrs((o) => getScheduler('cosine', o, { numWarmupSteps: 2, numTrainingSteps: 10, schedulerSpecificKwargs: { num_cycles: 1.5 } }), 14), direct);
    expectBits(lrs((o) => getScheduler(SchedulerType.COSINE, o, { numWarmupSteps: 2, numTrainingSteps: 10, schedulerSpecificKwargs: { numCycles: 1.5 } }), 14), direct);
  });

  it('returns a ReduceLROnPlateau for "reduce_lr_on_plateau", built from the kwargs alone (PyTorch recording Transformers-getsched-008)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler: ReduceLROnPlateau = getScheduler('reduce_lr_on_plateau', optimizer, {
      numWarmupSteps: 3,
      numTrainingSteps: 10,
      schedulerSpecificKwargs: { factor: 0.9, patience: 1, threshold_mode: 'abs' },
    });
    expect(scheduler).to.be.instanceOf(ReduceLROnPlateau);
    expect(scheduler.stateDict()).to.include({ factor: 0.9, patience: 1, threshold_mode: 'abs' });
  });

  it('reproduces what transformers drops: every option for "constant", the kwargs for "constant_with_warmup" and "inverse_sqrt"', () => {
    expectBits(lrs((o) => getScheduler('constant', o, { numWarmupSteps: 3, numTrainingSteps: 10, schedulerSpecificKwargs: { num_cycles: 3 } }), 3), [0.1, 0.1, 0.1, 0.1]);
    expectBits(
      lrs((o) => getScheduler('constant_with_warmup', o, { numWarmupSteps: 3, numTrainingSteps: 10, schedulerSpecificKwargs: { timescale: 7 } }), 4),
      [0.0, 0.03333333333333333, 0.06666666666666667, 0.1, 0.1],
    );
    // timescale 50 is dropped: the timescale is numWarmupSteps (3), as in PyTorch recording Transformers-getsched-007.
    expectBits(
      lrs((o) => getScheduler('inverse_sqrt', o, { numWarmupSteps: 3, schedulerSpecificKwargs: { timescale: 50 } }), 6),
      [0.0, 0.03333333333333333, 0.06666666666666667, 0.1, 0.08660254037844388, 0.07745966692414835, 0.07071067811865475],
    );
  });

  it('passes numTrainingSteps to "warmup_stable_decay" even when it is absent', () => {
    expectBits(
      lrs((o) => getScheduler('warmup_stable_decay', o, { numWarmupSteps: 2, schedulerSpecificKwargs: { num_decay_steps: 3, num_stable_steps: 2 } }), 8),
      [0.0, 0.05, 0.1, 0.1, 0.1, 0.07500000000000001, 0.025000000000000012, 0.0, 0.0],
    );
    expect(() => getScheduler('warmup_stable_decay', new VirtualOptimizer([{ lr: 0.1 }]), { numWarmupSteps: 2, schedulerSpecificKwargs: { num_decay_steps: 3 } }))
      .to.throw(InvalidArgumentError, 'getWsdSchedule: Either numTrainingSteps or numStableSteps must be specified.');
  });

  it("raises transformers' errors: unknown names, missing step counts, kwargs the function does not take (PyTorch recordings Transformers-error-007..009)", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => getScheduler('cosine_annealing' as never, optimizer, { numWarmupSteps: 2, numTrainingSteps: 10 })).to.throw(
      InvalidArgumentError,
      "getScheduler: cosine_annealing is not a valid SchedulerType, please select one of ['linear', 'cosine', 'cosine_with_restarts', 'polynomial', " +
        "'constant', 'constant_with_warmup', 'inverse_sqrt', 'reduce_lr_on_plateau', 'cosine_with_min_lr', 'cosine_warmup_with_min_lr', 'warmup_stable_decay']",
    );
    expect(() => getScheduler('cosine', optimizer, { numWarmupSteps: 2 })).to.throw(
      InvalidArgumentError,
      'getScheduler: SchedulerType.COSINE requires option "numTrainingSteps" (transformers: `num_training_steps`), please provide that argument.',
    );
    expect(() => getScheduler('inverse_sqrt', optimizer)).to.throw(InvalidArgumentError, /SchedulerType.INVERSE_SQRT requires option "numWarmupSteps"/);
    expect(() => getScheduler('linear', optimizer, { numWarmupSteps: 2, numTrainingSteps: 10, schedulerSpecificKwargs: { num_cycles: 2 } }))
      .to.throw(InvalidArgumentError, /getLinearScheduleWithWarmup: unknown option "numCycles"/)
      .with.property('pythonType', 'TypeError');
    expect(() => getScheduler('linear', optimizer, { numWarmupSteps: 2, numTrainingSteps: 10, schedulerSpecificKwargs: { num_training_steps: 5 } }))
      .to.throw(InvalidArgumentError, /got multiple values for option "numTrainingSteps"/)
      .with.property('pythonType', 'TypeError');
    expect(() => getScheduler('linear', optimizer, { numWarmupSteps: 2, numTrainingSteps: 10, schedulerSpecificKwargs: 'cycles' as never }))
      .to.throw(InvalidArgumentError, /"schedulerSpecificKwargs" must be an object of options or null, got "cycles"/);
    expect(() => getScheduler('linear', optimizer, { numWarmupSteps: 2, numTrainingSteps: 10, lastEpoch: 3 } as never)).to.throw(InvalidArgumentError, /unknown option "lastEpoch"/);
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });
});

describe('transformers schedule functions in createScheduler and fromConfig', () => {
  it('are registered under their Python names', () => {
    expect(registeredScheduleFunctions()).to.have.members([
      'get_constant_schedule', 'get_constant_schedule_with_warmup', 'get_linear_schedule_with_warmup', 'get_cosine_schedule_with_warmup',
      'get_cosine_with_hard_restarts_schedule_with_warmup', 'get_polynomial_decay_schedule_with_warmup', 'get_inverse_sqrt_schedule',
      'get_cosine_with_min_lr_schedule_with_warmup', 'get_cosine_with_min_lr_schedule_with_warmup_lr_rate', 'get_wsd_schedule',
      'get_reduce_on_plateau_schedule', 'get_scheduler',
    ]);
  });

  it("port a Python call by copy-paste: keywords as in transformers, get_scheduler's name among them", () => {
    const direct = lrs((o) => getCosineScheduleWithWarmup(o, { numWarmupSteps: 2, numTrainingSteps: 10 }), 12);
    expectBits(lrs((o) => createScheduler(o, 'get_cosine_schedule_with_warmup', { num_warmup_steps: 2, num_training_steps: 10 }), 12), direct);
    expectBits(lrs((o) => createScheduler(o, 'get_scheduler', { name: 'cosine', num_warmup_steps: 2, num_training_steps: 10 }), 12), direct);
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(createScheduler(optimizer, 'get_reduce_on_plateau_schedule', { patience: 3 })).to.be.instanceOf(ReduceLROnPlateau);
  });

  it('build from a configuration with scheduler_specific_kwargs as a dict, and name the place of an error', () => {
    const { driver } = captureWarnings(() =>
      fromConfig({
        optimizer: { kind: 'adam', groups: [{ lr: 5e-5 }] },
        schedulers: [{ id: 'hf', type: 'get_scheduler', args: { name: 'cosine_with_restarts', num_warmup_steps: 1, num_training_steps: 10, scheduler_specific_kwargs: { num_cycles: 2 } } }],
      }),
    ).result;
    expect(driver).to.be.instanceOf(LambdaLR);
    expect(() =>
      fromConfig({
        optimizer: { kind: 'sgd', groups: [{ lr: 0.1 }] },
        schedulers: [{ id: 'hf', type: 'get_scheduler', args: { name: 'linear', num_warmup_steps: 1, num_training_steps: 10, scheduler_specific_kwargs: { power: 2 } } }],
      }),
    ).to.throw(InvalidArgumentError, /schedulers\[0\] \(get_scheduler "hf"\): getLinearScheduleWithWarmup: unknown option "power"/);
  });

  it('list the functions beside the classes when a type is unknown', () => {
    expect(() => createScheduler(new VirtualOptimizer([{ lr: 0.1 }]), 'get_cosine_schedule', {})).to.throw(InvalidArgumentError, /known: .*SWALR.*get_cosine_schedule_with_warmup/);
  });
});
