/**
 * Fuzz target "checkpoint": corrupted checkpoints loaded into live objects (a model, Adam or
 * Adamax, OneCycleLR or a warmup over cosine annealing), and a reader polling beside a writer.
 *
 * Corruptions, in shares of the runs:
 * - every byte of checkpoint.json changed (a different byte, deleted, a byte inserted), position
 *   after position, for two checkpoints;
 * - bytes of CURRENT changed; bytes of the data files flipped, files truncated, extended, emptied,
 *   deleted;
 * - special files in place of each file: symbolic links (to /dev/zero, /dev/urandom, another file,
 *   nowhere), FIFOs, directories, sockets, a character device (as root), sparse 8 GB files;
 * - file names that leave the directory or are not plain (`../outside.bin`, absolute paths, ...),
 *   with the manifest re-signed as a forger would;
 * - structural edits of the manifest and of model.json (keys deleted, values replaced by hostile
 *   ones, lists resized, tensor specs changed), re-signed.
 * (Reads beside a writer process: the "generations" target, spec/checkpoint/generations.fuzz.ts.)
 *
 * Typed rejection: a `CheckpointError` from `loadCheckpoint`. Crash: anything else thrown, a damaged
 * checkpoint accepted, or a read beside the writer failing. Partial change: a rejected load changed
 * the model's weights, the optimizer's slots or iteration count, the param groups or the scheduler;
 * or an accepted load left them different from what the checkpoint holds.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError, loadCheckpoint, readCheckpointModelArtifacts, saveCheckpoint } from '../../lib/checkpoint';
import { sha256 } from '../../lib/checkpoint/manifest';
import { FuzzFailure, random, recordInput, type FuzzTally, type FuzzTarget, type Outcome } from '../fuzz/target';
import { currentGeneration, readManifest, writeSigned } from './fixtures/forge';
import { disposeRig, makeRig, snapshot, trainEpoch, type OptimizerKind, type Rig } from './fixtures/training';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Subject {
  kind: OptimizerKind;
  /** The checkpoint as saved, never touched. */
  pristine: string;
  /** A copy attacked in place (restored after each input). */
  work: string;
  /** Where a target rig's own state is saved, to put it back after an accepted load. */
  baseline: string;
  source: Rig;
  target: Rig;
  /** snapshot(source) when saved: what an accepted unforged load must give. */
  saved: string;
  /** snapshot(target) now. */
  before: string;
}

const HOSTILE_NAMES = [
  '../outside.bin', '../../outside.bin', '/tmp/outside.bin', 'sub/model.weights.bin', 'sub\\model.weights.bin', '.', '..', '',
  '.hidden', 'checkpoint.json', 'CURRENT', 'LOCK', 'a\u0000b', 'x'.repeat(300), 'model.weights.bin ', ' model.weights.bin',
  'modèle.bin', 'con', 'g000000000001', 'model.weights.bin/..', '..\\outside.bin', 'C:\\outside.bin', '%2e%2e%2foutside.bin',
];

const HOSTILE_VALUES: Json[] = [
  null, true, false, 0, -1, 1.5, 2 ** 53, -0, 1e308, 'nan', 'inf', '-inf', '', 'x', [], {}, [0], [1, 2, 3], { a: 1 },
  { __scheduler__: 'StepLR' }, 'float32', 'int32', 'complex64', 'string', [1e9, 1e9], [-1], 'model.weights.bin', '../outside.bin',
];

function cp(from: string, to: string): void {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
}

