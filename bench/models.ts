/**
 * The models the in-training measurements train: a small MLP (64-128-10, 9,610 parameters) and one
 * about 10x larger (128-256-256-10, 101,386 parameters), batch 32, softmax cross-entropy on fixed
 * random data. `mlp()` is for custom loops (`optimizer.minimize(loss)`), `layersMlp()` the same
 * network as a tfjs-layers model for `model.fit`.
 */
import type * as Tf from '@tensorflow/tfjs';

export type ModelSize = 'small' | 'large';

export const MODEL_LAYERS: Readonly<Record<ModelSize, readonly number[]>> = {
  small: [64, 128, 10],
  large: [128, 256, 256, 10],
};

export const BATCH = 32;

export interface Mlp {
  layers: readonly number[];
  params: number;
  variables: Tf.Variable[];
  /** The loss of one batch (`optimizer.minimize(mlp.loss, false, mlp.variables)`). */
  loss: () => Tf.Scalar;
  dispose(): void;
}

export function mlp(tf: typeof Tf, size: ModelSize): Mlp {
  const layers = MODEL_LAYERS[size];
  const variables: Tf.Variable[] = [];
  for (let i = 0; i + 1 < layers.length; i++) {
    variables.push(tf.variable(tf.randomNormal([layers[i], layers[i + 1]], 0, 0.1, 'float32', 17 + i)));
    variables.push(tf.variable(tf.zeros([layers[i + 1]])));
  }
  const x = tf.randomNormal([BATCH, layers[0]], 0, 1, 'float32', 5);
  const labels = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH], 0, layers[layers.length - 1], 'int32', 7) as Tf.Tensor1D, layers[layers.length - 1]));
  const loss = (): Tf.Scalar => {
    let h: Tf.Tensor = x;
    for (let i = 0; i < variables.length; i += 2) {
      h = tf.add(tf.matMul(h, variables[i]), variables[i + 1]);
      if (i + 2 < variables.length) h = tf.relu(h);
    }
    return tf.losses.softmaxCrossEntropy(labels, h) as Tf.Scalar;
  };
  return {
    layers,
    params: variables.reduce((sum, v) => sum + v.size, 0),
    variables,
    loss,
    dispose: () => {
      for (const v of variables) v.dispose();
      x.dispose();
      labels.dispose();
    },
  };
}

/** The same network as a tfjs-layers model, compiled with `optimizer`, and `batches` batches of data. */
export function layersMlp(
  tf: typeof Tf,
  size: ModelSize,
  optimizer: Tf.Optimizer,
  batches: number,
): { model: Tf.LayersModel; x: Tf.Tensor; y: Tf.Tensor; dispose(): void } {
  const layers = MODEL_LAYERS[size];
  const model = tf.sequential();
  for (let i = 1; i < layers.length; i++) {
    model.add(
      tf.layers.dense({
        units: layers[i],
        activation: i + 1 < layers.length ? 'relu' : 'softmax',
        inputShape: i === 1 ? [layers[0]] : undefined,
        kernelInitializer: tf.initializers.randomNormal({ stddev: 0.1, seed: 17 + i }),
      }),
    );
  }
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([BATCH * batches, layers[0]], 0, 1, 'float32', 5);
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH * batches], 0, layers[layers.length - 1], 'int32', 7) as Tf.Tensor1D, layers[layers.length - 1]));
  return {
    model,
    x,
    y,
    dispose: () => {
      model.dispose();
      x.dispose();
      y.dispose();
    },
  };
}
