/**
 * Writing a group's lr / momentum / beta1 changes what the very next tfjs update does, for every
 * tfjs-core optimizer kind, and leaks no tensor. Expected updates are hand-computed from each
 * optimizer's update rule with the NEW hyper-parameters; each check also proves that the old values
 * would have given a different result (so the check can fail).
 */
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { asOptimizer, type ParamGroup } from '../../lib';
import { disposeOptimizer } from '../helpers/tfjs';

const EPSILON = 1e-7; // tfjs CPU backend epsilon
// tfjs computes in float32; Adam's `1 - beta2` cancels (0.999 in float32 is 0.99900001287), which
// alone puts a relative error near 1e-5 into its update. Every check below also proves that the old
// hyper-parameters would miss the expected value by far more than this.
const FLOAT32_TOLERANCE = 1e-5;

interface Case {
  name: string;
  make(): tf.Optimizer;
  /** Changes the group's hyper-parameters (lr 0.1 -> 0.5 and momentum / beta1 where the kind has one). */
  change(group: ParamGroup): void;
  /** w after one update from w0 = 1 with gradient g = 2, with the changed (or original) values. */
  expected(changed: boolean): number;
}

const w0 = 1;
const g = 2;

/** The Adam family's change: lr 0.1 -> 0.5 and beta1 0.9 -> 0.5 (beta2 stays 0.999). */
const changeLrAndBeta1 = (group: ParamGroup): void => {
  group.lr = 0.5;
  group.betas = [0.5, 0.999];
};
const adamFamilyValues = (changed: boolean): { lr: number; b1: number } => (changed ? { lr: 0.5, b1: 0.5 } : { lr: 0.1, b1: 0.9 });

const cases: Case[] = [
  {
    name: 'SGD',
    make: () => tf.train.sgd(0.1),
    change: (group) => (group.lr = 0.5),
    expected: (changed) => w0 - (changed ? 0.5 : 0.1) * g,
  },
  {
    name: 'Momentum',
    make: () => tf.train.momentum(0.1, 0.9),
    change: (group) => {
      group.lr = 0.5;
      group.momentum = 0.3;
    },
    // first update: acc = m * 0 + g; w -= lr * acc (momentum enters from the second update on)
    expected: (changed) => w0 - (changed ? 0.5 : 0.1) * g,
  },
  {
    name: 'Momentum (Nesterov)',
    make: () => tf.train.momentum(0.1, 0.9, true),
    change: (group) => {
      group.lr = 0.5;
      group.momentum = 0.3;
    },
    // acc = g; w -= lr * (g + acc * m)
    expected: (changed) => (changed ? w0 - 0.5 * (g + g * 0.3) : w0 - 0.1 * (g + g * 0.9)),
  },
  {
    name: 'Adam',
    make: () => tf.train.adam(0.1, 0.9, 0.999),
    change: changeLrAndBeta1,
    // PyTorch: m = (1 - b1) g, v = (1 - b2) g^2; w -= lr * (m / (1 - b1)) / (sqrt(v / (1 - b2)) + eps)
    expected: (changed) => {
      const { lr, b1 } = adamFamilyValues(changed);
      const b2 = 0.999;
      const m = (1 - b1) * g;
      const v = (1 - b2) * g * g;
      return w0 - (lr * (m / (1 - b1))) / (Math.sqrt(v / (1 - b2)) + EPSILON);
    },
  },
  {
    name: 'Adamax',
    make: () => tf.train.adamax(0.1, 0.9, 0.999),
    change: changeLrAndBeta1,
    // m = (1 - b1) g, u = max(b2 * 0, |g|); w -= lr / (1 - b1) * m / (u + eps)
    expected: (changed) => {
      const { lr, b1 } = adamFamilyValues(changed);
      return w0 - ((lr / (1 - b1)) * ((1 - b1) * g)) / (g + EPSILON);
    },
  },
  {
    name: 'RMSProp',
    make: () => tf.train.rmsprop(0.1, 0.9, 0.5),
    change: (group) => {
      group.lr = 0.5;
      group.momentum = 0.25;
    },
    // ms = (1 - decay) g^2; mom = momentum * 0 + lr * g / sqrt(ms + eps); w -= mom
    expected: (changed) => w0 - ((changed ? 0.5 : 0.1) * g) / Math.sqrt(0.1 * g * g + EPSILON),
  },
  {
    name: 'Adagrad',
    make: () => tf.train.adagrad(0.1),
    change: (group) => (group.lr = 0.5),
    // acc = 0.1 + g^2; w -= lr * g / sqrt(acc + eps)
    expected: (changed) => w0 - ((changed ? 0.5 : 0.1) * g) / Math.sqrt(0.1 + g * g + EPSILON),
  },
  {
    name: 'Adadelta',
    make: () => tf.train.adadelta(0.1, 0.95),
    change: (group) => (group.lr = 0.5),
    // tfjs 4.22 divides by the accumulated gradient from BEFORE this update (0 at the first):
    // update = sqrt(0 + eps) / sqrt(0 + eps) * g = g; w -= lr * update
    expected: (changed) => w0 - (changed ? 0.5 : 0.1) * g,
  },
];