/** Loads `dir` into the subject's target and classifies the result, checking that a rejection changed nothing. */
async function attempt(subject: Subject, dir: string, expectation: 'reject' | 'unchanged' | 'any'): Promise<Outcome> {
  let error: unknown;
  try {
    await loadCheckpoint(dir, { model: subject.target.model, scheduler: subject.target.scheduler });
  } catch (thrown) {
    error = thrown;
  }
  if (error !== undefined) {
    if (!(error instanceof CheckpointError) || !error.message.startsWith('loadCheckpoint("')) {
      throw new FuzzFailure('crash', `${(error as Error)?.name ?? typeof error} escaped: ${(error as Error)?.message ?? String(error)}`);
    }
    if ((await snapshot(subject.target)) !== subject.before) throw new FuzzFailure('partial', `a rejected load changed something: ${error.message}`);
    return 'rejected';
  }
  const after = await snapshot(subject.target);
  // Put the target back as it was, for the next input.
  await loadCheckpoint(subject.baseline, { model: subject.target.model, scheduler: subject.target.scheduler });
  if ((await snapshot(subject.target)) !== subject.before) throw new FuzzFailure('crash', 'the target could not be put back');
  if (expectation === 'reject') throw new FuzzFailure('crash', `a damaged checkpoint was accepted (${dir})`);
  if (expectation === 'unchanged' && after !== subject.saved) throw new FuzzFailure('partial', 'an accepted load did not give the saved state');
  if (expectation === 'any') {
    // A forged but valid checkpoint: the state must be all of it, as a second, fresh load gives it.
    const fresh = makeRig(subject.kind, 20);
    try {
      await loadCheckpoint(dir, { model: fresh.model, scheduler: fresh.scheduler });
      if ((await snapshot(fresh)) !== after) throw new FuzzFailure('partial', 'two loads of one checkpoint gave different states');
    } finally {
      disposeRig(fresh);
    }
  }
  return 'accepted';
}

function classify(error: unknown): { outcome: Outcome; detail: string } {
  if (error instanceof FuzzFailure) return { outcome: error.outcome, detail: error.message };
  return { outcome: 'crash', detail: `the checker itself threw: ${(error as Error)?.stack ?? String(error)}` };
}

/** Every container of a JSON value, the root first. */
function containers(value: Json, out: Array<Json[] | { [key: string]: Json }> = []): Array<Json[] | { [key: string]: Json }> {
  if (value !== null && typeof value === 'object') {
    out.push(value);
    for (const child of Array.isArray(value) ? value : Object.values(value)) containers(child, out);
  }
  return out;
}

/** One structural edit of a JSON value: delete an entry, replace one, add a key, resize a list. */
function mutate(value: Json, next: () => number): void {
  const all = containers(value);
  const container = all[Math.floor(next() * all.length)];
  const keys = Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container);
  const pick = keys[Math.floor(next() * keys.length)];
  const hostile = HOSTILE_VALUES[Math.floor(next() * HOSTILE_VALUES.length)];
  const choice = next();
  if (keys.length === 0 || choice < 0.1) {
    if (Array.isArray(container)) container.push(JSON.parse(JSON.stringify(hostile)) as Json);
    else container[['__proto__', 'constructor', 'extra', 'x', 'role', 'quantization'][Math.floor(next() * 6)]] = JSON.parse(JSON.stringify(hostile)) as Json;
  } else if (choice < 0.3) {
    if (Array.isArray(container)) container.splice(pick as number, 1);
    else delete container[pick as string];
  } else if (choice < 0.9) {
    (container as Record<string | number, Json>)[pick] = JSON.parse(JSON.stringify(hostile)) as Json;
  } else if (Array.isArray(container)) {
    container.reverse();
  } else {
    const other = keys[Math.floor(next() * keys.length)];
    [container[pick as string], container[other as string]] = [container[other as string], container[pick as string]];
  }
}

async function makeSubject(root: string, kind: OptimizerKind): Promise<Subject> {
  const source = makeRig(kind, 20);
  for (let i = 0; i < 3; i++) await trainEpoch(source);
  const pristine = join(root, `${kind}-pristine`);
  await saveCheckpoint(pristine, { model: source.model, scheduler: source.scheduler, extra: { nextEpoch: 3 } });
  const target = makeRig(kind, 20);
  await trainEpoch(target);
  const baseline = join(root, `${kind}-baseline`);
  await saveCheckpoint(baseline, { model: target.model, scheduler: target.scheduler });
  const work = join(root, `${kind}-work`);
  cp(pristine, work);
  return { kind, pristine, work, baseline, source, target, saved: await snapshot(source), before: await snapshot(target) };
}

