/**
 * saveCheckpoint / loadCheckpoint: a run saved, restored into freshly built objects and continued
 * matches the uninterrupted run bit for bit (losses, lrs, weights, Adam's and Adamax's
 * bias-correction accumulators); a checkpoint that does not fit changes nothing; the previous
 * checkpoint survives a save that is killed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { createScheduler, getScheduler, type LRScheduler } from '../../lib';
import { CheckpointError, loadCheckpoint, readCheckpointModelArtifacts, saveCheckpoint } from '../../lib/checkpoint';
import { disposeRig, makeRig, trainEpoch, type OptimizerKind, type Rig } from './fixtures/training';

const BEFORE = 6;
const AFTER = 8;

async function weightsOf(rig: Rig): Promise<number[]> {
  const out: number[] = [];
  for (const w of rig.model.getWeights()) out.push(...(await w.data()));
  return out;
}

async function accumulators(rig: Rig): Promise<number[]> {
  const internals = rig.optimizer as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
  const out: number[] = [];
  for (const v of [internals.accBeta1, internals.accBeta2]) if (v !== undefined) out.push((await v.data())[0]);
  return out;
}

async function epochs(rig: Rig, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const { loss, lr } = await trainEpoch(rig);
    out.push(`${loss} ${lr}`);
  }
  return out;
}

/** Resolves once no process of the group is left. */
async function waitUntilGone(group: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(-group, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`process group ${group} is still alive`);
}

