/**
 * fast-check arbitraries of valid schedule configurations: one leaf scheduler of any class, or a
 * composition (a warmup over a leaf, SequentialLR / ChainedScheduler of two leaves), on one to
 * three param groups of plain SGD, SGD with momentum or Adam.
 */
import fc from 'fast-check';
import type { ScheduleConfig, SchedulerConfig } from '../../lib';

type Args = Record<string, unknown>;
interface Leaf {
  type: string;
  args: Args;
}

const factor = fc.double({ min: 0.05, max: 1, noNaN: true });
const gamma = fc.double({ min: 0.5, max: 1, noNaN: true });
const period = fc.integer({ min: 1, max: 6 });

/** Every leaf class with valid arguments; `steps` is the length of the run (OneCycleLR must outlast it). */
function leaf(steps: number, groups: number): fc.Arbitrary<Leaf> {
  const lambda = fc.oneof(
    fc.record({ fn: fc.constant('pow'), base: gamma }),
    fc.record({ fn: fc.constant('step_pow'), base: gamma, d: period }),
    fc.record({ fn: fc.constant('linear_warmup'), w: period }),
    fc.record({ fn: fc.constant('inv_sqrt'), w: period }),
  );
  const perGroup = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(arb, { minLength: groups, maxLength: groups });
  return fc.oneof(
    fc.record({ type: fc.constant('StepLR'), args: fc.record({ step_size: period, gamma }) }),
    fc.record({ type: fc.constant('MultiStepLR'), args: fc.record({ milestones: fc.array(fc.integer({ min: 1, max: steps }), { maxLength: 4 }), gamma }) }),
    fc.record({ type: fc.constant('ConstantLR'), args: fc.record({ factor, total_iters: period }) }),
    fc.record({ type: fc.constant('LinearLR'), args: fc.record({ start_factor: factor, end_factor: fc.double({ min: 0, max: 1, noNaN: true }), total_iters: period }) }),
    fc.record({ type: fc.constant('ExponentialLR'), args: fc.record({ gamma }) }),
    fc.record({ type: fc.constant('PolynomialLR'), args: fc.record({ total_iters: period, power: fc.double({ min: 0.5, max: 3, noNaN: true }) }) }),
    fc.record({ type: fc.constant('LambdaLR'), args: fc.record({ lr_lambda: fc.oneof(lambda, perGroup(lambda)) }) }),
    fc.record({ type: fc.constant('MultiplicativeLR'), args: fc.record({ lr_lambda: fc.record({ fn: fc.constant('const'), c: gamma }) }) }),
    fc.record({ type: fc.constant('CosineAnnealingLR'), args: fc.record({ T_max: period, eta_min: fc.double({ min: 0, max: 0.001, noNaN: true }) }) }),
    fc.record({
      type: fc.constant('CosineAnnealingWarmRestarts'),
      args: fc.record({ T_0: period, T_mult: fc.integer({ min: 1, max: 3 }), eta_min: fc.double({ min: 0, max: 0.001, noNaN: true }) }),
    }),
    fc.record({
      type: fc.constant('CyclicLR'),
      args: fc.record({
        base_lr: fc.double({ min: 0.0001, max: 0.01, noNaN: true }),
        max_lr: fc.double({ min: 0.02, max: 0.5, noNaN: true }),
        step_size_up: period,
        mode: fc.constantFrom('triangular', 'triangular2', 'exp_range'),
        gamma,
      }),
    }),
    fc.record({
      type: fc.constant('OneCycleLR'),
      args: fc.record({
        max_lr: fc.double({ min: 0.01, max: 1, noNaN: true }),
        total_steps: fc.integer({ min: steps + 2, max: steps + 40 }),
        anneal_strategy: fc.constantFrom('cos', 'linear'),
        three_phase: fc.boolean(),
      }),
    }),
    fc.record({ type: fc.constant('ReduceLROnPlateau'), args: fc.record({ factor: fc.double({ min: 0.1, max: 0.9, noNaN: true }), patience: fc.integer({ min: 0, max: 3 }), cooldown: fc.integer({ min: 0, max: 2 }) }) }),
    fc.record({
      type: fc.constant('SWALR'),
      args: fc.record({ swa_lr: fc.oneof(factor, perGroup(factor)), anneal_epochs: fc.integer({ min: 0, max: 6 }), anneal_strategy: fc.constantFrom('cos', 'linear') }),
    }),
    fc.record({
      type: fc.constant('get_scheduler'),
      args: fc.record({
        name: fc.constantFrom('linear', 'cosine', 'cosine_with_restarts', 'constant_with_warmup', 'inverse_sqrt'),
        num_warmup_steps: fc.integer({ min: 0, max: 5 }),
        num_training_steps: fc.integer({ min: 6, max: steps + 10 }),
      }),
    }),
  );
}

