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
  SWALR: { optimizer: twoGroups, schedulers: [{ id: 's', type: 'SWALR', args: { swa_lr: [0.01, 0.02], anneal_epochs: 5 } }] },
};

/**
 * Arguments that make a sample fit for very long runs (10^7 steps, `step(epoch)` at 10^12):
 * OneCycleLR's sample has 1000 total steps (a later step throws, as in PyTorch), and CyclicLR's
 * triangular2 computes `2.0 ** (cycle - 1)`, which overflows (OverflowError in Python too) after
 * 1024 cycles, so its cycle is made longer.
 */
const LONG_RUN_ARGS: Readonly<Record<string, Record<string, unknown>>> = {
  OneCycleLR: { total_steps: 20_000_000 },
  CyclicLR: { step_size_up: 10_000 },
};

/** The sample of `className` fit for 10^7 steps (see `LONG_RUN_ARGS`); a copy. */
export function longRunSample(className: string): ScheduleConfig | undefined {
  const sample = SAMPLE_SCHEDULES[className];
  if (sample === undefined) return undefined;
  const config = JSON.parse(JSON.stringify(sample)) as ScheduleConfig;
  const args = LONG_RUN_ARGS[className];
  if (args !== undefined) {
    const driverId = config.driver ?? config.schedulers[config.schedulers.length - 1].id;
    const driver = config.schedulers.find((s) => s.id === driverId);
    if (driver !== undefined) driver.args = { ...driver.args, ...args };
  }
  return config;
}

const adamGroups = { kind: 'adam' as const, groups: [{ lr: 0.01, betas: [0.9, 0.999] }, { lr: 0.002, betas: [0.85, 0.99] }] };

/**
 * Compositions and optimizer variants beyond one sample per class: composites nesting composites
 * and warmups, momentum cycling on Adam's beta1. Resume and state specs run over these too.
 */
