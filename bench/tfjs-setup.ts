/**
 * Schedules over real tfjs optimizers (CPU backend), one optimizer per param group, and the
 * "unavoidable writes" baseline: a hand-written loop that performs exactly the tfjs updates a
 * schedule's values require (a new `-lr` scalar for SGD/Momentum when lr changes, a momentum
 * tensor swap, an `accBeta1` reset for Adam when beta1 changes), and nothing else.
 */
import * as tf from '@tensorflow/tfjs';
import { cyclesMomentum, makeTfjsOptimizer } from '../spec/helpers/tfjs';
import { fromConfig, type BuiltSchedule, type ParamGroup, type ScheduleConfig } from './library';

/** The two optimizer columns of the benchmark. */
export type TfjsColumn = 'sgd' | 'adam';

export interface TfjsSchedule {
  built: BuiltSchedule;
  optimizers: tf.Optimizer[];
  dispose(): void;
}

interface OptimizerFields {
  learningRate: number;
  momentum?: number;
  m?: tf.Tensor;
  c?: tf.Tensor;
  beta1?: number;
  accBeta1?: tf.Variable;
  iterations: number;
  setLearningRate?(lr: number): void;
}

/**
 * The config for a column: `sgd` keeps the sample's optimizer (plain SGD, or Momentum where the
 * sample has momentum or a scheduler cycles it, as PyTorch's SGD always carries one); `adam`
 * replaces it by Adam with the same learning rates.
 */
export function columnConfig(config: ScheduleConfig, column: TfjsColumn): ScheduleConfig {
  const copy = JSON.parse(JSON.stringify(config)) as ScheduleConfig;
  if (column === 'adam') {
    copy.optimizer = { kind: 'adam', groups: copy.optimizer.groups.map((group) => ({ lr: group.lr })) };
  }
  return copy;
}

/** Builds the optimizers of `config` (no scheduler), with one variable each. */
function makeOptimizers(config: ScheduleConfig): { optimizers: tf.Optimizer[]; variables: tf.Variable[]; gradients: tf.Tensor[] } {
  const momentumForSgd = cyclesMomentum(config);
  const optimizers: tf.Optimizer[] = [];
  const variables: tf.Variable[] = [];
  const gradients: tf.Tensor[] = [];
  for (const raw of config.optimizer.groups) {
    const group = { ...raw } as ParamGroup;
    if (config.optimizer.kind === 'adam') group.betas = (group.betas as number[] | undefined) ?? [0.9, 0.999];
    if (config.optimizer.kind === 'sgd_momentum') group.momentum = group.momentum ?? 0.9;
    optimizers.push(makeTfjsOptimizer(config.optimizer.kind, group, momentumForSgd));
    variables.push(tf.tidy(() => tf.variable(tf.zeros([4]))));
    gradients.push(tf.zeros([4]));
  }
  return { optimizers, variables, gradients };
}

function disposeAll(optimizers: tf.Optimizer[], variables: tf.Variable[], gradients: tf.Tensor[]): void {
  for (const optimizer of optimizers) {
    optimizer.dispose();
    // tfjs 4.22: MomentumOptimizer.dispose() forgets the learning-rate scalar of its SGD base.
    if (optimizer.getClassName() === 'Momentum') (optimizer as unknown as OptimizerFields).c?.dispose();
  }
  for (const variable of variables) variable.dispose();
  for (const gradient of gradients) gradient.dispose();
}

/** One optimizer update per optimizer (so the "step before optimizer" check never warns). */
function updateOnce(optimizers: tf.Optimizer[], variables: tf.Variable[], gradients: tf.Tensor[]): void {
  optimizers.forEach((optimizer, i) => optimizer.applyGradients({ [variables[i].name]: gradients[i] }));
}

/** Builds the schedule over tfjs optimizers, then updates each optimizer once. */
export function buildTfjs(config: ScheduleConfig): TfjsSchedule {
  let parts: ReturnType<typeof makeOptimizers> | undefined;
  const built = fromConfig(config, {
    optimizer: () => {
      parts = makeOptimizers(config);
      return parts.optimizers;
    },
  });
  const { optimizers, variables, gradients } = parts as ReturnType<typeof makeOptimizers>;
  updateOnce(optimizers, variables, gradients);
  return { built, optimizers, dispose: () => disposeAll(optimizers, variables, gradients) };
}

/** The values a schedule wrote to its tfjs optimizers: after construction and after each step. */
export interface Recording {
  groups: number;
  steps: number;
  /** `lr[k * groups + g]`: after step k (k = 0 is the state after construction). */
  lr: Float64Array;
  /** Momentum (Momentum) or beta1 (Adam) likewise; NaN for plain SGD. */
  momentum: Float64Array;
  /** How many tensors the unavoidable writes of steps 1..steps create. */
  tensorsNeeded: number;
}

