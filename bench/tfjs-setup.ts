/**
 * Schedules over real tfjs optimizers, and the "unavoidable writes": what any scheduler must do to
 * make a tfjs optimizer use given values at its next update, done the cheapest way tfjs allows (a
 * new `-lr` scalar for SGD/Momentum when lr changes, a momentum tensor swap, an `accBeta1` reset
 * for Adam when beta1 changes), and nothing else.
 */
import * as tf from '@tensorflow/tfjs';
import { cyclesMomentum, disposeOptimizer, makeTfjsOptimizer } from '../spec/helpers/tfjs';
import { fromConfig, type BuiltSchedule, type ParamGroup, type ScheduleConfig } from './library';

/** The two optimizer columns of the benchmark. */
export type TfjsColumn = 'sgd' | 'adam';

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

/** The tfjs optimizer for param group `index` of `config` (PyTorch's defaults for missing momentum / betas). */
export function makeOptimizer(config: ScheduleConfig, index: number): tf.Optimizer {
  const group = { ...config.optimizer.groups[index] } as ParamGroup;
  if (config.optimizer.kind === 'adam') group.betas = (group.betas as number[] | undefined) ?? [0.9, 0.999];
  if (config.optimizer.kind === 'sgd_momentum') group.momentum = group.momentum ?? 0.9;
  return makeTfjsOptimizer(config.optimizer.kind, group, cyclesMomentum(config));
}

/** The fields of tfjs-core 4.x optimizers the unavoidable writes touch. */
export interface OptimizerFields {
  learningRate: number;
  momentum?: number;
  m?: tf.Tensor;
  c?: tf.Tensor;
  beta1?: number;
  accBeta1?: tf.Variable;
  iterations: number;
  setLearningRate?(lr: number): void;
}

/** The momentum (Momentum) or beta1 (Adam) an optimizer will use; NaN for plain SGD. */
export function momentumOf(optimizer: OptimizerFields): number {
  if (optimizer.beta1 !== undefined) return optimizer.beta1;
  return optimizer.momentum ?? Number.NaN;
}

/**
 * The unavoidable tfjs writes of one step: makes `optimizer` use `lr` and `momentum` (beta1 for
 * Adam) at its next update, creating a tensor only for a value that changed.
 */
export function writeValues(optimizer: OptimizerFields, lr: number, momentum: number): void {
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

export interface TfjsSchedule {
  built: BuiltSchedule;
  optimizers: tf.Optimizer[];
  dispose(): void;
}

/** The schedule of `config` over one tfjs optimizer per param group, each updated once (no warning later). */
export function buildTfjs(config: ScheduleConfig): TfjsSchedule {
  const optimizers: tf.Optimizer[] = [];
  const built = fromConfig(config, {
    optimizer: () => {
      config.optimizer.groups.forEach((_, i) => optimizers.push(makeOptimizer(config, i)));
      return optimizers;
    },
  });
  const variables = optimizers.map(() => tf.tidy(() => tf.variable(tf.zeros([4]))));
  const gradients = optimizers.map(() => tf.zeros([4]));
  optimizers.forEach((optimizer, i) => optimizer.applyGradients({ [variables[i].name]: gradients[i] }));
  return {
    built,
    optimizers,
    dispose: () => {
      optimizers.forEach(disposeOptimizer);
      variables.forEach((v) => v.dispose());
      gradients.forEach((g) => g.dispose());
    },
  };
}

/** The id the next tensor will get: differences count the tensors created in between. */
export function nextTensorId(): number {
  const probe = tf.scalar(0);
  const id = probe.id;
  probe.dispose();
  return id + 1;
}
