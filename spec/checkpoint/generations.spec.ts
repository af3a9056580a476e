/**
 * Generations (issue 13 #6, #7): readers always get one complete generation while a writer saves;
 * saves in one process are queued, a save while another process holds the lock is rejected; a save
 * deletes only what is recognisably its own.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { CheckpointError, loadCheckpoint, readCheckpointModelArtifacts, saveCheckpoint } from '../../lib/checkpoint';
import { disposeRig, makeRig, snapshot, trainEpoch, type Rig } from './fixtures/training';

async function rejection(promise: Promise<unknown>): Promise<CheckpointError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(CheckpointError);
    return error as CheckpointError;
  }
  return expect.fail('it succeeded') as never;
}

describe('checkpoint generations', function () {
  this.timeout(120000);
  let root: string;
  let rig: Rig;
  let target: Rig;
  before(async () => {
    tf.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'lr-generations-'));
    rig = makeRig('adam', 100);
    await trainEpoch(rig);
    target = makeRig('adam', 100);
  });
  after(() => {
    disposeRig(rig);
    disposeRig(target);
    rmSync(root, { recursive: true, force: true });
  });

  it('gives a reader polling beside a writer process one complete generation every time (issue 13 #6)', async () => {
    const dir = join(root, 'polled');
    // Each save's extra is its scheduler's lastEpoch (the writer trains one epoch per save).
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: { save: rig.scheduler.lastEpoch } });
    const saves = 20;
    const writer = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'fixtures', 'save-loop.ts'), dir, String(saves)], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let running = true;
    writer.on('exit', () => (running = false));
    const seen = new Set<number>();
    const failures: string[] = [];
    let reads = 0;
    while (running) {
      try {
        const loaded = await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler });
        const save = (loaded.extra as { save: number }).save;
        // The extra data, the scheduler state and the generation belong together.
        expect(target.scheduler.lastEpoch).to.equal(save);
        seen.add(loaded.generation);
        if (reads % 3 === 0) readCheckpointModelArtifacts(dir);
      } catch (error) {
        failures.push((error as Error).message);
      }
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(writer.exitCode).to.equal(0);
    expect(failures.slice(0, 3)).to.deep.equal([]);
    expect(reads).to.be.above(saves);
    expect(seen.size, 'the reader saw the generations change').to.be.above(3);
    // What is left: CURRENT, the last generation and the one before it.
    expect(readdirSync(dir).sort()).to.deep.equal(['CURRENT', 'g000000000020', 'g000000000021']);
  });

  it('queues saves into one directory made at once in one process, in call order (issue 13 #6)', async () => {
    const dir = join(root, 'queued');
    const manifests = await Promise.all([1, 2, 3, 4, 5].map((save) => saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: { save } })));
    expect(manifests.map((m) => [m.generation, m.extra])).to.deep.equal([1, 2, 3, 4, 5].map((n) => [n, { save: n }]));
    expect(readdirSync(dir).sort()).to.deep.equal(['CURRENT', 'g000000000004', 'g000000000005']);
    expect((await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler })).extra).to.deep.equal({ save: 5 });
  });

  it('captures what it saves when called, even if training goes on before the save is written', async () => {
    const dir = join(root, 'captured');
    const before = await snapshot(rig);
    const epoch = rig.scheduler.lastEpoch;
    const saving = saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler });
    await trainEpoch(rig);
    await saving;
    await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler });
    expect(target.scheduler.lastEpoch).to.equal(epoch);
    expect(await snapshot(target)).to.equal(before);
  });

  it('rejects a save while another process holds the lock, and takes over the lock of a process that is gone', async () => {
    const dir = join(root, 'locked');
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'first' });
    const other = spawn('sleep', ['30']);
    await new Promise((resolve) => other.on('spawn', resolve));
    const lock = { pid: other.pid, threadId: 0, hostname: hostname(), createdAt: '2025-01-01T00:00:00.000Z' };
    writeFileSync(join(dir, 'LOCK'), JSON.stringify(lock));
    try {
      const error = await rejection(saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'second' }));
      expect(error.message).to.contain(`another save is writing into this directory (${join(dir, 'LOCK')} is held by process ${other.pid} on ${hostname()} since 2025-01-01T00:00:00.000Z); one writer at a time.`);
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.on('exit', resolve));
    }
    // Its process is gone: the lock is stale and the next save takes it over.
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'second' });
    expect(existsSync(join(dir, 'LOCK'))).to.equal(false);
    // A lock that cannot be read: taken for a save still creating it, until it is a minute old.
    writeFileSync(join(dir, 'LOCK'), '');
    expect((await rejection(saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler }))).message).to.contain('a process that is still creating it');
    utimesSync(join(dir, 'LOCK'), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'third' });
    expect((await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler })).extra).to.equal('third');
  });

  it('deletes only what is recognisably its own (issue 13 #7)', async () => {
    const dir = join(root, 'owned');
    mkdirSync(`${dir}.partial-notes`, { recursive: true });
    mkdirSync(`${dir}.partial-${process.pid}-deadbeef`, { recursive: true });
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler });
    writeFileSync(join(dir, 'README.md'), 'my notes');
    mkdirSync(join(dir, 'g1'));
    mkdirSync(join(dir, '.tmp-notes'));
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler });
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler });
    expect(readdirSync(dir).sort()).to.deep.equal(['.tmp-notes', 'CURRENT', 'README.md', 'g000000000002', 'g000000000003', 'g1']);
    expect(existsSync(`${dir}.partial-notes`) && existsSync(`${dir}.partial-${process.pid}-deadbeef`)).to.equal(true);
  });

  it('saves over a damaged or missing CURRENT without deleting the generations it cannot tell apart', async () => {
    const dir = join(root, 'pointerless');
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 1 });
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 2 });
    writeFileSync(join(dir, 'CURRENT'), 'garbage');
    expect((await rejection(loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler }))).message).to.match(/CURRENT is damaged/);
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 3 });
    expect(readdirSync(dir).sort()).to.deep.equal(['CURRENT', 'g000000000001', 'g000000000002', 'g000000000003']);
    rmSync(join(dir, 'CURRENT'));
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 4 });
    // Without CURRENT the newest generation found is kept beside the new one.
    expect(readdirSync(dir).sort()).to.deep.equal(['CURRENT', 'g000000000003', 'g000000000004']);
    expect((await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler })).extra).to.equal(4);
  });

  it('refuses to save into a directory that holds something else, writing nothing there', async () => {
    const dir = join(root, 'busy');
    mkdirSync(dir);
    writeFileSync(join(dir, 'data.csv'), '1,2,3');
    const error = await rejection(saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler }));
    expect(error.message).to.contain('the directory is not empty and holds no checkpoint (it has "data.csv"); save into a new or empty directory');
    expect(readdirSync(dir)).to.deep.equal(['data.csv']);
    expect((await rejection(loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler }))).message).to.contain('no checkpoint there (no CURRENT file)');
    expect((await rejection(loadCheckpoint(join(root, 'nowhere'), { model: target.model, scheduler: target.scheduler }))).message).to.contain(
      'no checkpoint there (the directory does not exist)',
    );
  });

  it('says so when a directory holds a checkpoint of format version 1 (tfjs-lr-scheduler 0.1)', async () => {
    const dir = join(root, 'version-1');
    mkdirSync(dir);
    writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify({ format: 'tfjs-lr-scheduler-checkpoint', formatVersion: 1 }));
    const load = await rejection(loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler }));
    expect(load.message).to.contain('holds a checkpoint of format version 1 (tfjs-lr-scheduler 0.1), which this version does not read');
    const save = await rejection(saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler }));
    expect(save.message).to.contain('holds a checkpoint of format version 1 (tfjs-lr-scheduler 0.1); save into another directory');
  });
});