const optimizer = fc.integer({ min: 1, max: 3 }).chain((count) =>
  fc.oneof(
    fc.record({ kind: fc.constant('sgd' as const), groups: fc.array(fc.record({ lr: fc.double({ min: 0.001, max: 1, noNaN: true }) }), { minLength: count, maxLength: count }) }),
    fc.record({
      kind: fc.constant('sgd_momentum' as const),
      groups: fc.array(fc.record({ lr: fc.double({ min: 0.001, max: 1, noNaN: true }), momentum: fc.double({ min: 0.5, max: 0.99, noNaN: true }) }), { minLength: count, maxLength: count }),
    }),
    fc.record({ kind: fc.constant('adam' as const), groups: fc.array(fc.record({ lr: fc.double({ min: 0.0001, max: 0.1, noNaN: true }) }), { minLength: count, maxLength: count }) }),
  ),
);

export interface GeneratedRun {
  config: ScheduleConfig;
  steps: number;
  /** Where the run is saved and resumed (0 .. steps). */
  resumeAt: number;
}

/** A valid configuration, its run length and a resume point. */
export function generatedRun(): fc.Arbitrary<GeneratedRun> {
  return fc.integer({ min: 1, max: 30 }).chain((steps) =>
    optimizer.chain((opt) => {
      const one = leaf(steps, opt.groups.length);
      const noPlateau = one.filter((l) => l.type !== 'ReduceLROnPlateau');
      const shape = fc.oneof(
        one.map((l): SchedulerConfig[] => [{ id: 's', ...l }]),
        fc.record({ after: one, multiplier: fc.double({ min: 1, max: 4, noNaN: true }), total: period }).map(({ after, multiplier, total }): SchedulerConfig[] => [
          { id: 'a', ...after },
          { id: 's', type: 'GradualWarmupScheduler', args: { multiplier, total_epoch: total, after_scheduler: { ref: 'a' } } },
        ]),
        fc.record({ first: noPlateau, second: noPlateau, milestone: fc.integer({ min: 1, max: Math.max(1, steps) }) }).map(({ first, second, milestone }): SchedulerConfig[] => [
          { id: 'a', ...first },
          { id: 'b', ...second },
          { id: 's', type: 'SequentialLR', args: { schedulers: [{ ref: 'a' }, { ref: 'b' }], milestones: [milestone] } },
        ]),
        fc.record({ first: noPlateau, second: noPlateau }).map(({ first, second }): SchedulerConfig[] => [
          { id: 'a', ...first },
          { id: 'b', ...second },
          { id: 's', type: 'ChainedScheduler', args: { schedulers: [{ ref: 'a' }, { ref: 'b' }] } },
        ]),
      );
      return fc.record({
        config: shape.map((schedulers): ScheduleConfig => ({ optimizer: opt, schedulers, driver: 's' })),
        steps: fc.constant(steps),
        resumeAt: fc.integer({ min: 0, max: steps }),
      });
    }),
  );
}