function updateOnce(optimizer: tf.Optimizer): number {
  const weight = tf.tidy(() => tf.variable(tf.scalar(w0)));
  const gradient = tf.scalar(g);
  optimizer.applyGradients({ [weight.name]: gradient });
  const value = weight.dataSync()[0];
  weight.dispose();
  gradient.dispose();
  return value;
}


/**
 * The wasm backend registers itself with a higher priority than the CPU backend; it is loaded only
 * here and the CPU backend is set back afterwards, so the other specs keep running on CPU.
 */
async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (name === 'wasm') require('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend(name);
  await tf.ready();
}

describe('param groups over tfjs optimizers', () => {
  before(() => useBackend('cpu'));

  for (const backend of ['cpu', 'wasm'] as const) {
    describe(`on the ${backend} backend`, () => {
      before(() => useBackend(backend));
      after(() => useBackend('cpu'));

      for (const testCase of cases) {
        describe(testCase.name, () => {
          it('applies a written lr (and momentum / beta1) at the very next update', () => {
            const before = tf.memory().numTensors;
            const optimizer = testCase.make();
            const group = asOptimizer(optimizer).paramGroups[0];
            testCase.change(group);
            const updated = updateOnce(optimizer);
            const expected = testCase.expected(true);
            const unchanged = testCase.expected(false);
            expect(Math.abs(expected - unchanged)).to.be.greaterThan(10 * FLOAT32_TOLERANCE, 'the check must discriminate');
            expect(updated).to.be.closeTo(expected, FLOAT32_TOLERANCE * Math.max(1, Math.abs(expected)));
            disposeOptimizer(optimizer);
            expect(tf.memory().numTensors).to.equal(before);
          });

          it('leaks no tensor over 100,000 writes', () => {
            const optimizer = testCase.make();
            const group = asOptimizer(optimizer).paramGroups[0];
            const before = tf.memory().numTensors;
            const hasMomentum = 'momentum' in group;
            const hasBetas = 'betas' in group;
            for (let i = 0; i < 100000; i++) {
              group.lr = i % 2 === 0 ? 0.25 : 0.125;
              if (hasMomentum && i % 10 === 0) group.momentum = i % 20 === 0 ? 0.5 : 0.9;
              if (hasBetas && i % 10 === 0) group.betas = [i % 20 === 0 ? 0.5 : 0.9, 0.999];
            }
            expect(tf.memory().numTensors).to.equal(before);
            expect(group.lr).to.equal(0.125);
            disposeOptimizer(optimizer);
          });
        });
      }
    });
  }

  it('reads the optimizer\'s own values through the group', () => {
    const momentum = tf.train.momentum(0.05, 0.7);
    const adam = tf.train.adam(0.01, 0.8, 0.99);
    const sgd = tf.train.sgd(0.2);
    const [m, a, s] = asOptimizer([momentum, adam, sgd]).paramGroups;
    expect([m.lr, m.momentum]).to.deep.equal([0.05, 0.7]);
    expect([a.lr, a.betas]).to.deep.equal([0.01, [0.8, 0.99]]);
    expect(s.lr).to.equal(0.2);
    expect('momentum' in s).to.equal(false);
    [momentum, adam, sgd].forEach(disposeOptimizer);
  });

  it('keeps SGD\'s cached learning-rate tensor when the written lr is unchanged', () => {
    const optimizer = tf.train.sgd(0.1);
    const cached = (optimizer as unknown as { c: tf.Tensor }).c;
    asOptimizer(optimizer).paramGroups[0].lr = 0.1;
    expect((optimizer as unknown as { c: tf.Tensor }).c).to.equal(cached);
    disposeOptimizer(optimizer);
  });
});
