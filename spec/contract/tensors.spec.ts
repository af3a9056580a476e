/**
 * No tensor leak, over every registered class: each sample driving real tfjs optimizers
 * (`tf.train.momentum`, `tf.train.adam`) through 1000 updates and scheduler steps keeps
 * `tf.memory().numTensors` constant, and disposing the optimizers returns it to where it started.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import type { ScheduleConfig } from '../../lib';
import { build, stepDriver } from '../state/schedule-run';
import { classSamples } from './class-samples';

const STEPS = 1000;

interface Rig {
  optimizers: tf.Optimizer[];
  variables: tf.Variable[];
  gradients: tf.Tensor[];
}

function dispose(rig: Rig): void {
  for (const optimizer of rig.optimizers) {
    optimizer.dispose();
    // tfjs 4.22: MomentumOptimizer.dispose() forgets the learning-rate scalar of its SGD base.
    if (optimizer.getClassName() === 'Momentum') (optimizer as unknown as { c: tf.Tensor }).c.dispose();
  }
  rig.variables.forEach((variable) => variable.dispose());
  rig.gradients.forEach((gradient) => gradient.dispose());
}

function runWithTfjs(config: ScheduleConfig, kind: 'momentum' | 'adam'): { during: number; after: number; before: number } {
  const before = tf.memory().numTensors;
  const rig: Rig = { optimizers: [], variables: [], gradients: [] };
  const built = build({ ...config, optimizer: { ...config.optimizer, kind: kind === 'adam' ? 'adam' : 'sgd_momentum' } }, {
    optimizer: (_kind, groups) =>
      groups.map((group) => {
        rig.variables.push(tf.tidy(() => tf.variable(tf.zeros([2]))));
        rig.gradients.push(tf.ones([2]));
        const optimizer = kind === 'adam' ? tf.train.adam(group.lr, 0.9, 0.999) : tf.train.momentum(group.lr, (group.momentum as number | undefined) ?? 0.9);
        rig.optimizers.push(optimizer);
        return optimizer;
      }),
  });
  const update = (): void => {
    rig.optimizers.forEach((optimizer, i) => optimizer.applyGradients({ [rig.variables[i].name]: rig.gradients[i] }));
  };
  update();
  stepDriver(built, 0);
  const settled = tf.memory().numTensors;
  for (let i = 1; i < STEPS; i++) {
    update();
    stepDriver(built, i);
  }
  const during = tf.memory().numTensors - settled;
  dispose(rig);
  return { before, during, after: tf.memory().numTensors - before };
}

describe('contract: no tensor leak with real tfjs optimizers', function () {
  this.timeout(120000);
  before(() => {
    tf.setBackend('cpu');
  });

  for (const { className, config } of classSamples()) {
    for (const kind of ['momentum', 'adam'] as const) {
      it(`${className} over tf.train.${kind}: ${STEPS} steps leave tf.memory().numTensors unchanged`, () => {
        const { during, after } = runWithTfjs(config, kind);
        expect(during, 'tensors created and kept while stepping').to.equal(0);
        expect(after, 'tensors left after disposing the optimizers').to.equal(0);
      });
    }
  }
});
