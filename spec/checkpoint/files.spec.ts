/**
 * Checkpoint files: only regular files are read, their sizes are checked against the manifest
 * before a byte is read (issue 13 #2), and file-system failures are `CheckpointError`s naming the
 * path and the cause, with the previous checkpoint intact (#8).
 *
 * The failures are produced two ways. Always: fault injection at the fs layer (the `node:fs`
 * function the checkpoint calls throws the errno error the kernel would give). When the spec runs
 * as root and may mount: for real, on a tiny tmpfs (ENOSPC), the same tmpfs remounted read-only
 * (EROFS), and a save run as user `nobody` through `setpriv` into a directory it may not write
 * (EACCES); elsewhere those are skipped, saying why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { CheckpointError, loadCheckpoint, saveCheckpoint } from '../../lib/checkpoint';
import { currentGeneration } from './fixtures/forge';
import { disposeRig, makeRig, snapshot, trainEpoch, type Rig } from './fixtures/training';

type FsName = 'writeSync' | 'mkdirSync' | 'openSync' | 'renameSync' | 'fsyncSync';

/**
 * Makes `fs[name]` throw the errno error `code` when its first argument (a path, or a file
 * descriptor for writeSync/fsyncSync) matches. The checkpoint code calls `node:fs` functions through
 * the module object, so replacing them there reaches every call.
 */
function injectFault<T>(name: FsName, code: string, matches: (arg: unknown) => boolean, body: () => Promise<T>): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require('node:fs') as Record<FsName, (...args: unknown[]) => unknown>;
  const original = module[name];
  module[name] = (...args: unknown[]) => {
    if (matches(args[0])) {
      throw Object.assign(new Error(`${code}: injected, ${name} '${String(args[0])}'`), { code, errno: -1, syscall: name.replace('Sync', ''), path: String(args[0]) });
    }
    return original(...args);
  };
  return body().finally(() => {
    module[name] = original;
  });
}

async function saveFails(dir: string, rig: Rig, extra: unknown, code: string): Promise<CheckpointError> {
  let error: unknown;
  try {
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: extra as never });
  } catch (thrown) {
    error = thrown;
  }
  expect(error, 'the save succeeded').to.be.instanceOf(CheckpointError);
  expect((error as CheckpointError).code).to.equal(code);
  return error as CheckpointError;
}

