/**
 * The facts about tfjs-layers 4.22's model.fit that LRSchedulerCallback's design rests on, and the
 * one arrangement it cannot rescue; if a tfjs upgrade changes them, these specs say so.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { LRSchedulerCallback, StepLR, type TfjsLayersLike } from '../../lib';
import { BATCH_SIZE, linearProbe, type Probe } from './fit-probe';

type Callbacks = NonNullable<tf.ModelFitArgs['callbacks']>;

function otherTfjsLayersCopy(): TfjsLayersLike {
  const path = require.resolve('@tensorflow/tfjs-layers');
  const saved = require.cache[path];
  delete require.cache[path];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@tensorflow/tfjs-layers') as TfjsLayersLike;
  } finally {
    require.cache[path] = saved;
  }
}

async function fitError(probe: Probe, callbacks: Callbacks): Promise<Error | undefined> {
  try {
    await probe.model.fit(probe.x, probe.y, { epochs: 1, batchSize: BATCH_SIZE, verbose: 0, callbacks });
  } catch (caught) {
    return caught as Error;
  }
  return undefined;
}

describe('tfjs-layers model.fit callbacks (facts LRSchedulerCallback relies on)', () => {
  let probe: Probe;
  let tensorsBefore: number;
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
    probe = linearProbe('sgd');
  });
  afterEach(() => {
    probe.dispose();
    expect(tf.memory().numTensors).to.equal(tensorsBefore);
  });

  it('wraps a plain object in CustomCallback, calling its methods without the object as `this`', async () => {
    const plain = {
      epochs: 0,
      onEpochEnd(this: { epochs: number }): void {
        this.epochs += 1;
      },
    };
    expect(await fitError(probe, [plain])).to.equal(undefined);
    expect(plain.epochs).to.equal(0);
  });

  it('uses an array whose first element is a tf.Callback as-is: a plain object after it crashes fit', async () => {
    const error = await fitError(probe, [tf.callbacks.earlyStopping({ monitor: 'loss' }), { onEpochEnd: async () => {} }] as Callbacks);
    expect(error?.message).to.match(/setParams is not a function/);
  });

  it('crashes fit with a tf.Callback subclass from another copy of tfjs-layers among its own', async () => {
    const other = otherTfjsLayersCopy() as unknown as { Callback: new () => tf.Callback };
    const error = await fitError(probe, [tf.callbacks.earlyStopping({ monitor: 'loss' }), new other.Callback()]);
    expect(error?.message).to.equal('model must be a LayersModel, not some other Container');
  });

  it('passes logs to class-based callbacks as tensors and to plain objects as numbers', async () => {
    const seen: string[] = [];
    class Spy extends tf.Callback {
      override async onEpochEnd(_epoch: number, logs?: tf.Logs): Promise<void> {
        seen.push(`class: ${typeof logs?.loss}`);
      }
    }
    await fitError(probe, [new Spy()]);
    await fitError(probe, [{ onEpochEnd: (_epoch: number, logs?: tf.Logs) => void seen.push(`plain: ${typeof logs?.loss}`) }]);
    expect(seen).to.deep.equal(['class: object', 'plain: number']);
  });

  it('cannot be rescued: a callback not of the app\'s tfjs placed before earlyStopping makes tfjs wrap earlyStopping too', async () => {
    const optimizer = probe.model.optimizer;
    const callback = new LRSchedulerCallback(new StepLR(optimizer, { stepSize: 1 }), { tf: null });
    const error = await fitError(probe, [callback, tf.callbacks.earlyStopping({ monitor: 'loss' })]);
    expect(error?.message).to.match(/is not a function/);
  });
});
