/**
 * A metric as PyTorch's `float(metrics)` reads it: a number, or a tensor with exactly one element
 * (a tfjs loss is usually a scalar tensor). Tensors are recognised by their shape and `dataSync`,
 * without importing tfjs, so any copy of tfjs (and any backend) fits.
 */
import { InvalidArgumentError } from './errors';
import { describeValue } from './state/state-reader';

/** The parts of a tfjs tensor a metric needs (structural: any tfjs copy's `tf.Tensor` fits). */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly isDisposed?: boolean;
  dataSync(): ArrayLike<number | string | Uint8Array>;
  data(): Promise<ArrayLike<number | string | Uint8Array>>;
}

/** What `ReduceLROnPlateau.step` and the warmup's plateau path take: a number or a one-element tensor. */
export type Metric = number | TensorLike;

/** Whether `value` looks like a tfjs tensor: a `shape` array and `dataSync` / `data` methods. */
export function isTensorLike(value: unknown): value is TensorLike {
  if (typeof value !== 'object' || value === null) return false;
  const tensor = value as Partial<TensorLike>;
  return Array.isArray(tensor.shape) && typeof tensor.dataSync === 'function' && typeof tensor.data === 'function';
}

/**
 * Why a tensor cannot be read as a metric (disposed, not exactly one element, a complex or string
 * dtype), or `undefined` when it can. `where` starts the message: `ReduceLROnPlateau.step: metrics`.
 */
export function tensorMetricError(tensor: TensorLike, where: string): InvalidArgumentError | undefined {
  const shape = `[${tensor.shape.join(', ')}]`;
  if (tensor.isDisposed === true) return new InvalidArgumentError(`${where} is a tensor that was already disposed (shape ${shape})`);
  const size = tensor.shape.reduce((product, dimension) => product * dimension, 1);
  if (size !== 1) {
    return new InvalidArgumentError(
      `${where} must be a number or a one-element tensor, got a tensor of shape ${shape} ` +
        '(PyTorch: only one element tensors can be converted to Python scalars)',
    );
  }
  if (tensor.dtype === 'string' || tensor.dtype === 'complex64') {
    return new InvalidArgumentError(`${where} must be a number or a real-valued tensor, got a ${tensor.dtype} tensor`, 'TypeError');
  }
  return undefined;
}

/**
 * `float(metrics)`: a number as it is, a one-element tensor read synchronously (`dataSync()`; the
 * tensor stays the caller's, nothing is disposed or created). Anything else throws a typed error.
 */
export function metricValue(value: unknown, where: string): number {
  if (typeof value === 'number') return value;
  if (isTensorLike(value)) {
    const problem = tensorMetricError(value, where);
    if (problem !== undefined) throw problem;
    return Number(value.dataSync()[0]);
  }
  throw new InvalidArgumentError(`${where} must be a number or a one-element tensor, got ${describeValue(value)}`, 'TypeError');
}
