/** tfjs helpers shared by the specs that touch real optimizers. */
import * as tf from '@tensorflow/tfjs';
import type { ParamGroup, ScheduleConfig } from '../../lib';

/** Disposes a tfjs optimizer completely. */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  // tfjs 4.22: MomentumOptimizer.dispose() forgets the learning-rate scalar of its SGD base.
  if (optimizer.getClassName() === 'Momentum') (optimizer as unknown as { c: tf.Tensor }).c.dispose();
}

/** One real update of a throwaway variable (the loss is its sum), so the optimizer counts an iteration. */
export function updateOnce(optimizer: tf.Optimizer): void {
  const weight = tf.tidy(() => tf.variable(tf.zeros([1])));
  tf.tidy(() => {
    optimizer.minimize(() => weight.sum() as tf.Scalar, false, [weight]);
  });
  weight.dispose();
}

/** Whether a configuration cycles momentum (CyclicLR / OneCycleLR with `cycle_momentum`, the default). */
export function cyclesMomentum(config: Pick<ScheduleConfig, 'schedulers'>): boolean {
  return config.schedulers.some((s) => (s.type === 'CyclicLR' || s.type === 'OneCycleLR') && s.args?.cycle_momentum !== false);
}

/**
 * The tfjs optimizer for one param group of a configuration's optimizer kind. PyTorch's SGD always
 * carries a momentum (0); where momentum is cycled, `sgd` becomes tfjs's momentum optimizer at 0,
 * which computes plain SGD and can carry momentum.
 */
export function makeTfjsOptimizer(kind: string, group: ParamGroup, momentumForSgd: boolean): tf.Optimizer {
  switch (kind) {
    case 'sgd':
      return momentumForSgd ? tf.train.momentum(group.lr, 0) : tf.train.sgd(group.lr);
    case 'sgd_momentum':
      return tf.train.momentum(group.lr, group.momentum as number);
    case 'adam': {
      const [beta1, beta2] = group.betas as number[];
      return tf.train.adam(group.lr, beta1, beta2);
    }
    default:
      throw new Error(`unknown optimizer kind ${kind}`);
  }
}