export const COMPOSED_SCHEDULES: Readonly<Record<string, ScheduleConfig>> = {
  'warmup over cosine': SAMPLE_SCHEDULES.GradualWarmupScheduler,
  'SequentialLR containing a warmup': {
    optimizer: twoGroups,
    schedulers: [
      { id: 'warm', type: 'GradualWarmupScheduler', args: { multiplier: 1, total_epoch: 3 } },
      { id: 'decay', type: 'ExponentialLR', args: { gamma: 0.8 } },
      { id: 's', type: 'SequentialLR', args: { schedulers: [{ ref: 'warm' }, { ref: 'decay' }], milestones: [5] } },
    ],
    driver: 's',
  },
  // First child: PyTorch hands over to a later child with `_update_lr(0)`, which a ChainedScheduler cannot do (NotImplementedError).
  'ChainedScheduler in SequentialLR': {
    optimizer: twoGroups,
    schedulers: [
      { id: 'a', type: 'ConstantLR', args: { factor: 0.5, total_iters: 4 } },
      { id: 'b', type: 'StepLR', args: { step_size: 2, gamma: 0.7 } },
      { id: 'chain', type: 'ChainedScheduler', args: { schedulers: [{ ref: 'a' }, { ref: 'b' }] } },
      { id: 'lin', type: 'LinearLR', args: { start_factor: 0.2, total_iters: 3 } },
      { id: 's', type: 'SequentialLR', args: { schedulers: [{ ref: 'chain' }, { ref: 'lin' }], milestones: [5] } },
    ],
    driver: 's',
  },
  'SequentialLR of three with a restart schedule': {
    optimizer: twoGroups,
    schedulers: [
      { id: 'lin', type: 'LinearLR', args: { start_factor: 0.25, total_iters: 2 } },
      { id: 'cos', type: 'CosineAnnealingWarmRestarts', args: { T_0: 2, T_mult: 2, eta_min: 0.0001 } },
      { id: 'poly', type: 'PolynomialLR', args: { total_iters: 6, power: 1.5 } },
      { id: 's', type: 'SequentialLR', args: { schedulers: [{ ref: 'lin' }, { ref: 'cos' }, { ref: 'poly' }], milestones: [2, 9] } },
    ],
    driver: 's',
  },
  'warmup over SequentialLR': {
    optimizer: twoGroups,
    schedulers: [
      { id: 'lin', type: 'LinearLR', args: { start_factor: 0.5, total_iters: 3 } },
      { id: 'cos', type: 'CosineAnnealingLR', args: { T_max: 8, eta_min: 0.001 } },
      { id: 'seq', type: 'SequentialLR', args: { schedulers: [{ ref: 'lin' }, { ref: 'cos' }], milestones: [4] } },
      { id: 's', type: 'GradualWarmupScheduler', args: { multiplier: 2, total_epoch: 3, after_scheduler: { ref: 'seq' } } },
    ],
    driver: 's',
  },
  'warmup over ReduceLROnPlateau': {
    optimizer: twoGroups,
    schedulers: [
      { id: 'plateau', type: 'ReduceLROnPlateau', args: { factor: 0.5, patience: 1 } },
      { id: 's', type: 'GradualWarmupScheduler', args: { multiplier: 2, total_epoch: 3, after_scheduler: { ref: 'plateau' } } },
    ],
    driver: 's',
  },
  'warmup over MultiStepLR without multiplier': {
    optimizer: twoMomentumGroups,
    schedulers: [
      { id: 'after', type: 'MultiStepLR', args: { milestones: [2, 4, 4], gamma: 0.5 } },
      { id: 's', type: 'GradualWarmupScheduler', args: { multiplier: 1, total_epoch: 2, after_scheduler: { ref: 'after' } } },
    ],
    driver: 's',
  },
  'OneCycleLR cycling Adam beta1': {
    optimizer: adamGroups,
    schedulers: [{ id: 's', type: 'OneCycleLR', args: { max_lr: [0.1, 0.02], total_steps: 40, three_phase: true } }],
  },
  'CyclicLR exp_range cycling Adam beta1': {
    optimizer: adamGroups,
    schedulers: [{ id: 's', type: 'CyclicLR', args: { base_lr: 0.001, max_lr: 0.01, step_size_up: 3, mode: 'exp_range', gamma: 0.97 } }],
  },
  // PyTorch's SWA pattern: a cosine, then SWALR from where it left the lr (here SWALR drives from the start).
  'CosineAnnealingLR and SWALR on one optimizer': {
    optimizer: twoMomentumGroups,
    schedulers: [
      { id: 'cos', type: 'CosineAnnealingLR', args: { T_max: 10 } },
      { id: 's', type: 'SWALR', args: { swa_lr: 0.02, anneal_epochs: 3, anneal_strategy: 'linear' } },
    ],
    driver: 's',
  },
  "transformers' get_scheduler('cosine') with warmup": {
    optimizer: adamGroups,
    schedulers: [{ id: 's', type: 'get_scheduler', args: { name: 'cosine', num_warmup_steps: 3, num_training_steps: 20 } }],
  },
  "transformers' warmup-stable-decay schedule": {
    optimizer: twoGroups,
    schedulers: [{ id: 's', type: 'get_wsd_schedule', args: { num_warmup_steps: 2, num_decay_steps: 6, num_stable_steps: 4, warmup_type: 'cosine', decay_type: '1-sqrt', min_lr_ratio: 0.1 } }],
  },
  'LambdaLR with one lambda per group': {
    optimizer: twoGroups,
    schedulers: [{ id: 's', type: 'LambdaLR', args: { lr_lambda: [{ fn: 'linear_warmup', w: 4 }, { fn: 'hf_cosine_with_warmup', num_warmup_steps: 3, num_training_steps: 20 }] } }],
  },
};

/** The metric fed to metric-driven schedulers at step `i` (improves, then plateaus, in a cycle of 7). */
export function sampleMetric(i: number): number {
  return 1 / (1 + (i % 7));
}

interface Steppable {
  step(...args: Array<number | undefined>): void;
  getClassName(): string;
  afterScheduler?: { getClassName(): string } | null;
}

/** How the driver of a sample is stepped: ReduceLROnPlateau and warmup-over-plateau need a metric. */
export function stepSample(scheduler: Steppable, i: number): void {
  if (scheduler.getClassName() === 'ReduceLROnPlateau') scheduler.step(sampleMetric(i));
  else if (scheduler.getClassName() === 'GradualWarmupScheduler' && scheduler.afterScheduler?.getClassName() === 'ReduceLROnPlateau') {
    scheduler.step(undefined, sampleMetric(i));
  } else scheduler.step();
}
