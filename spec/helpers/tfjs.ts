/** tfjs helpers shared by the specs that touch real optimizers. */
import * as tf from '@tensorflow/tfjs';

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
