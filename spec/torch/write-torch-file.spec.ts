import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { asOptimizer } from '../../lib';
import { loadTorchOptimizerState, readTorchFile, torchOptimizerState, torchSchedulerState, writeTorchFile, TorchFileError, type TorchDict } from '../../lib/torch';
import { expectBits } from '../helpers/expect-bits';
import { requireTorch, torchJob } from './python-torch';
import { fixtures, loadSchedulers, steppedAt, tfjsRun, type Fixture, type TfjsRun } from './torch-fixtures';

const X = tf.tensor1d([1, -2, 0.5]);

/** Training step `epoch`: one update of every group's variables (the fixtures' loss) and one scheduler step. */
function trainStep(fixture: Fixture, run: TfjsRun, epoch: number, metric?: number): void {
  run.optimizers.forEach((optimizer, i) => {
    const [w, b] = run.variables[i];
    tf.tidy(() => {
      optimizer.minimize(() => tf.sum(tf.square(tf.add(tf.matMul(w, X.reshape([3, 1])).reshape([2]), b))) as tf.Scalar, false, [w, b]);
    });
  });
  steppedAt(fixture, run.built, epoch).step(...((metric === undefined ? [] : [metric]) as []));
}

const lrsOf = (run: TfjsRun): number[] => run.built.optimizer.paramGroups.map((g) => g.lr);

describe('writeTorchFile, through real PyTorch', function () {
  this.timeout(120_000);
  const cases = fixtures().filter((f) => f.format === 'zip');
  const steps = 4;
  let dir: string;
  let results: Array<{ lrs: number[][]; state_types: Record<string, string>; keys: { ours: string[]; torch: string[] } }>;
  const ours: number[][][] = [];
  const written: string[] = [];

  before(async function () {
    requireTorch(this);
    dir = mkdtempSync(join(tmpdir(), 'torch-round-trip-'));
    // This package trains `before` steps, writes its checkpoint, and continues `steps` steps.
    for (const fixture of cases) {
      const run = tfjsRun(fixture.config);
      try {
        const metrics = fixture.metrics ?? [];
        for (let i = 0; i < fixture.before; i++) trainStep(fixture, run, i, metrics.length > 0 ? 1 - i / 10 : undefined);
        const file = join(dir, `${fixture.name}.pt`);
        const parameters = run.variables.length === 1 ? run.variables[0] : run.variables;
        const ckpt: TorchDict = { scheduler: torchSchedulerState(run.built.driver), optimizer: await torchOptimizerState(run.optimizers, parameters), epoch: fixture.before };
        if (fixture.swa_start !== undefined) ckpt.swa_scheduler = torchSchedulerState(run.built.schedulers.swa);
        writeFileSync(file, writeTorchFile(ckpt, { archiveName: fixture.name }));
        written.push(file);
        const lrs: number[][] = [];
        for (let i = 0; i < steps; i++) {
          trainStep(fixture, run, fixture.before + i, metrics[i]);
          lrs.push(lrsOf(run));
        }
        ours.push(lrs);
      } finally {
        run.dispose();
      }
    }
    const jobs = cases.map((fixture, i) => ({ config: fixture.config, tensor_lr: fixture.tensor_lr, swa_start: fixture.swa_start, file: written[i], out: join(dir, `${fixture.name}.torch.pt`), steps, metrics: fixture.metrics ? [...fixture.metrics.slice(0, steps), ...fixture.metrics.slice(0, steps)] : null }));
    results = await Promise.all(jobs.map((job) => torchJob<(typeof results)[number]>('continue', job)));
  });

  after(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    X.dispose();
  });

  it('this package writes, torch.load(weights_only=True) reads, PyTorch continues with our learning rates bit for bit, every class', () => {
    expect(results).to.have.length(cases.length);
    cases.forEach((fixture, i) => expectBits(results[i].lrs.slice(0, steps).flat(), ours[i].flat(), `${fixture.name}: PyTorch after loading our file`));
  });

  it('PyTorch writes again, this package reads it and continues with PyTorch\'s learning rates bit for bit', () => {
    const before = tf.memory().numTensors;
    cases.forEach((fixture, i) => {
      const ckpt = readTorchFile<{ scheduler: TorchDict; swa_scheduler?: TorchDict; optimizer: TorchDict; epoch: number }>(readFileSync(join(dir, `${fixture.name}.torch.pt`)));
      expect(ckpt.epoch).to.equal(fixture.before + steps);
      const run = tfjsRun(fixture.config);
      try {
        loadTorchOptimizerState(run.optimizers, ckpt.optimizer, run.variables);
        asOptimizer(run.optimizers).loadStateDict(ckpt.optimizer);
        loadSchedulers(run.built, ckpt);
        const lrs: number[][] = [];
        for (let k = 0; k < steps; k++) {
          trainStep(fixture, run, ckpt.epoch + k, fixture.metrics?.[k]);
          lrs.push(lrsOf(run));
        }
        expectBits(lrs.flat(), results[i].lrs.slice(steps).flat(), `${fixture.name}: this package after PyTorch's file`);
      } finally {
        run.dispose();
      }
    });
    expect(tf.memory().numTensors).to.equal(before);
  });

  it("writes exactly the keys of PyTorch's own state dict, every class (SWALR: no anneal_func)", () => {
    cases.forEach((fixture, i) => expect(results[i].keys.ours, fixture.name).to.deep.equal(results[i].keys.torch));
    const swa = cases.findIndex((f) => f.name === 'swa-lr-cos');
    expect(results[swa].keys.torch).to.include('_anneal_strategy').and.not.include('anneal_func');
  });

  it('writes learning rates as floats and counters as ints, as PyTorch keeps them', () => {
    const step = cases.findIndex((f) => f.name === 'step-lr');
    expect(results[step].state_types).to.include({ base_lrs: 'list', gamma: 'float', step_size: 'int', last_epoch: 'int', _step_count: 'int' });
    const multi = cases.findIndex((f) => f.name === 'multi-step-lr');
    expect(results[multi].state_types.milestones).to.equal('Counter');
  });
});

describe('writeTorchFile', () => {
  it('writes the same bytes for the same value (no clock, no random id)', () => {
    const value = { a: [1, 2.5, 'x'], b: new Map([[0, null]]) };
    expect(Buffer.compare(writeTorchFile(value), writeTorchFile(value))).to.equal(0);
  });

  it('names the first value it cannot write', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => writeTorchFile({ f: (() => 1) as unknown as number })).to.throw(TorchFileError, 'writeTorchFile: (the value)["f"]: cannot write a function');
    expect(() => writeTorchFile(cyclic as TorchDict)).to.throw(TorchFileError, 'the value contains itself');
    expect(() => writeTorchFile({ d: new Date(0) as unknown as number })).to.throw(TorchFileError, 'cannot write a Date');
    expect(() => writeTorchFile({ s: '\ud800' })).to.throw(TorchFileError, 'lone surrogate');
  });
});