describe('checkpoints', function () {
  this.timeout(60000);
  let root: string;
  before(() => {
    tf.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'lr-checkpoint-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const kind of ['adam', 'adamax', 'momentum', 'rmsprop'] as OptimizerKind[]) {
    it(`a run over tf.train.${kind} resumed from a checkpoint in fresh objects continues bit for bit`, async () => {
      const tensorsBefore = tf.memory().numTensors;
      const dir = join(root, `resume-${kind}`);
      const total = BEFORE + AFTER + 2;
      const original = makeRig(kind, total);
      await epochs(original, BEFORE);
      await saveCheckpoint(dir, { model: original.model, scheduler: original.scheduler, extra: { epoch: BEFORE } });
      const uninterrupted = await epochs(original, AFTER);
      const expectedWeights = await weightsOf(original);
      const expectedAccumulators = await accumulators(original);
      const expectedLastLr = original.scheduler.getLastLr();

      const resumed = makeRig(kind, total);
      const loaded = await loadCheckpoint(dir, { model: resumed.model, optimizer: resumed.optimizer, scheduler: resumed.scheduler });
      expect(loaded.extra).to.deep.equal({ epoch: BEFORE });
      expect(resumed.optimizer.iterations).to.equal(BEFORE);
      const continued = await epochs(resumed, AFTER);
      expect(continued).to.deep.equal(uninterrupted);
      expect(await weightsOf(resumed)).to.deep.equal(expectedWeights);
      expect(await accumulators(resumed)).to.deep.equal(expectedAccumulators);
      expect(resumed.scheduler.getLastLr()).to.deep.equal(expectedLastLr);
      disposeRig(original);
      disposeRig(resumed);
      expect(tf.memory().numTensors, 'tensors leaked').to.equal(tensorsBefore);
    });
  }

  const schedules: Array<[string, (optimizer: tf.Optimizer) => LRScheduler]> = [
    ['SWALR mid-anneal (swa_lr travels in the param groups)', (optimizer) => createScheduler(optimizer, 'SWALR', { swa_lr: 0.002, anneal_epochs: 10 })],
    ["transformers' get_scheduler('cosine') in its decay", (optimizer) => getScheduler('cosine', optimizer, { numWarmupSteps: 3, numTrainingSteps: 12 })],
  ];
  for (const [name, schedule] of schedules) {
    it(`resumes ${name} over tf.train.adam from a checkpoint, bit for bit`, async () => {
      const tensorsBefore = tf.memory().numTensors;
      const dir = join(root, `resume-${name.split(' ')[0].replace(/\W/g, '')}`);
      const original = makeRig('adam', BEFORE + AFTER, 8, schedule);
      await epochs(original, BEFORE);
      await saveCheckpoint(dir, { model: original.model, scheduler: original.scheduler });
      const uninterrupted = await epochs(original, AFTER);
      const resumed = makeRig('adam', BEFORE + AFTER, 8, (optimizer) => {
        const fresh = schedule(optimizer);
        // A different swa_lr at construction: the checkpoint's param groups bring the saved one back.
        if (fresh.getClassName() === 'SWALR') fresh.optimizer.paramGroups[0].swa_lr = 0.5;
        return fresh;
      });
      await loadCheckpoint(dir, { model: resumed.model, scheduler: resumed.scheduler });
      expect(await epochs(resumed, AFTER)).to.deep.equal(uninterrupted);
      expect(resumed.scheduler.stateDict()).to.deep.equal(original.scheduler.stateDict());
      disposeRig(original);
      disposeRig(resumed);
      expect(tf.memory().numTensors, 'tensors leaked').to.equal(tensorsBefore);
    });
  }

  it("restores Adam's accBeta1 exactly as the run accumulated it while a schedule changed beta1 between updates", async () => {
    const dir = join(root, 'adam-beta1');
    const rig = makeRig('adam', 20);
    // Two updates per scheduler step: accBeta1 is a running float32 product over changing beta1 values.
    for (let i = 0; i < 5; i++) await trainEpoch(rig, 2);
    const internals = rig.optimizer as unknown as { accBeta1: tf.Variable; beta1: number };
    const saved = (await internals.accBeta1.data())[0];
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler });
    const fresh = makeRig('adam', 20);
    await loadCheckpoint(dir, { model: fresh.model, scheduler: fresh.scheduler });
    const restored = fresh.optimizer as unknown as { accBeta1: tf.Variable; beta1: number };
    expect((await restored.accBeta1.data())[0]).to.equal(saved);
    expect(restored.beta1).to.equal(internals.beta1);
    expect(fresh.optimizer.iterations).to.equal(rig.optimizer.iterations);
    // And the next updates and beta1 changes go on identically.
    for (let i = 0; i < 4; i++) {
      await trainEpoch(rig, 2);
      await trainEpoch(fresh, 2);
    }
    expect((await restored.accBeta1.data())[0]).to.equal((await internals.accBeta1.data())[0]);
    expect(await weightsOf(fresh)).to.deep.equal(await weightsOf(rig));
    disposeRig(rig);
    disposeRig(fresh);
  });

  it('hands the model artifacts to tf.loadLayersModel(tf.io.fromMemory(...)) with the same weights', async () => {
    const dir = join(root, 'artifacts');
    const rig = makeRig('momentum', 10);
    await epochs(rig, 2);
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler });
    const expected = await weightsOf(rig);
    // The loaded model registers variables under the saved names: the original must be gone.
    disposeRig(rig);
    const model = await tf.loadLayersModel(tf.io.fromMemory(readCheckpointModelArtifacts(dir)));
    const a: number[] = [];
    for (const w of model.getWeights()) a.push(...(await w.data()));
    expect(a).to.deep.equal(expected);
    model.dispose();
  });

  it('rejects a checkpoint that does not fit, changing neither model, optimizer nor scheduler', async () => {
    const dir = join(root, 'mismatch');
    const rig = makeRig('adam', 20);
    await epochs(rig, 3);
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler });
    const target = makeRig('momentum', 20);
    await epochs(target, 1);
    const before = JSON.stringify([await weightsOf(target), target.scheduler.stateDict(), target.scheduler.optimizer.stateDict(), target.optimizer.iterations]);
    let error: unknown;
    try {
      await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).to.be.instanceOf(CheckpointError).and.have.property('message').that.contains('OneCycleLR state, the scheduler is a CyclicLR');
    expect(JSON.stringify([await weightsOf(target), target.scheduler.stateDict(), target.scheduler.optimizer.stateDict(), target.optimizer.iterations])).to.equal(before);

    // A damaged weights file, a newer format version.
    const sameKind = makeRig('adam', 20);
    const generation = join(dir, 'g000000000001');
    const weightsFile = join(generation, 'model.weights.bin');
    const bytes = readFileSync(weightsFile);
    bytes[3] ^= 0xff;
    writeFileSync(weightsFile, bytes);
    const snapshot = JSON.stringify([await weightsOf(sameKind), sameKind.scheduler.stateDict()]);
    await loadCheckpoint(dir, { model: sameKind.model, scheduler: sameKind.scheduler }).then(
      () => expect.fail('a damaged checkpoint was loaded'),
      (thrown: unknown) => expect(thrown).to.be.instanceOf(CheckpointError).and.have.property('message').that.contains('damaged'),
    );
    const manifestFile = join(generation, 'checkpoint.json');
    writeFileSync(manifestFile, readFileSync(manifestFile, 'utf8').replace('"formatVersion": 2', '"formatVersion": 99'));
    await loadCheckpoint(dir, { model: sameKind.model, scheduler: sameKind.scheduler }).then(
      () => expect.fail('a newer format was loaded'),
      (thrown: unknown) => expect(thrown).to.be.instanceOf(CheckpointError).and.have.property('message').that.contains('format version 99'),
    );
    expect(JSON.stringify([await weightsOf(sameKind), sameKind.scheduler.stateDict()])).to.equal(snapshot);
    disposeRig(rig);
    disposeRig(target);
    disposeRig(sameKind);
  });

  it('reads the generation CURRENT names, ignores what a killed save left, and the next save removes only that', async () => {
    const dir = join(root, 'leftovers');
    const rig = makeRig('adam', 20);
    await epochs(rig, 2);
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'first' });
    // What a save killed before switching CURRENT leaves: a generation that never became current, and a
    // temporary directory of a process that is gone. Beside them, a user's own directory of a similar name.
    mkdirSync(join(dir, 'g000000000002'));
    writeFileSync(join(dir, 'g000000000002', 'checkpoint.json'), '{}');
    mkdirSync(join(dir, '.tmp-g000000000003-999999999-0123abcd'));
    mkdirSync(`${dir}.partial-notes`);
    mkdirSync(`${dir}.previous`);
    const fresh = makeRig('adam', 20);
    const loaded = await loadCheckpoint(dir, { model: fresh.model, scheduler: fresh.scheduler });
    expect([loaded.extra, loaded.generation]).to.deep.equal(['first', 1]);
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'next' });
    // Generation 1 (the previous one, for readers still on it) and the new generation 4 are kept.
    expect(readdirSync(dir).sort()).to.deep.equal(['CURRENT', 'g000000000001', 'g000000000004']);
    expect(existsSync(`${dir}.partial-notes`) && existsSync(`${dir}.previous`)).to.equal(true);
    expect((await loadCheckpoint(dir, { model: fresh.model, scheduler: fresh.scheduler })).extra).to.equal('next');
    disposeRig(rig);
    disposeRig(fresh);
  });

  it('keeps the previous checkpoint intact and loadable when the saving process is killed (SIGKILL) mid-save', async function () {
    this.timeout(240000);
    const dir = join(root, 'killed');
    const kills = [0, 8, 25];
    for (const delay of kills) {
      // Its own process group: `npx tsx` runs the script in a grandchild, killed together with it.
      const child = spawn('npx', ['tsx', join(__dirname, 'fixtures', 'save-forever.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const group = child.pid as number;
      let output = '';
      let errors = '';
      let killing = false;
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          // Killed while its third save is being written (after `delay` ms of it).
          if (!killing && output.includes('saving 3\n')) {
            killing = true;
            setTimeout(() => process.kill(-group, 'SIGKILL'), delay);
          }
        });
        child.on('exit', () => resolve());
        child.on('error', reject);
      });
      await waitUntilGone(group);
      expect(output, `the child never reached its third save: ${output}${errors.replace(/=+\n.*tfjs-node.*\n=+\n/s, '')}`).to.contain('saving 3\n');
      const rig = makeRig('adam', 1000, 64);
      const loaded = await loadCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler });
      const saved = (loaded.extra as { save: number }).save;
      expect(saved, `killed ${delay} ms into a save`).to.be.oneOf([2, 3]);
      expect(rig.scheduler.lastEpoch).to.equal(saved);
      disposeRig(rig);
    }
  });
});
