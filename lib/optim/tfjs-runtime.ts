/**
 * The few tfjs-core functions the param groups need to replace cached tensors. Loaded lazily,
 * so nothing here requires tfjs unless a tfjs optimizer is being scheduled (tfjs-core is a peer).
 */
interface TfjsScalarOps {
  scalar(value: number): TfjsTensor;
  tensor(values: Float32Array, shape: number[], dtype: 'float32'): TfjsTensor;
  keep<T extends TfjsTensor>(tensor: T): T;
  tidy<T>(fn: () => T): T;
}

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

let ops: TfjsScalarOps | undefined;

export function tfjsOps(): TfjsScalarOps {
  if (ops === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ops = require('@tensorflow/tfjs-core') as TfjsScalarOps;
  }
  return ops;
}
