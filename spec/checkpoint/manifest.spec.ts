/**
 * The manifest verifies itself (issue 13 #3), names only plain files inside its directory (#5), and
 * a manifest that passes the integrity check but is malformed (a forger's, or another writer's)
 * gives a typed error and changes nothing (#4).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { CheckpointError, loadCheckpoint, saveCheckpoint } from '../../lib/checkpoint';
import { readPointer } from '../../lib/checkpoint/generations';
import { CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION, parseManifest, sha256, type CheckpointManifest } from '../../lib/checkpoint/manifest';
import { currentGeneration, forge, forgeFile, readManifest } from './fixtures/forge';
import { disposeRig, makeRig, snapshot, trainEpoch, type Rig } from './fixtures/training';

const operation = { name: 'loadCheckpoint' as const, dir: 'spec' };

async function rejected(dir: string, rig: Rig, message: RegExp | string): Promise<CheckpointError> {
  const before = await snapshot(rig);
  let error: unknown;
  try {
    await loadCheckpoint(dir, { model: rig.model, scheduler: rig.scheduler });
  } catch (thrown) {
    error = thrown;
  }
  expect(error, 'the checkpoint was loaded').to.be.instanceOf(CheckpointError);
  if (typeof message === 'string') expect((error as Error).message).to.contain(message);
  else expect((error as Error).message).to.match(message);
  expect(await snapshot(rig), 'a rejected load changed something').to.equal(before);
  return error as CheckpointError;
}

describe('checkpoint manifests', function () {
  this.timeout(60000);
  let root: string;
  let saved: Rig;
  let pristine: string;
  let target: Rig;
  let dir: string;
  let counter = 0;

  before(async () => {
    tf.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'lr-manifest-'));
    saved = makeRig('adam', 20);
    for (let i = 0; i < 3; i++) await trainEpoch(saved);
    pristine = join(root, 'pristine');
    await saveCheckpoint(pristine, { model: saved.model, scheduler: saved.scheduler, extra: { nextEpoch: 3 } });
    target = makeRig('adam', 20);
    await trainEpoch(target);
  });
  after(() => {
    disposeRig(saved);
    disposeRig(target);
    rmSync(root, { recursive: true, force: true });
  });
  /** A fresh copy of the pristine checkpoint to attack. */
  beforeEach(() => {
    dir = join(root, `copy-${counter++}`);
    cpSync(pristine, dir, { recursive: true });
  });

  it('detects single-byte changes of checkpoint.json anywhere in it as damage (issue 13 #3)', () => {
    // Every third byte, changed one of five ways (the fuzzer changes every byte, end to end).
    const { manifestPath } = currentGeneration(pristine);
    const bytes = readFileSync(manifestPath);
    const generation = readPointer(operation, pristine, CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION) as { number: number; manifestSha256: string };
    expect(parseManifest(operation, manifestPath, bytes, generation).extra).to.deep.equal({ nextEpoch: 3 });
    let checked = 0;
    for (let i = 0; i < bytes.length; i += 3) {
      let edited: Buffer;
      const kind = (i / 3) % 5;
      if (kind < 3) {
        edited = Buffer.from(bytes);
        edited[i] = (edited[i] + [1, 0x20, 0x80][kind]) % 256;
      } else if (kind === 3) {
        edited = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
      } else {
        edited = Buffer.concat([bytes.subarray(0, i), Buffer.from(' '), bytes.subarray(i)]);
      }
      expect(() => parseManifest(operation, manifestPath, edited, generation), `byte ${i}, edit ${kind}`).to.throw(CheckpointError, /is damaged|is not a tfjs-lr-scheduler-checkpoint manifest|format version/);
      checked++;
    }
    expect(checked).to.equal(Math.ceil(bytes.length / 3));
  });

  it('rejects the edits the issue loaded silently (a digit of an lr, a OneCycleLR phase, extra.nextEpoch), changing nothing', async () => {
    const { manifestPath } = currentGeneration(dir);
    const text = readFileSync(manifestPath, 'utf8');
    const edits: Array<[string, string]> = [
      ['"nextEpoch": 3', '"nextEpoch": 4'],
      ['"end_step": 5', '"end_step": 6'],
      ['"max_lr": 0.05', '"max_lr": 0.06'],
    ];
    for (const [from, to] of edits) {
      expect(text, from).to.contain(from);
      writeFileSync(manifestPath, text.replace(from, to));
      await rejected(dir, target, /checkpoint\.json is damaged \(its content does not match its manifestSha256\)$/);
    }
    // Layout only (the same JSON value): still not the bytes that were saved.
    writeFileSync(manifestPath, text.replace('{\n "format"', '{\n  "format"'));
    await rejected(dir, target, /checkpoint\.json is damaged \(its bytes are not the ones that were saved\)$/);
    writeFileSync(manifestPath, text);
    await loadCheckpoint(dir, { model: target.model, scheduler: target.scheduler });
  });

  it('loads only plain file names inside the checkpoint directory, also when the forger re-signs the manifest (issue 13 #5)', async () => {
    const { directory } = currentGeneration(dir);
    const weights = readFileSync(join(directory, 'model.weights.bin'));
    writeFileSync(join(dir, 'outside.bin'), weights);
    const names = ['../outside.bin', join(dir, 'outside.bin'), 'sub/model.weights.bin', 'sub\\model.weights.bin', '.hidden', 'checkpoint.json', '..', 'a\u0000b', ''];
    for (const name of names) {
      forge(dir, (manifest) => {
        const { 'model.weights.bin': _weights, ...others } = manifest.files;
        manifest.files = { ...others, [name]: { bytes: weights.byteLength, sha256: sha256(weights) } };
        (manifest.model as { weightsFile: string }).weightsFile = name;
      });
      await rejected(dir, target, 'must be a plain file name inside the checkpoint directory');
    }
  });

  it('gives a typed error and changes nothing for manifests that pass the integrity check but do not fit (issue 13 #4)', async () => {
    const adam = (m: CheckpointManifest): CheckpointManifest['optimizers'][number] => m.optimizers[0];
    const cases: Array<[string, (m: CheckpointManifest) => void, RegExp | string]> = [
      // The case: Adam's accumulators dropped (weights and lr were applied before the error).
      ['accBeta1/accBeta2 dropped', (m) => adam(m).tensors.splice(-2), /optimizers\[0\]'s tensors take \d+ bytes, files\["optimizer-0\.bin"\]\.bytes says \d+/],
      ['a slot transposed', (m) => (adam(m).tensors[0].shape = [...adam(m).tensors[0].shape].reverse()), /optimizer 0 does not fit the checkpoint: .*of the same variable has \[8, 3\]/],
      [
        'both slots of a variable transposed',
        (m) => {
          const count = (adam(m).tensors.length - 2) / 2;
          for (const j of [0, count]) adam(m).tensors[j].shape = [...adam(m).tensors[j].shape].reverse();
        },
        "optimizer 0 does not fit the checkpoint: the state of variable 0 has shape [8, 3], the optimizer's has [3, 8]",
      ],
      ['a slot of another dtype', (m) => (adam(m).tensors[0].dtype = 'int32'), 'has dtype int32, expected float32'],
      ['a scalar with a shape', (m) => (adam(m).tensors[adam(m).tensors.length - 1].shape = [1]), 'state tensor "accBeta2" has shape [1], expected [] (a scalar)'],
      ['a slot renamed', (m) => (adam(m).tensors[1].name = 'accumulatedFirstMoment/9'), 'state tensor 1 is "accumulatedFirstMoment/9"'],
      ['another optimizer class', (m) => (adam(m).className = 'RMSProp'), 'it was a RMSProp, it is now a Adam'],
      ['an unknown optimizer class', (m) => (adam(m).className = 'Lion'), 'className must be one of'],
      ['negative iterations', (m) => (adam(m).iterations = -1), 'iterations must be a non-negative integer'],
      ['fractional iterations', (m) => (adam(m).iterations = 1.5), 'iterations must be a non-negative integer'],
      ['an lr of NaN', (m) => (m.paramGroups.param_groups[0].lr = 'nan'), 'the param groups in the checkpoint does not fit: OptimizerView.loadStateDict: param_groups[0].lr'],
      ['a beta1 of 1', (m) => (m.paramGroups.param_groups[0].betas = [1, 0.999]), 'betas must be a pair of numbers, each a number in [0, 1)'],
      ['a fractional last_epoch', (m) => (m.scheduler.last_epoch = 2.5), 'OneCycleLR.loadStateDict: key "last_epoch" must be an integer, got 2.5'],
      ['a OneCycleLR phase at -inf', (m) => ((m.scheduler._schedule_phases as Array<Record<string, unknown>>)[0].end_step = '-inf'), 'key "_schedule_phases"'],
      ['another scheduler class', (m) => (m.scheduler.__scheduler__ = 'StepLR'), 'the checkpoint holds a StepLR state, the scheduler is a OneCycleLR'],
      ['a file size that lies', (m) => (m.files['optimizer-0.bin'].bytes += 4), /tensors take \d+ bytes/],
      ['a weights file size that lies', (m) => (m.files['model.weights.bin'].bytes += 4), /model\.weights\.bin is damaged: it has \d+ bytes, the manifest says \d+/],
      ['an unlisted file', (m) => (m.files['extra.bin'] = { bytes: 0, sha256: sha256('') }), '"files" lists "extra.bin", which no part uses'],
      ['a file used twice', (m) => ((m.model as { weightsFile: string }).weightsFile = 'optimizer-0.bin'), 'which another part already uses'],
      [
        'no model',
        (m) => {
          m.model = null;
          delete m.files['model.json'];
          delete m.files['model.weights.bin'];
        },
        'the checkpoint holds no model, but a model was given',
      ],
      ['an unknown key', (m) => ((m as unknown as Record<string, unknown>).signature = 'x'), 'the manifest has the unknown key "signature"'],
      ['another generation', (m) => (m.generation = 7), '"generation" is 7, the CURRENT file names 1'],
      ['a huge tensor', (m) => (adam(m).tensors[0].shape = [2 ** 40, 2 ** 40]), 'must have a shape of non-negative integers'],
      ['two optimizers', (m) => m.optimizers.push({ ...adam(m), file: 'optimizer-0.bin' }), 'which another part already uses'],
    ];
    for (const [what, edit, message] of cases) {
      const copy = join(root, `case-${counter++}`);
      cpSync(pristine, copy, { recursive: true });
      forge(copy, edit);
      const error = await rejected(copy, target, message).catch((failure: Error) => {
        throw new Error(`${what}: ${failure.message}`);
      });
      expect(error.name, what).to.equal('CheckpointError');
    }
  });

  it('checks the model topology against the live model before reading the weights (shape, dtype, count)', async () => {
    const { directory } = currentGeneration(dir);
    const topology = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8')) as { weightSpecs: Array<{ shape: number[]; dtype: string; name: string }> };
    const edits: Array<[(specs: typeof topology.weightSpecs) => void, string]> = [
      [(specs) => (specs[0].shape = [8, 3]), 'the model does not fit the checkpoint: weight 0 is float32 [3, 8] in the model, float32 [8, 3] in the checkpoint'],
      [(specs) => (specs[1].dtype = 'int32'), 'weight 1 is float32 [8] in the model, int32 [8] in the checkpoint'],
      [(specs) => specs.push({ ...specs[3], name: 'extra' }), 'its weights take'],
      [(specs) => (specs[1].name = specs[0].name), 'repeats the name'],
      [(specs) => Object.assign(specs[0], { quantization: { dtype: 'uint8' } }), 'has the unknown key "quantization"'],
    ];
    for (const [edit, message] of edits) {
      const edited = JSON.parse(JSON.stringify(topology)) as typeof topology;
      edit(edited.weightSpecs);
      forgeFile(dir, 'model.json', Buffer.from(JSON.stringify(edited)));
      await rejected(dir, target, message);
    }
  });

  it('is written with its self-hash last, and CURRENT names that hash', () => {
    const manifest = readManifest(pristine);
    const keys = Object.keys(manifest);
    expect(keys[keys.length - 1]).to.equal('manifestSha256');
    const { manifestSha256, ...content } = manifest;
    expect(sha256(JSON.stringify(content, null, 1))).to.equal(manifestSha256);
    expect(readPointer(operation, pristine, CHECKPOINT_FORMAT, CHECKPOINT_FORMAT_VERSION)).to.deep.equal({ number: 1, manifestSha256 });
  });
});
