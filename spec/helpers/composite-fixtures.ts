/** Fixtures shared by the composite-scheduler specs. */
import { ConstantLR, ExponentialLR, VirtualOptimizer } from '../../lib';

/**
 * The children of PyTorch's SequentialLR and ChainedScheduler doc examples, on one group with lr 1.0:
 * ConstantLR(factor=0.1, total_iters=2), then ExponentialLR(gamma=0.9).
 */
export function docExampleChildren(): { optimizer: VirtualOptimizer; constant: ConstantLR; exponential: ExponentialLR } {
  const optimizer = new VirtualOptimizer([{ lr: 1.0 }]);
  const constant = new ConstantLR(optimizer, { factor: 0.1, totalIters: 2 });
  const exponential = new ExponentialLR(optimizer, { gamma: 0.9 });
  return { optimizer, constant, exponential };
}
