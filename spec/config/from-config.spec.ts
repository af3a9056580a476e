import { expect } from 'chai';
import { ConfigError, fromConfig, PythonArithmeticError, VirtualOptimizer, type ScheduleConfig } from '../../lib';
import { captureWarnings } from '../helpers/warnings';
import { LAMBDA_VOCABULARY } from '../../lib/config/lambdas';
import { expectSameDouble } from '../helpers/expect-bits';

const lambda = (name: string, params: Record<string, number> = {}): ((e: number) => number) =>
  LAMBDA_VOCABULARY[name].build({ ...LAMBDA_VOCABULARY[name].optional, ...params });

describe('fromConfig', () => {
  const seed: ScheduleConfig = {
    optimizer: { kind: 'sgd', groups: [{ lr: 0.1 }] },
    schedulers: [
      { id: 'after', type: 'StepLR', args: { step_size: 10, gamma: 0.1 } },
      { id: 'warmup', type: 'GradualWarmupScheduler', args: { multiplier: 1, total_epoch: 5, after_scheduler: { ref: 'after' } } },
    ],
    driver: 'warmup',
  };

  it('builds the schedulers in order, resolving references, and returns the driver', () => {
    const built = fromConfig(seed);
    expect(Object.keys(built.schedulers)).to.deep.equal(['after', 'warmup']);
    expect(built.driver).to.equal(built.schedulers.warmup);
    expect(built.driverId).to.equal('warmup');
    expect((built.driver as unknown as { afterScheduler: unknown }).afterScheduler).to.equal(built.schedulers.after);
    expect(built.optimizer.paramGroups[0].lr).to.equal(0);
  });

  it('returns the VirtualOptimizer it builds, so a loop steps it before the driver and PyTorch\'s order warning stays silent (issue 15, item 6)', () => {
    const built = fromConfig(seed);
    expect(built.virtualOptimizer).to.be.instanceOf(VirtualOptimizer);
    expect(built.virtualOptimizer?.paramGroups).to.equal(built.optimizer.paramGroups);
    const { warnings } = captureWarnings(() => {
      for (let epoch = 1; epoch <= 8; epoch++) {
        built.virtualOptimizer?.step();
        built.driver.step();
      }
    });
    expect(warnings).to.deep.equal([]);
    // hand-computed: warmup 0.1 * e / 5 for e <= 5, then StepLR's 0.1 until its epoch 10
    expect(built.optimizer.paramGroups[0].lr).to.equal(0.1);
    const unstepped = fromConfig(seed);
    const { warnings: unsteppedWarnings } = captureWarnings(() => {
      unstepped.driver.step();
      unstepped.driver.step();
    });
    expect(unsteppedWarnings.map((w) => w.message)).to.have.length(1);
    expect(unsteppedWarnings[0].message).to.match(/^Detected call of `scheduler.step\(\)` before `optimizer.step\(\)`/);
    expect(fromConfig(seed, { optimizer: (_kind, groups) => new VirtualOptimizer(groups) }).virtualOptimizer).to.equal(null);
  });

  it('gives plain sgd groups PyTorch\'s momentum 0 and adam groups their betas', () => {
    expect(fromConfig({ ...seed, optimizer: { kind: 'sgd', groups: [{ lr: 1 }] } }).optimizer.paramGroups[0].momentum).to.equal(0);
    const adam = fromConfig({ ...seed, optimizer: { kind: 'adam', groups: [{ lr: 1 }] } }).optimizer.paramGroups[0];
    expect(adam.betas).to.deep.equal([0.9, 0.999]);
  });

  it('decodes {"float": "inf"} and writes extra group keys', () => {
    const built = fromConfig({
      optimizer: { kind: 'sgd', groups: [{ lr: { float: 'inf' }, initial_lr: 0.5 }] },
      schedulers: [{ id: 's', type: 'StepLR', args: { step_size: 2, last_epoch: 3 } }],
    });
    expect(built.optimizer.paramGroups[0].initial_lr).to.equal(0.5);
    expect(built.driver.baseLrs).to.deep.equal([0.5]);
  });

  it('names the place in the configuration in every error', () => {
    const broken = (patch: Partial<ScheduleConfig>): (() => unknown) => () => fromConfig({ ...seed, ...patch });
    expect(broken({ schedulers: [{ id: 'x', type: 'NoSuchLR' }] })).to.throw(ConfigError, /^schedulers\[0\] \(NoSuchLR "x"\): createScheduler: unknown scheduler type "NoSuchLR"/);
    expect(broken({ schedulers: [{ id: 'x', type: 'GradualWarmupScheduler', args: { multiplier: 1, total_epoch: 2, after_scheduler: { ref: 'nope' } } }] })).to.throw(
      ConfigError,
      /^schedulers\[0\]\.args\.after_scheduler: unknown reference "nope"/,
    );
    expect(broken({ schedulers: [{ id: 'x', type: 'StepLR', args: { step_size: 0 } }] })).to.throw(ConfigError, /^schedulers\[0\] \(StepLR "x"\): StepLR: option "stepSize"/);
    expect(broken({ optimizer: { kind: 'rmsprop' as never, groups: [{ lr: 1 }] } })).to.throw(ConfigError, /^optimizer\.kind: must be one of sgd, sgd_momentum, adam/);
    expect(broken({ driver: 'missing' })).to.throw(ConfigError, /^driver: unknown scheduler id "missing"/);
    expect(broken({ schedulers: [{ id: 'x', type: 'StepLR', args: { step_size: { fn: 'nope' } } }] })).to.throw(ConfigError, /^schedulers\[0\]\.args\.step_size: unknown lambda "nope"/);
  });
});

