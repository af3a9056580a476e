/**
 * The checkpoint entry's browser build (the `browser` export condition): the names of the Node
 * module, and one clear error from each function.
 */
import { expect } from 'chai';
import { LRSchedulerError } from '../../lib';
import * as nodeCheckpoint from '../../lib/checkpoint';
import * as browserCheckpoint from '../../lib/checkpoint/browser';

describe('checkpoints in a browser build', () => {
  it('exports the names of the Node module, so shared code builds for both', () => {
    expect(Object.keys(browserCheckpoint).sort()).to.deep.equal(Object.keys(nodeCheckpoint).sort());
    expect(browserCheckpoint.CHECKPOINT_FORMAT).to.equal(nodeCheckpoint.CHECKPOINT_FORMAT);
    expect(browserCheckpoint.CHECKPOINT_FORMAT_VERSION).to.equal(nodeCheckpoint.CHECKPOINT_FORMAT_VERSION);
    expect(browserCheckpoint.MANIFEST_FILE).to.equal(nodeCheckpoint.MANIFEST_FILE);
    expect(new browserCheckpoint.CheckpointError('x')).to.be.instanceOf(LRSchedulerError).and.include({ pythonType: 'ValueError', message: 'x' });
  });

  it('throws one error from each function: Node only, and what to use in a browser instead', async () => {
    const expected = (name: string): string =>
      `tfjs-lr-scheduler/checkpoint: ${name}() works in Node only (a checkpoint is a directory written with node:fs), ` +
      'and this is the browser build. In a browser, keep JSON.stringify(scheduler.stateDict()) and ' +
      "scheduler.optimizer.stateDict() in localStorage or IndexedDB and the model with model.save('indexeddb://name'): " +
      'see "Checkpoints in a browser" in the README';
    const rejections = await Promise.all([
      browserCheckpoint.saveCheckpoint('run', {}).catch((error: unknown) => error),
      browserCheckpoint.loadCheckpoint('run', {}).catch((error: unknown) => error),
    ]);
    expect(() => browserCheckpoint.readCheckpointModelArtifacts('run')).to.throw(LRSchedulerError, expected('readCheckpointModelArtifacts'));
    expect(rejections[0]).to.be.instanceOf(LRSchedulerError).and.have.property('message', expected('saveCheckpoint'));
    expect(rejections[1]).to.be.instanceOf(LRSchedulerError).and.have.property('message', expected('loadCheckpoint'));
  });
});
