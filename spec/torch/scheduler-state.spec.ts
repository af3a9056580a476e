import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asOptimizer, getScheduler, InvalidStateError, SWALR, VirtualOptimizer, type LRScheduler } from '../../lib';
import { readTorchFile, torchSchedulerState, type TorchDict, Counter, PyFloat, TorchFileError, writeTorchFile } from '../../lib/torch';
import { expectBits } from '../helpers/expect-bits';
import { thrown } from '../helpers/errors';
import { captureWarnings } from '../helpers/warnings';
import { fixtures, FIXTURES, loadSchedulers, steppedAt, tfjsRun, type Fixture } from './torch-fixtures';

describe('torch.save state dicts of every scheduler class', () => {
  for (const fixture of fixtures()) {
    it(`${fixture.name}: loads PyTorch's file and continues with PyTorch's learning rates bit for bit`, () => {
      const before = tf.memory().numTensors;
      const ckpt = readTorchFile<{ scheduler: TorchDict; swa_scheduler?: TorchDict; optimizer: TorchDict; epoch: number }>(fixture.bytes);
      expect(ckpt.epoch).to.equal(fixture.before);
      const run = tfjsRun(fixture.config);
      try {
        asOptimizer(run.optimizers).loadStateDict(ckpt.optimizer);
        loadSchedulers(run.built, ckpt);
        const { result: lrs, warnings } = captureWarnings(() =>
          fixture.expected.lrs.map((_, step) => {
            const metric = fixture.metrics?.[step];
            steppedAt(fixture, run.built, fixture.before + step).step(...((metric === undefined ? [] : [metric]) as []));
            return run.built.optimizer.paramGroups.map((group) => group.lr);
          }),
        );
        expectBits(lrs.flat(), fixture.expected.lrs.flat(), `${fixture.name} learning rates after loading`);
        // Nothing updates the weights here, so a SWALR saved before its first step (_step_count 1)
        // warns on that step, as PyTorch's does when no optimizer.step() came before it.
        const expectedWarnings = fixture.swa_start === undefined ? [] : ['Detected call of `scheduler.step()` before `optimizer.step()`'];
        expect(warnings.map((w) => w.message.slice(0, 61)), 'warnings').to.deep.equal(expectedWarnings);
      } finally {
        run.dispose();
      }
      expect(tf.memory().numTensors).to.equal(before);
    });
  }
});