describe('the lambda vocabulary', () => {
  // Expected values computed by CPython 3.11 (the same expressions, as written in FORMAT.md).
  it('evaluates each entry with Python\'s semantics', () => {
    expectSameDouble(lambda('exp', { k: 0.3 })(7), 0.1224564282529819, 'exp');
    expectSameDouble(lambda('linear_warmup', { w: 8 })(3), 0.5, 'linear_warmup');
    expectSameDouble(lambda('inv_sqrt', { w: 9 })(2), 0.3333333333333333, 'inv_sqrt');
    expectSameDouble(lambda('half_pow')(3), 0.25, 'half_pow');
    expectSameDouble(lambda('step_pow', { base: 0.9, d: 2 })(7), 0.7290000000000001, 'step_pow');
    expectSameDouble(lambda('const', { c: 0.7 })(100), 0.7, 'const');
  });

  it('floors // and takes the divisor\'s sign for % on negative epochs', () => {
    expect(lambda('floordiv', { d: 2 })(-3)).to.equal(-2);
    expect(lambda('mod_switch', { p: 3, a: 1, b: 0 })(-1)).to.equal(0); // -1 % 3 == 2
    expect(lambda('mod_switch', { p: 3, a: 1, b: 0 })(-3)).to.equal(1);
  });

  it('reproduces transformers\' warmup lambdas', () => {
    const cosine = lambda('hf_cosine_with_warmup', { num_warmup_steps: 3, num_training_steps: 10 });
    const linear = lambda('hf_linear_with_warmup', { num_warmup_steps: 3, num_training_steps: 10 });
    expectSameDouble(cosine(1), 0.3333333333333333, 'cosine(1)');
    expectSameDouble(cosine(5), 0.8117449009293668, 'cosine(5)');
    expectSameDouble(cosine(12), 0.18825509907063315, 'cosine(12)');
    expectSameDouble(linear(5), 0.7142857142857143, 'linear(5)');
    expectSameDouble(linear(12), 0, 'linear(12)');
  });

  it('raises ZeroDivisionError where Python divides by zero', () => {
    expect(() => lambda('linear_warmup', { w: 0 })(1)).to.throw(PythonArithmeticError, 'division by zero');
  });
});