/** Every byte of the manifest, position after position, changed one of three ways. */
async function manifestBytes(subject: Subject, runs: number, start: number, tally: FuzzTally, next: () => number): Promise<void> {
  const { manifestPath } = currentGeneration(subject.work);
  const original = fs.readFileSync(manifestPath);
  // Every byte in turn once the runs reach the file's length; otherwise spread over it.
  const stride = runs >= original.length ? 1 : original.length / runs;
  tally.note(`checkpoint: bytes of the ${subject.kind} manifest`, original.length);
  for (let k = 0; k < runs; k++) {
    const i = Math.floor((start + k * stride) % original.length);
    const way = (start + k) % 3;
    let edited: Buffer;
    if (way === 0) {
      edited = Buffer.from(original);
      edited[i] = (original[i] + 1 + Math.floor(next() * 255)) % 256;
    } else if (way === 1) {
      edited = Buffer.concat([original.subarray(0, i), original.subarray(i + 1)]);
    } else {
      edited = Buffer.concat([original.subarray(0, i), Buffer.from([Math.floor(next() * 256)]), original.subarray(i)]);
    }
    fs.writeFileSync(manifestPath, edited);
    await recordInput(tally, () => attempt(subject, subject.work, 'reject'), classify);
    if (k % 8 === 0) {
      // The other reader API must reject it too.
      await recordInput(
        tally,
        () => {
          try {
            readCheckpointModelArtifacts(subject.work);
          } catch (error) {
            if (error instanceof CheckpointError) return 'rejected';
            throw new FuzzFailure('crash', `readCheckpointModelArtifacts: ${(error as Error).name} escaped: ${(error as Error).message}`);
          }
          throw new FuzzFailure('crash', 'readCheckpointModelArtifacts accepted a damaged manifest');
        },
        classify,
      );
    }
  }
  fs.writeFileSync(manifestPath, original);
  tally.note('checkpoint: manifest bytes edited', runs);
}

/** Bytes of CURRENT and of the data files, and whole data files cut, grown, emptied or removed. */
async function fileDamage(subject: Subject, runs: number, tally: FuzzTally, next: () => number): Promise<void> {
  for (let k = 0; k < runs; k++) {
    cp(subject.pristine, subject.work);
    const { directory } = currentGeneration(subject.work);
    const files = ['CURRENT', ...fs.readdirSync(directory).filter((name) => name !== 'checkpoint.json').map((name) => join(directory, name))];
    const file = files[k % files.length] === 'CURRENT' ? join(subject.work, 'CURRENT') : files[k % files.length];
    const data = fs.readFileSync(file);
    const way = Math.floor(next() * 6);
    if (way <= 1 && data.length > 0) {
      const i = Math.floor(next() * data.length);
      data[i] ^= 1 << Math.floor(next() * 8);
      fs.writeFileSync(file, data);
    } else if (way === 2) fs.truncateSync(file, Math.floor(next() * data.length));
    else if (way === 3) fs.appendFileSync(file, Buffer.from([0]));
    else if (way === 4) fs.writeFileSync(file, '');
    else fs.rmSync(file);
    await recordInput(tally, () => attempt(subject, subject.work, 'reject'), classify);
  }
  tally.note('checkpoint: data files and CURRENT damaged', runs);
}

/** Special files in place of CURRENT, the manifest, the data files, or the generation directory. */
async function specialFiles(subject: Subject, runs: number, tally: FuzzTally, next: () => number): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  for (let k = 0; k < runs; k++) {
    cp(subject.pristine, subject.work);
    const { directory } = currentGeneration(subject.work);
    const places = [join(subject.work, 'CURRENT'), directory, ...fs.readdirSync(directory).map((name) => join(directory, name))];
    const place = places[Math.floor(next() * places.length)];
    const kind = k % 9;
    fs.rmSync(place, { recursive: true, force: true });
    let server: ReturnType<typeof createServer> | undefined;
    switch (kind) {
      case 0: fs.symlinkSync('/dev/zero', place); break;
      case 1: fs.symlinkSync('/dev/urandom', place); break;
      case 2: fs.symlinkSync(join(subject.pristine, 'CURRENT'), place); break;
      case 3: fs.symlinkSync(join(subject.work, 'nowhere'), place); break;
      case 4: spawnSync('mkfifo', [place]); break;
      case 5: fs.mkdirSync(place); break;
      case 6:
        server = createServer();
        await new Promise<void>((resolve) => (server as ReturnType<typeof createServer>).listen(place, resolve));
        break;
      case 7:
        if (asRoot) spawnSync('mknod', [place, 'c', '1', '5']); // a /dev/zero device node
        else fs.symlinkSync('/dev/zero', place);
        break;
      default:
        fs.writeFileSync(place, '');
        fs.truncateSync(place, 8 * 2 ** 30); // sparse 8 GB
    }
    try {
      await recordInput(tally, () => attempt(subject, subject.work, 'reject'), classify);
    } finally {
      if (server !== undefined) await new Promise<void>((resolve) => (server as ReturnType<typeof createServer>).close(() => resolve()));
    }
  }
  tally.note('checkpoint: special files', runs);
}

