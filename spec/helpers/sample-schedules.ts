/**
 * One representative configuration per scheduler class (the conformance format: PyTorch names and
 * keyword arguments), two param groups each. Contract specs, the state fuzzer and the benchmark run
 * over these; a new class adds its entry here and gets all of them.
 */
import type { ScheduleConfig } from '../../lib';

const twoGroups = { kind: 'sgd' as const, groups: [{ lr: 0.1 }, { lr: 0.05 }] };
const twoMomentumGroups = { kind: 'sgd_momentum' as const, groups: [{ lr: 0.1, momentum: 0.9 }, { lr: 0.05, momentum: 0.8 }] };

export const SAMPLE_SCHEDULES: Readonly<Record<string, ScheduleConfig>> = {
  StepLR: { optimizer: twoGroups, schedulers: [{ id: 's', type: 'StepLR', args: { step_size: 3, gamma: 0.5 } }] },
  MultiStepLR: { optimizer: twoGroups, schedulers: [{ id: 's', type: 'MultiStepLR', args: { milestones: [2, 5, 5, 9], gamma: 0.5 } }] },
  ConstantLR: { optimizer: twoGroups, schedulers: [{ id: 's', type: 'ConstantLR', args: { factor: 0.5, total_iters: 4 } }] },
  LinearLR: { optimizer: twoGroups, schedulers: [{ id: 's', type: 'LinearLR', args: { start_factor: 0.25, end_factor: 1.0, total_iters: 5 } }] },
  ExponentialLR: { optimizer: twoGroups, schedulers: [{ id: 's', type: 'ExponentialLR', args: { gamma: 0.9 } }] },
  PolynomialLR: { optimizer: twoGroups, schedulers: [{ id: 's', type: 'PolynomialLR', args: { total_iters: 8, power: 2.0 } }] },
  LambdaLR: { optimizer: twoGroups, schedulers: [{ id: 's', type: 'LambdaLR', args: { lr_lambda: { fn: 'pow', base: 0.95 } } }] },
  MultiplicativeLR: { optimizer: twoGroups, schedulers: [{ id: 's', type: 'MultiplicativeLR', args: { lr_lambda: { fn: 'const', c: 0.9 } } }] },
  CosineAnnealingLR: { optimizer: twoGroups, schedulers: [{ id: 's', type: 'CosineAnnealingLR', args: { T_max: 10, eta_min: 0.001 } }] },
  CosineAnnealingWarmRestarts: {
    optimizer: twoGroups,
    schedulers: [{ id: 's', type: 'CosineAnnealingWarmRestarts', args: { T_0: 3, T_mult: 2, eta_min: 0.001 } }],
  },
  CyclicLR: {
    optimizer: twoMomentumGroups,
    schedulers: [{ id: 's', type: 'CyclicLR', args: { base_lr: 0.01, max_lr: 0.1, step_size_up: 4, mode: 'triangular2' } }],
  },
  OneCycleLR: { optimizer: twoMomentumGroups, schedulers: [{ id: 's', type: 'OneCycleLR', args: { max_lr: [0.5, 0.25], total_steps: 1000 } }] },
  ReduceLROnPlateau: { optimizer: twoGroups, schedulers: [{ id: 's', type: 'ReduceLROnPlateau', args: { factor: 0.5, patience: 2 } }] },
  SequentialLR: {
    optimizer: twoGroups,
    schedulers: [
      { id: 'warm', type: 'LinearLR', args: { start_factor: 0.1, total_iters: 3 } },
      { id: 'decay', type: 'ExponentialLR', args: { gamma: 0.9 } },
      { id: 's', type: 'SequentialLR', args: { schedulers: [{ ref: 'warm' }, { ref: 'decay' }], milestones: [3] } },
    ],
    driver: 's',
  },
  ChainedScheduler: {
    optimizer: twoGroups,
    schedulers: [
      { id: 'a', type: 'ConstantLR', args: { factor: 0.5, total_iters: 2 } },
      { id: 'b', type: 'ExponentialLR', args: { gamma: 0.9 } },
      { id: 's', type: 'ChainedScheduler', args: { schedulers: [{ ref: 'a' }, { ref: 'b' }] } },
    ],
    driver: 's',
  },
  GradualWarmupScheduler: {
    optimizer: twoGroups,
    schedulers: [
      { id: 'after', type: 'CosineAnnealingLR', args: { T_max: 20 } },
      { id: 's', type: 'GradualWarmupScheduler', args: { multiplier: 2, total_epoch: 4, after_scheduler: { ref: 'after' } } },
    ],
    driver: 's',
  },
};

/** How the driver of a sample is stepped: ReduceLROnPlateau and warmup-over-plateau need a metric. */
export function stepSample(scheduler: { step(...args: number[]): void; getClassName(): string }, i: number): void {
  if (scheduler.getClassName() === 'ReduceLROnPlateau') scheduler.step(1 / (1 + (i % 7)));
  else scheduler.step();
}