function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync(join(tmpdir(), 'lr-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}

describe('checkpoint files', function () {
  this.timeout(60000);
  let root: string;
  let rig: Rig;
  let target: Rig;
  before(async () => {
    tf.setBackend('cpu');
    root = fs.mkdtempSync(join(tmpdir(), 'lr-files-'));
    rig = makeRig('adam', 20);
    await trainEpoch(rig);
    target = makeRig('adam', 20);
    await trainEpoch(target);
  });
  after(() => {
    disposeRig(rig);
    disposeRig(target);
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function fresh(name: string): Promise<string> {
    const dir = join(root, name);
    await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'saved' });
    return dir;
  }

  async function loadRejected(dir: string, message: RegExp): Promise<void> {
    const before = await snapshot(target);
    const started = Date.now();
    let error: unknown;
    try {
      await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler });
    } catch (thrown) {
      error = thrown;
    }
    expect(error, 'the checkpoint was loaded').to.be.instanceOf(CheckpointError);
    expect((error as Error).message).to.match(message);
    // Rejected before reading anything large (reading /dev/zero grew to 7 GB in 30 s).
    expect(Date.now() - started).to.be.below(5000);
    expect(await snapshot(target)).to.equal(before);
  }

  describe('only regular files, sizes checked before reading (issue 13 #2)', () => {
    it('rejects a symbolic link in place of a file, even to /dev/zero or /dev/urandom', async () => {
      const dir = await fresh('links');
      const { directory } = currentGeneration(dir);
      for (const [name, to] of [['model.weights.bin', '/dev/zero'], ['checkpoint.json', '/dev/urandom'], ['optimizer-0.bin', join(directory, 'model.json')]]) {
        const path = join(directory, name);
        const original = fs.readFileSync(path);
        fs.rmSync(path);
        fs.symlinkSync(to, path);
        await loadRejected(dir, new RegExp(`${name.replace('.', '\\.')} is a symbolic link, not a regular file`));
        fs.rmSync(path);
        fs.writeFileSync(path, original);
      }
      fs.renameSync(join(dir, 'CURRENT'), join(dir, 'CURRENT.real'));
      fs.symlinkSync(join(dir, 'CURRENT.real'), join(dir, 'CURRENT'));
      await loadRejected(dir, /the CURRENT file .*CURRENT is a symbolic link/);
    });

    it('rejects a FIFO, a directory and a socket in place of a file, without blocking', async () => {
      const dir = await fresh('special');
      const { directory } = currentGeneration(dir);
      const weights = join(directory, 'model.weights.bin');
      const original = fs.readFileSync(weights);
      fs.rmSync(weights);
      execFileSync('mkfifo', [weights]);
      await loadRejected(dir, /model\.weights\.bin is a FIFO, not a regular file/);
      fs.rmSync(weights);
      fs.mkdirSync(weights);
      await loadRejected(dir, /model\.weights\.bin is a directory, not a regular file/);
      fs.rmSync(weights, { recursive: true });
      const server: Server = createServer();
      await new Promise<void>((resolve) => server.listen(weights, resolve));
      try {
        await loadRejected(dir, /model\.weights\.bin is a socket, not a regular file/);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      fs.rmSync(weights, { force: true });
      fs.writeFileSync(weights, original);
      const manifest = join(directory, 'checkpoint.json');
      const text = fs.readFileSync(manifest);
      fs.rmSync(manifest);
      execFileSync('mkfifo', [manifest]);
      await loadRejected(dir, /checkpoint\.json is a FIFO, not a regular file/);
      fs.rmSync(manifest);
      fs.writeFileSync(manifest, text);
      expect((await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler })).extra).to.equal('saved');
    });

    it('rejects a file whose size differs from the manifest before reading it, and a manifest over 64 MiB unread', async () => {
      const dir = await fresh('sizes');
      const { directory } = currentGeneration(dir);
      const weights = join(directory, 'model.weights.bin');
      const original = fs.readFileSync(weights);
      fs.appendFileSync(weights, Buffer.from([0]));
      await loadRejected(dir, new RegExp(`model\\.weights\\.bin is damaged: it has ${original.length + 1} bytes, the manifest says ${original.length}`));
      fs.truncateSync(weights, original.length - 4);
      await loadRejected(dir, /model\.weights\.bin is damaged: it has \d+ bytes, the manifest says \d+/);
      // A sparse 8 GB weights file: rejected by its size, not read.
      fs.truncateSync(weights, 8 * 2 ** 30);
      await loadRejected(dir, /model\.weights\.bin is damaged: it has 8589934592 bytes/);
      fs.writeFileSync(weights, original);
      const manifest = join(directory, 'checkpoint.json');
      fs.truncateSync(manifest, 65 * 2 ** 20);
      await loadRejected(dir, /the manifest .*checkpoint\.json has 68157440 bytes, more than the 67108864 a checkpoint allows there/);
      fs.truncateSync(join(dir, 'CURRENT'), 10_000);
      await loadRejected(dir, /the CURRENT file .*CURRENT has 10000 bytes, more than the 4096/);
    });
  });

  describe('file-system failures are CheckpointErrors naming the path and the cause (issue 13 #8)', () => {
    it('(fault injection) disk full while writing: ENOSPC, the previous checkpoint intact, no temporary left', async () => {
      const dir = await fresh('enospc');
      // The first write is the lock's; the disk fills up at the second, the first data file.
      let writes = 0;
      const error = await injectFault('writeSync', 'ENOSPC', () => ++writes > 1, () => saveFails(dir, rig, 'next', 'ENOSPC'));
      expect(error.message).to.match(/^saveCheckpoint\(".*enospc"\): cannot write .*\.tmp-g000000000002-\d+-[0-9a-f]{8}\/model\.json: no space left on the device \(ENOSPC\)$/);
      expect(error.path).to.match(/model\.json$/);
      expect(fs.readdirSync(dir).sort()).to.deep.equal(['CURRENT', 'g000000000001']);
      expect((await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler })).extra).to.equal('saved');
    });

    it('(fault injection) a read-only file system: EROFS; permission denied: EACCES; both before anything changes', async () => {
      const dir = await fresh('erofs');
      const inDir = (arg: unknown): boolean => typeof arg === 'string' && arg.startsWith(dir) && !arg.endsWith(dir);
      // the lock is written into .LOCK-<pid>-<hex>, then linked as LOCK
      const readOnly = await injectFault('openSync', 'EROFS', (arg) => inDir(arg) && /\/\.?LOCK(-\d+-[0-9a-f]{8})?$/.test(String(arg)), () => saveFails(dir, rig, 'next', 'EROFS'));
      expect(readOnly.message).to.match(/cannot create the lock .*LOCK: the file system is read-only \(EROFS\)$/);
      const denied = await injectFault('mkdirSync', 'EACCES', inDir, () => saveFails(dir, rig, 'next', 'EACCES'));
      expect(denied.message).to.match(/cannot create the directory .*\.tmp-g000000000002-.*: permission denied \(EACCES\)$/);
      const renameDenied = await injectFault('renameSync', 'EACCES', inDir, () => saveFails(dir, rig, 'next', 'EACCES'));
      expect(renameDenied.message).to.match(/cannot rename .*\.tmp-g000000000002-/);
      expect(fs.readdirSync(dir).sort()).to.deep.equal(['CURRENT', 'g000000000001']);
      // Nothing was half-done: the next save works and becomes generation 2.
      await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'next' });
      const loaded = await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler });
      expect([loaded.extra, loaded.generation]).to.deep.equal(['next', 2]);
    });

    const mountable = canMount();

    it('(real) a full tmpfs gives ENOSPC and a read-only remount EROFS, the previous checkpoint loading each time', async function () {
      if (!mountable) this.skip(); // needs root and permission to mount a tmpfs
      const mountPoint = fs.mkdtempSync(join(tmpdir(), 'lr-tmpfs-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]);
      try {
        const dir = join(mountPoint, 'run');
        await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'small' });
        const full = await saveFails(dir, rig, 'x'.repeat(400_000), 'ENOSPC');
        expect(full.message).to.match(/cannot (write|flush|close|create) .*: no space left on the device \(ENOSPC\)$/);
        expect(fs.readdirSync(dir).sort()).to.deep.equal(['CURRENT', 'g000000000001']);
        expect((await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler })).extra).to.equal('small');
        execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
        const readOnly = await saveFails(dir, rig, 'next', 'EROFS');
        expect(readOnly.message).to.match(/cannot create the lock .*\/run\/LOCK: the file system is read-only \(EROFS\)$/);
        expect((await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler })).extra).to.equal('small');
      } finally {
        execFileSync('umount', [mountPoint]);
        fs.rmSync(mountPoint, { recursive: true, force: true });
      }
    });

    it('(real) a read-only target directory in a writable parent gives EACCES before anything changes, and later saves work', async function () {
      const asRoot = process.getuid?.() === 0;
      const setpriv = spawnSync('setpriv', ['--version']).status === 0;
      if (asRoot && !setpriv) this.skip(); // root ignores permissions; needs setpriv to save as user nobody
      const parent = fs.mkdtempSync(join(tmpdir(), 'lr-eacces-'));
      fs.chmodSync(parent, 0o777);
      const dir = join(parent, 'run');
      await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'first' });
      fs.chmodSync(dir, 0o555);
      fs.chmodSync(join(dir, 'g000000000001'), 0o555);
      try {
        let result: { code?: string; message: string };
        if (asRoot) {
          const child = spawnSync(
            'setpriv',
            ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, '--require', 'tsx/cjs', join(__dirname, 'fixtures', 'save-once.ts'), dir],
            { cwd: join(__dirname, '..', '..'), encoding: 'utf8', env: { ...process.env, HOME: parent } },
          );
          result = JSON.parse(child.stdout.trim().split('\n').pop() as string) as { code?: string; message: string };
        } else {
          const error = await saveFails(dir, rig, 'second', 'EACCES');
          result = { code: error.code, message: error.message };
        }
        expect(result.code).to.equal('EACCES');
        expect(result.message).to.match(/^saveCheckpoint\(".*run"\): cannot create the lock .*\/run\/LOCK: permission denied \(EACCES\)$/);
      } finally {
        fs.chmodSync(dir, 0o755);
        fs.chmodSync(join(dir, 'g000000000001'), 0o755);
      }
      expect(fs.readdirSync(dir).sort()).to.deep.equal(['CURRENT', 'g000000000001']);
      await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'second' });
      await saveCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler, extra: 'third' });
      expect((await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler })).extra).to.equal('third');
      fs.rmSync(parent, { recursive: true, force: true });
    });
  });
});
