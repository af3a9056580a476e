import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { OneCycleLR, pymath } from '../../lib';

const INITIAL = [0.5, -0.3, 0.2];
const GRADIENTS = [
  [0.1, -0.2, 0.05],
  [-0.05, -0.1, 0.1],
  [0.2, 0.05, -0.15],
  [0.1, -0.3, 0.2],
  [-0.2, 0.1, 0.05],
  [0.05, 0.02, -0.1],
];
const BETA2 = 0.999;
const EPSILON = 1e-8;
/** tfjs computes in float32: a few ulps of float32 on values below 1, accumulated over six updates. */
const FLOAT32_TOLERANCE = 2e-6;

/**
 * PyTorch's Adam, by hand in float64, with the lr and beta1 in force at each step:
 * m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2; p -= lr * (m / (1 - b1**t)) / (sqrt(v / (1 - b2**t)) + eps).
 */
function pytorchAdam(lrs: readonly number[], beta1s: readonly number[]): number[] {
  const params = INITIAL.slice();
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  GRADIENTS.forEach((gradient, step) => {
    const t = step + 1;
    const b1 = beta1s[step];
    for (let i = 0; i < params.length; i++) {
      const g = gradient[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
      params[i] -= (lrs[step] * (m[i] / (1 - pymath.pow(b1, t)))) / (pymath.sqrt(v[i] / (1 - pymath.pow(BETA2, t))) + EPSILON);
    }
  });
  return params;
}

interface TrainingRun {
  params: number[];
  lrs: number[];
  beta1s: number[];
}

interface AdamInternals {
  beta1: number;
  learningRate: number;
  accBeta1: tf.Variable;
}

/**
 * A real tfjs Adam on a real variable under OneCycleLR (momentum cycling on). With `withoutReset`,
 * tfjs's `accBeta1` is put back after every scheduler write, as if beta1 were changed naively.
 */
function train(withoutReset: boolean): TrainingRun {
  const optimizer: tf.Optimizer = tf.train.adam(0.01, 0.9, BETA2, EPSILON);
  const internals = optimizer as unknown as AdamInternals;
  const variable = tf.tidy(() => tf.variable(tf.tensor1d(INITIAL)));
  const keepingAccumulator = (action: () => void): void => {
    const saved = internals.accBeta1.dataSync()[0];
    action();
    if (withoutReset) tf.tidy(() => internals.accBeta1.assign(tf.scalar(saved)));
  };
  let scheduler: OneCycleLR | undefined;
  keepingAccumulator(() => (scheduler = new OneCycleLR(optimizer, { maxLr: 0.05, totalSteps: 8 })));
  const lrs: number[] = [];
  const beta1s: number[] = [];
  for (const gradient of GRADIENTS) {
    lrs.push(internals.learningRate);
    beta1s.push(internals.beta1);
    tf.tidy(() => optimizer.applyGradients({ [variable.name]: tf.tensor1d(gradient) }));
    keepingAccumulator(() => scheduler?.step());
  }
  const params = Array.from(variable.dataSync());
  optimizer.dispose();
  variable.dispose();
  return { params, lrs, beta1s };
}

function maxDifference(a: readonly number[], b: readonly number[]): number {
  let max = 0;
  a.forEach((value, i) => (max = Math.max(max, Math.abs(value - b[i]))));
  return max;
}

describe("Adam beta1 cycling (tfjs Adam under OneCycleLR trains as PyTorch's Adam)", () => {
  it("matches PyTorch's Adam formula with the current beta1 at every step", () => {
    const before = tf.memory().numTensors;
    const run = train(false);
    expect(tf.memory().numTensors).to.equal(before);
    // beta1 really moved: 0.95 at the start, down near 0.85 around the lr peak, then back up
    expect(run.beta1s[0]).to.equal(0.95);
    expect(Math.min(...run.beta1s)).to.be.below(0.86);
    expect(run.beta1s[5]).to.be.above(run.beta1s[2]);
    const expected = pytorchAdam(run.lrs, run.beta1s);
    expect(maxDifference(run.params, expected)).to.be.below(FLOAT32_TOLERANCE);
    // PyTorch 2.13 itself (float64 Adam + OneCycleLR(max_lr=0.05, total_steps=8), same gradients)
    expect(maxDifference(expected, [0.43847441118012215, -0.22042449468672484, 0.14870538754743085])).to.be.below(1e-15);
  });

  it('would differ by far more than the tolerance without the accBeta1 reset', () => {
    const before = tf.memory().numTensors;
    const withReset = train(false);
    const withoutReset = train(true);
    expect(tf.memory().numTensors).to.equal(before);
    // the same lr and beta1 schedule reached the optimizer in both runs
    expect(withoutReset.lrs).to.deep.equal(withReset.lrs);
    expect(withoutReset.beta1s).to.deep.equal(withReset.beta1s);
    const expected = pytorchAdam(withReset.lrs, withReset.beta1s);
    expect(maxDifference(withoutReset.params, expected)).to.be.above(100 * FLOAT32_TOLERANCE);
  });
});
