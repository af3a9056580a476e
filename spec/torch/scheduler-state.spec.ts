import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { asOptimizer, InvalidStateError } from '../../lib';
import { readTorchFile, torchSchedulerState, type TorchDict, Counter, PyFloat, writeTorchFile } from '../../lib/torch';
import { expectBits } from '../helpers/expect-bits';
import { thrown } from '../helpers/errors';
import { fixtures, tfjsRun } from './torch-fixtures';

describe('torch.save state dicts of every scheduler class', () => {
  for (const fixture of fixtures()) {
    it(`${fixture.name}: loads PyTorch's file and continues with PyTorch's learning rates bit for bit`, () => {
      const before = tf.memory().numTensors;
      const ckpt = readTorchFile<{ scheduler: TorchDict; optimizer: TorchDict; epoch: number }>(fixture.bytes);
      expect(ckpt.epoch).to.equal(fixture.before);
      const run = tfjsRun(fixture.config);
      try {
        asOptimizer(run.optimizers).loadStateDict(ckpt.optimizer);
        run.built.driver.loadStateDict(ckpt.scheduler);
        const lrs = fixture.expected.lrs.map((_, step) => {
          const metric = fixture.metrics?.[step];
          run.built.driver.step(...((metric === undefined ? [] : [metric]) as []));
          return run.built.optimizer.paramGroups.map((group) => group.lr);
        });
        expectBits(lrs.flat(), fixture.expected.lrs.flat(), `${fixture.name} learning rates after loading`);
      } finally {
        run.dispose();
      }
      expect(tf.memory().numTensors).to.equal(before);
    });
  }
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