function momentumOf(optimizer: OptimizerFields): number {
  if (optimizer.beta1 !== undefined) return optimizer.beta1;
  return optimizer.momentum ?? Number.NaN;
}

/** Runs a fresh schedule for `steps` steps and records what it writes into the optimizers. */
export function record(config: ScheduleConfig, steps: number, stepper: (s: BuiltSchedule['driver'], n: number, first: number) => void): Recording {
  const schedule = buildTfjs(config);
  const groups = schedule.optimizers.length;
  const lr = new Float64Array((steps + 1) * groups);
  const momentum = new Float64Array((steps + 1) * groups);
  const read = (k: number): void => {
    schedule.optimizers.forEach((optimizer, g) => {
      const fields = optimizer as unknown as OptimizerFields;
      lr[k * groups + g] = fields.learningRate;
      momentum[k * groups + g] = momentumOf(fields);
    });
  };
  read(0);
  for (let k = 1; k <= steps; k++) {
    stepper(schedule.built.driver, 1, k - 1);
    read(k);
  }
  let tensorsNeeded = 0;
  const isAdam = schedule.optimizers[0].getClassName() === 'Adam';
  for (let k = 1; k <= steps; k++) {
    for (let g = 0; g < groups; g++) {
      const now = k * groups + g;
      const before = now - groups;
      if (!isAdam && lr[now] !== lr[before]) tensorsNeeded += 1;
      if (!Number.isNaN(momentum[now]) && momentum[now] !== momentum[before]) tensorsNeeded += 1;
    }
  }
  schedule.dispose();
  return { groups, steps, lr, momentum, tensorsNeeded };
}

/** Fresh optimizers in the state a recording starts from (as after construction and one update). */
export function replayTarget(config: ScheduleConfig, recording: Recording): { optimizers: tf.Optimizer[]; dispose(): void } {
  const { optimizers, variables, gradients } = makeOptimizers(config);
  updateOnce(optimizers, variables, gradients);
  optimizers.forEach((optimizer, g) => {
    const fields = optimizer as unknown as OptimizerFields;
    writeValues(fields, recording.lr[g], recording.momentum[g]);
  });
  return { optimizers, dispose: () => disposeAll(optimizers, variables, gradients) };
}

/**
 * The unavoidable tfjs writes of one step: what any scheduler must do to make the optimizer use
 * these values at its next update, done the cheapest way tfjs allows.
 */
function writeValues(optimizer: OptimizerFields, lr: number, momentum: number): void {
  if (lr !== optimizer.learningRate) {
    if (optimizer.setLearningRate !== undefined && optimizer.c !== undefined) optimizer.setLearningRate(lr);
    else optimizer.learningRate = lr;
  }
  if (optimizer.accBeta1 !== undefined) {
    if (momentum !== optimizer.beta1) {
      optimizer.beta1 = momentum;
      const value = tf.scalar(momentum ** (optimizer.iterations + 1));
      optimizer.accBeta1.assign(value);
      value.dispose();
    }
  } else if (optimizer.m !== undefined && momentum !== optimizer.momentum) {
    const previous = optimizer.m;
    optimizer.m = tf.keep(tf.scalar(momentum));
    optimizer.momentum = momentum;
    previous.dispose();
  }
}

/** Replays steps `from`..`to - 1` (1-based) of a recording into `optimizers` (the timed baseline loop). */
export function replayWrites(optimizers: tf.Optimizer[], recording: Recording, from: number, to: number): void {
  const groups = recording.groups;
  const { lr, momentum } = recording;
  for (let k = from; k < to; k++) {
    const row = k * groups;
    for (let g = 0; g < groups; g++) {
      writeValues(optimizers[g] as unknown as OptimizerFields, lr[row + g], momentum[row + g]);
    }
  }
}

/** The id the next tensor will get: differences count the tensors created in between. */
export function nextTensorId(): number {
  const probe = tf.scalar(0);
  const id = probe.id;
  probe.dispose();
  return id + 1;
}

/** The tfjs optimizer classes a config builds, e.g. `["Momentum", "Momentum"]`. */
export function buildTfjsClassNames(config: ScheduleConfig): string[] {
  const { optimizers, variables, gradients } = makeOptimizers(config);
  const names = optimizers.map((optimizer) => optimizer.getClassName());
  disposeAll(optimizers, variables, gradients);
  return names;
}