/** File names that are not plain names inside the directory, re-signed, pointing at a true copy outside. */
async function traversalNames(subject: Subject, runs: number, tally: FuzzTally, next: () => number): Promise<void> {
  for (let k = 0; k < runs; k++) {
    cp(subject.pristine, subject.work);
    const { directory } = currentGeneration(subject.work);
    const manifest = readManifest(subject.work);
    const names = Object.keys(manifest.files);
    const victim = names[Math.floor(next() * names.length)];
    const hostile = HOSTILE_NAMES[k % HOSTILE_NAMES.length];
    fs.copyFileSync(join(directory, victim), join(subject.work, 'outside.bin'));
    const files = Object.fromEntries(Object.entries(manifest.files).map(([name, entry]) => [name === victim ? hostile : name, entry]));
    manifest.files = files;
    if (manifest.model?.weightsFile === victim) manifest.model.weightsFile = hostile;
    if (manifest.model?.topologyFile === victim) manifest.model.topologyFile = hostile;
    for (const optimizer of manifest.optimizers) if (optimizer.file === victim) optimizer.file = hostile;
    writeSigned(subject.work, manifest);
    await recordInput(tally, () => attempt(subject, subject.work, 'reject'), classify);
  }
  tally.note('checkpoint: traversal and non-plain names (re-signed)', runs);
}

/** Structural edits of the manifest or model.json, re-signed as a forger would. */
async function forgedEdits(subject: Subject, runs: number, tally: FuzzTally, next: () => number): Promise<void> {
  for (let k = 0; k < runs; k++) {
    cp(subject.pristine, subject.work);
    const { directory } = currentGeneration(subject.work);
    const manifest = readManifest(subject.work) as unknown as Json;
    if (next() < 0.2) {
      const topology = JSON.parse(fs.readFileSync(join(directory, 'model.json'), 'utf8')) as Json;
      const specs = (topology as { weightSpecs: Json }).weightSpecs;
      for (let m = 1 + Math.floor(next() * 3); m > 0; m--) mutate(specs, next);
      const data = Buffer.from(JSON.stringify(topology));
      fs.writeFileSync(join(directory, 'model.json'), data);
      const files = (manifest as { files: Record<string, { bytes: number; sha256: string }> }).files;
      files['model.json'] = { bytes: data.byteLength, sha256: sha256(data) };
    } else {
      for (let m = 1 + Math.floor(next() * 3); m > 0; m--) mutate(manifest, next);
    }
    writeSigned(subject.work, manifest);
    await recordInput(tally, () => attempt(subject, subject.work, 'any'), classify);
  }
  tally.note('checkpoint: structural edits (re-signed)', runs);
}

const target: FuzzTarget = {
  name: 'checkpoint',
  inputs: 'checkpoint corruptions',
  fullRuns: 10_000,
  sliceRuns: 160,
  async run(runs: number, tally: FuzzTally): Promise<void> {
    tf.setBackend('cpu');
    const root = fs.mkdtempSync(join(tmpdir(), 'lr-checkpoint-fuzz-'));
    const subjects = [await makeSubject(root, 'adam'), await makeSubject(root, 'adamax')];
    const next = random(20250611);
    try {
      // Per subject: 35% of the runs on manifest bytes (and a readCheckpointModelArtifacts check every 8th), 12% on the other kinds.
      const share = (fraction: number): number => Math.max(1, Math.round(runs * fraction));
      for (const [i, subject] of subjects.entries()) {
        await manifestBytes(subject, share(0.35), i * 7, tally, next);
        await fileDamage(subject, share(0.035), tally, next);
        await specialFiles(subject, share(0.03), tally, next);
        await traversalNames(subject, share(0.02), tally, next);
        await forgedEdits(subject, share(0.0325), tally, next);
      }
    } finally {
      for (const subject of subjects) {
        disposeRig(subject.source);
        disposeRig(subject.target);
      }
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
};

export default target;
