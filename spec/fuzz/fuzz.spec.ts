/**
 * The `npm test` slice of every fuzz target (spec/<area>/<name>.fuzz.ts): each runs its
 * `sliceRuns` inputs here, in process, and must end with no crash, no partial change and no hang.
 * `npm run fuzz` runs them at full size, each in its own process (spec/fuzz/run.ts).
 */
import { relative } from 'node:path';
import { expect } from 'chai';
import { loadTarget, targetFiles } from './run';
import { FuzzTally } from './target';

describe('fuzz targets (the npm test slice; npm run fuzz runs them in full)', function () {
  this.timeout(120000);
  const files = targetFiles();

  it('finds the fuzz targets', () => {
    expect(files.map((file) => relative(__dirname, file))).to.include.members(['../state/state.fuzz.ts', '../checkpoint/checkpoint.fuzz.ts', '../checkpoint/generations.fuzz.ts']);
  });

  for (const file of files) {
    const target = loadTarget(file);
    if (target.sliceRuns === 0) continue;
    it(`${target.name}: ${target.sliceRuns} ${target.inputs}, each a typed rejection or accepted, nothing changed by a rejection`, async () => {
      const tally = new FuzzTally();
      await target.run(target.sliceRuns, tally);
      const { crash, partial, hang, inputs, rejected, accepted } = tally.counts;
      expect({ crash, partial, hang }, tally.failures.join('\n')).to.deep.equal({ crash: 0, partial: 0, hang: 0 });
      expect(inputs).to.be.at.least(target.sliceRuns * 0.9);
      expect(rejected + accepted).to.equal(inputs);
    });
  }
});
