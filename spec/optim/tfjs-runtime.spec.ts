/**
 * The scalar operations the param groups reach through the running tfjs engine (no tfjs import):
 * the same tensors as tf.scalar and tf.keep make, and a clear error where no tfjs runs.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { tfjsOps } from '../../lib/optim/tfjs-runtime';

describe('tfjs runtime (scalars through the running engine)', () => {
  it('makes the float32 scalars tf.scalar makes, on the current backend', () => {
    const before = tf.memory().numTensors;
    for (const value of [0.9, -0.95, 1e-300, 3.4028235677973366e38, 0, -0, 1 / 3]) {
      const ours = tfjsOps().scalar(value) as tf.Tensor;
      const theirs = tf.scalar(value);
      expect(ours.dtype).to.equal('float32');
      expect(ours.shape).to.deep.equal([]);
      expect(Object.is(ours.dataSync()[0], theirs.dataSync()[0]), String(value)).to.equal(true);
      ours.dispose();
      theirs.dispose();
    }
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('keeps a scalar made inside tf.tidy', () => {
    const before = tf.memory().numTensors;
    const kept = tf.tidy(() => {
      const ops = tfjsOps();
      ops.scalar(1); // disposed by tidy
      return ops.keep(ops.scalar(2)) as tf.Tensor;
    });
    expect(kept.isDisposed).to.equal(false);
    expect(tf.memory().numTensors).to.equal(before + 1);
    kept.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('reports a missing tfjs engine when a Momentum or Adam optimizer is scheduled, not inside step()', () => {
    const script = [
      `const { asOptimizer } = require(${JSON.stringify(join(__dirname, '..', '..', 'lib', 'optim', 'optimizer-view.ts'))});`,
      "const momentumLike = { getClassName: () => 'Momentum', applyGradients() {}, iterations: 0, learningRate: 0.1, momentum: 0.9 };",
      'try { asOptimizer(momentumLike); console.log("no error"); } catch (error) { console.log(error.constructor.name + ": " + error.message); }',
      "console.log(JSON.stringify(Object.keys(require.cache).filter((key) => key.includes('@tensorflow'))));",
    ].join('\n');
    const result = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { encoding: 'utf8' });
    expect(result.stdout.trim().split('\n')).to.deep.equal([
      'InvalidArgumentError: asOptimizer: a tfjs optimizer was given, but no tfjs engine is running (globalThis._tfengine, ' +
        'which @tensorflow/tfjs-core registers when it is imported): import tfjs before scheduling its optimizers',
      '[]',
    ]);
  });
});
