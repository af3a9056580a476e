/**
 * The few tfjs-core operations the param groups need to replace cached scalar tensors, reached
 * without importing tfjs (an optional peer): through the engine every tfjs-core copy registers on
 * the global object (`_tfengine`, shared by all copies: that is how tfjs keeps one tensor registry).
 * `engine.makeTensor(Float32Array.of(v), [], 'float32')` and `engine.keep(t)` are exactly what
 * `tf.scalar(v)` and `tf.keep(t)` call, so no tfjs copy gets into a bundle through this package and
 * the app's own tfjs makes the tensors, on its backend.
 */
import { InvalidArgumentError } from '../errors';

export interface TfjsTensor {
  dispose(): void;
}

/** The parts of a tfjs tensor or variable the slot code reads. */
export interface TfjsTensorData extends TfjsTensor {
  readonly shape: number[];
  readonly dtype: string;
  data(): Promise<ArrayLike<number>>;
  dataSync(): ArrayLike<number>;
  variable(trainable?: boolean, name?: string): TfjsVariable & TfjsTensorData;
}

export interface TfjsVariable extends TfjsTensor {
  assign(value: TfjsTensor): void;
}

/** The parts of tfjs-core's `Engine` used here (stable since tfjs-core 1.0). */
interface TfjsEngine {
  makeTensor(values: Float32Array, shape: number[], dtype: 'float32'): TfjsTensor;
  keep<T extends TfjsTensor>(tensor: T): T;
}

export interface TfjsScalarOps {
  /** `tf.scalar(value)` (float32). */
  scalar(value: number): TfjsTensor;
  /** `tf.tensor(values, shape, 'float32')`. */
  tensor(values: Float32Array, shape: number[], dtype: 'float32'): TfjsTensor;
  /** `tf.keep(tensor)`: survives the `tf.tidy` scope it is made in. */
  keep<T extends TfjsTensor>(tensor: T): T;
}

let ops: TfjsScalarOps | undefined;

function isEngine(value: unknown): value is TfjsEngine {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<TfjsEngine>).makeTensor === 'function' &&
    typeof (value as Partial<TfjsEngine>).keep === 'function'
  );
}

/**
 * The running tfjs engine's scalar operations. Called when a param group over a tfjs optimizer is
 * made (so a missing engine is reported there, not inside `step()`), then cached.
 */
export function tfjsOps(): TfjsScalarOps {
  if (ops === undefined) {
    // tfjs-core's getGlobalNamespace(): window, else global, else process, else self.
    const scope = globalThis as { _tfengine?: unknown; process?: { _tfengine?: unknown } };
    const engine = scope._tfengine ?? scope.process?._tfengine;
    if (!isEngine(engine)) {
      throw new InvalidArgumentError(
        'asOptimizer: a tfjs optimizer was given, but no tfjs engine is running (globalThis._tfengine, which ' +
          "@tensorflow/tfjs-core registers when it is imported): import tfjs before scheduling its optimizers",
        'TypeError',
      );
    }
    ops = {
      scalar: (value) => engine.makeTensor(Float32Array.of(value), [], 'float32'),
      tensor: (values, shape, dtype) => engine.makeTensor(values, shape, dtype),
      keep: (tensor) => engine.keep(tensor),
    };
  }
  return ops;
}