describe('SWALR and HuggingFace schedules from torch.save files, built as users build them', () => {
  const byName = (name: string): Fixture => fixtures().find((f) => f.name === name)!;
  /** Loads a checkpoint's optimizer and scheduler states, as PyTorch users resume, and steps `steps` times. */
  const resume = (bytes: Uint8Array, optimizer: VirtualOptimizer, scheduler: LRScheduler, steps: number): number[][] => {
    const ckpt = readTorchFile<{ scheduler: TorchDict; optimizer: TorchDict }>(bytes);
    asOptimizer(optimizer).loadStateDict(ckpt.optimizer);
    scheduler.loadStateDict(ckpt.scheduler);
    return Array.from({ length: steps }, () => {
      scheduler.step();
      return optimizer.paramGroups.map((group) => group.lr);
    });
  };

  it("reads PyTorch 2.13's SWALR state: _anneal_strategy, no anneal_func (pytorch/pytorch#163105), swa_lr in the param groups", () => {
    const ckpt = readTorchFile<{ scheduler: TorchDict; optimizer: { param_groups: TorchDict[] } }>(byName('swa-lr-linear-per-group').bytes);
    expect(Object.keys(ckpt.scheduler).sort()).to.deep.equal(['_anneal_strategy', '_get_lr_called_within_step', '_is_initial', '_last_lr', '_step_count', 'anneal_epochs', 'base_lrs', 'last_epoch']);
    expect(ckpt.scheduler._anneal_strategy).to.equal('linear');
    expect(ckpt.optimizer.param_groups.map((group) => group.swa_lr)).to.deep.equal([0.02, 0.001]);
  });

  it('continues a SWALR checkpoint in a new SWALR(...) bit for bit', () => {
    const fixture = byName('swa-lr-cos');
    const optimizer = new VirtualOptimizer([{ lr: 0.1, momentum: 0.9 }, { lr: 0.05, momentum: 0.5 }]);
    const lrs = resume(fixture.bytes, optimizer, new SWALR(optimizer, { swaLr: 0.05, annealEpochs: 8 }), fixture.after);
    expectBits(lrs.flat(), fixture.expected.lrs.flat(), 'SWALR after loading');
  });

  it("continues a Trainer's half-way scheduler.pt (get_scheduler('cosine'), 1,000 steps) in getScheduler(...) bit for bit", () => {
    const fixture = byName('hf-cosine-long');
    expect(readTorchFile<{ scheduler: TorchDict }>(fixture.bytes).scheduler.lr_lambdas).to.deep.equal([{}, {}]);
    const optimizer = new VirtualOptimizer([{ lr: 5e-5 }, { lr: 5e-5 }]);
    const scheduler = getScheduler('cosine', optimizer, { numWarmupSteps: 100, numTrainingSteps: 1000 });
    expectBits(resume(fixture.bytes, optimizer, scheduler, fixture.after).flat(), fixture.expected.lrs.flat(), 'get_scheduler cosine after loading');
  });

  describe('a SWALR checkpoint of a PyTorch from before pytorch/pytorch#163105 (anneal_func pickled as getattr)', () => {
    const refused = join(FIXTURES, 'refused');
    const recorded = JSON.parse(readFileSync(join(refused, 'swa-lr-anneal-func.json'), 'utf8')) as { keys: string[]; torch_error: string; lrs: number[][] };

    it('is refused with a TorchFileError naming the global and the repair, as torch.load(weights_only=True) refuses it', () => {
      expect(recorded.keys).to.include('anneal_func').and.not.include('_anneal_strategy');
      expect(recorded.torch_error).to.contain('GLOBAL getattr was not an allowed global');
      const error = thrown(() => readTorchFile(readFileSync(join(refused, 'swa-lr-anneal-func.pt'))));
      expect(error).to.be.instanceOf(TorchFileError);
      expect((error as TorchFileError).code).to.equal('refused');
      expect(error.message).to.contain('refused GLOBAL builtins.getattr').and.contain('delete the scheduler state\'s "anneal_func"');
    });

    it('resaved as docs/torch.md says (no anneal_func, _anneal_strategy set), resumes bit for bit', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.1, momentum: 0.9 }]);
      const scheduler = new SWALR(optimizer, { swaLr: 0.05, annealEpochs: 6 });
      const lrs = resume(new Uint8Array(readFileSync(join(refused, 'swa-lr-anneal-func-resaved.pt'))), optimizer, scheduler, recorded.lrs.length);
      expectBits(lrs.flat(), recorded.lrs.flat(), 'SWALR after the resaved file');
    });
  });
});

describe('torchSchedulerState', () => {
  it('gives back Python types: a Counter of milestones, floats for learning rates and factors, ints for counters', () => {
    const fixture = fixtures().find((f) => f.name === 'multi-step-lr');
    const run = tfjsRun(fixture!.config);
    try {
      const state = torchSchedulerState(run.built.driver);
      expect(state.milestones).to.be.instanceOf(Counter);
      expect([...(state.milestones as Counter)]).to.deep.equal([[2, 1], [5, 2], [9, 1]]);
      expect(state.gamma).to.be.instanceOf(PyFloat);
      expect((state.base_lrs as unknown[]).every((lr) => lr instanceof PyFloat)).to.equal(true);
      expect(state.last_epoch).to.equal(0);
      expect(state).not.to.have.property('__scheduler__');
    } finally {
      run.dispose();
    }
  });

  it('writes inf as a float, not the string "inf"', () => {
    const state = torchSchedulerState({ __scheduler__: 'ReduceLROnPlateau', best: 'inf', mode: 'min', min_lrs: [0] });
    expect((state.best as PyFloat).value).to.equal(Infinity);
    expect(state.mode).to.equal('min');
    const back = readTorchFile<TorchDict>(writeTorchFile(state));
    expect(back.best).to.equal(Infinity);
  });

  it("refuses GradualWarmupScheduler's after_scheduler, which PyTorch keeps as an object", () => {
    const error = thrown(() => torchSchedulerState({ __scheduler__: 'GradualWarmupScheduler', after_scheduler: { __scheduler__: 'StepLR' } }));
    expect(error).to.be.instanceOf(InvalidStateError);
    expect(error.message).to.contain('after_scheduler');
  });
});
