import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import {
  createScheduler,
  InvalidArgumentError,
  LRScheduler,
  NotComputedError,
  registerScheduler,
  StepLR,
  VirtualOptimizer,
  type OptimizerLike,
} from '../lib';
import { expectBits } from './helpers/expect-bits';
import { captureWarnings } from './helpers/warnings';
import { updateOnce } from './helpers/tfjs';

/** A user-defined scheduler, written as the README shows: halves the lr every step. */
class HalvingLR extends LRScheduler {
  static override readonly className = 'HalvingLR';

  constructor(optimizer: OptimizerLike, options: { lastEpoch?: number } = {}) {
    super(optimizer, options.lastEpoch ?? -1);
    this.initialStep();
  }

  override getLr(): readonly number[] {
    this.warnIfOutsideStep();
    const groups = this.optimizer.paramGroups;
    for (let i = 0; i < groups.length; i++) this.nextLrs[i] = this.lastEpoch === 0 ? groups[i].lr : groups[i].lr / 2;
    return this.nextLrs;
  }
}

describe('LRScheduler (the base contract)', () => {
  describe('construction', () => {
    it('sets initial_lr, takes baseLrs from it and performs the initial step (lastEpoch 0)', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.3 }, { lr: 0.1 }]);
      const scheduler = new StepLR(optimizer, { stepSize: 2 });
      expect(optimizer.paramGroups.map((g) => g.initial_lr)).to.deep.equal([0.3, 0.1]);
      expectBits(scheduler.baseLrs, [0.3, 0.1]);
      expect(scheduler.lastEpoch).to.equal(0);
      expectBits(scheduler.getLastLr(), [0.3, 0.1]);
    });

    it('lets a second scheduler on the same optimizer reuse the first one\'s initial_lr (setdefault)', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.4 }]);
      new HalvingLR(optimizer);
      optimizer.step();
      captureWarnings(() => new HalvingLR(optimizer).step());
      const second = new StepLR(optimizer, { stepSize: 5 });
      expect(optimizer.paramGroups[0].lr).to.equal(0.2);
      expectBits(second.baseLrs, [0.4]);
    });

    it('requires initial_lr in every group when resuming with lastEpoch >= 0, naming the group', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.1, initial_lr: 0.1 }, { lr: 0.2 }]);
      expect(() => new StepLR(optimizer, { stepSize: 3, lastEpoch: 5 })).to.throw(InvalidArgumentError, /paramGroups\[1\]/);
      try {
        new StepLR(optimizer, { stepSize: 3, lastEpoch: 5 });
      } catch (error) {
        expect((error as InvalidArgumentError).pythonType).to.equal('KeyError');
      }
    });

    it('resumes from initial_lr when lastEpoch >= 0 (the initial step advances to lastEpoch + 1)', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.05, initial_lr: 0.2 }]);
      const scheduler = new StepLR(optimizer, { stepSize: 3, gamma: 0.5, lastEpoch: 2 });
      expect(scheduler.lastEpoch).to.equal(3);
      // chainable form at epoch 3: the group's current lr times gamma
      expectBits(scheduler.getLastLr(), [0.025]);
      expectBits(scheduler.baseLrs, [0.2]);
    });

    it('rejects a lastEpoch below -1 or not an integer', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
      expect(() => new StepLR(optimizer, { stepSize: 3, lastEpoch: -2 })).to.throw(InvalidArgumentError, /"lastEpoch" must be an integer >= -1, got -2/);
      expect(() => new StepLR(optimizer, { stepSize: 3, lastEpoch: 1.5 })).to.throw(InvalidArgumentError, /"lastEpoch"/);
    });

    it('rejects something that is not an optimizer', () => {
      expect(() => new StepLR({} as never, { stepSize: 3 })).to.throw(InvalidArgumentError, /asOptimizer: expected a tfjs optimizer/);
    });
  });

  describe('step', () => {
    it('without epoch advances lastEpoch and uses the chainable form', () => {
      const optimizer = new VirtualOptimizer([{ lr: 1 }]);
      const scheduler = new HalvingLR(optimizer);
      for (let i = 0; i < 3; i++) {
        optimizer.step();
        scheduler.step();
      }
      expect(scheduler.lastEpoch).to.equal(3);
      expectBits(scheduler.getLastLr(), [0.125]);
    });

    it('with epoch sets lastEpoch, uses the closed form, and warns about the deprecated argument', () => {
      const optimizer = new VirtualOptimizer([{ lr: 1 }]);
      const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
      optimizer.step();
      const { warnings } = captureWarnings(() => scheduler.step(5));
      expect(scheduler.lastEpoch).to.equal(5);
      expectBits(scheduler.getLastLr(), [0.25]);
      expect(warnings).to.have.length(1);
      expect(warnings[0].category).to.equal('UserWarning');
      expect(warnings[0].message).to.contain('The epoch parameter in `scheduler.step()` was not necessary');
    });

    it('with epoch falls back to getLr() where the class has no closed form', () => {
      const optimizer = new VirtualOptimizer([{ lr: 1 }]);
      const scheduler = new HalvingLR(optimizer);
      optimizer.step();
      captureWarnings(() => scheduler.step(7));
      expect(scheduler.lastEpoch).to.equal(7);
      expectBits(scheduler.getLastLr(), [0.5]);
    });
  });

  describe('warnings', () => {
    it('warns when the scheduler is stepped before the optimizer (first step only)', () => {
      const optimizer = new VirtualOptimizer([{ lr: 1 }]);
      const scheduler = new StepLR(optimizer, { stepSize: 2 });
      const first = captureWarnings(() => scheduler.step()).warnings;
      expect(first.map((w) => w.message)).to.have.length(1);
      expect(first[0].message).to.contain('Detected call of `scheduler.step()` before `optimizer.step()`');
      expect(captureWarnings(() => scheduler.step()).warnings).to.deep.equal([]);
    });

    it('reads a tfjs optimizer\'s own iterations counter for that warning (no patching)', () => {
      const before = tf.memory().numTensors;
      const optimizer = tf.train.sgd(0.1);
      const scheduler = new StepLR(optimizer, { stepSize: 2 });
      for (const method of ['minimize', 'applyGradients']) expect(Object.prototype.hasOwnProperty.call(optimizer, method)).to.equal(false);
      updateOnce(optimizer);
      expect(captureWarnings(() => scheduler.step()).warnings).to.deep.equal([]);
      optimizer.dispose();
      expect(tf.memory().numTensors).to.equal(before);
    });

    it('warns when getLr() is called outside step()', () => {
      const optimizer = new VirtualOptimizer([{ lr: 1 }]);
      const scheduler = new StepLR(optimizer, { stepSize: 2 });
      const { result, warnings } = captureWarnings(() => scheduler.getLr().slice());
      expect(result).to.deep.equal([1]);
      expect(warnings.map((w) => w.message)).to.deep.equal(['To get the last learning rate computed by the scheduler, please use `getLastLr()`.']);
    });
  });

  describe('getLastLr', () => {
    it('returns a fresh copy that later steps never change', () => {
      const optimizer = new VirtualOptimizer([{ lr: 1 }]);
      const scheduler = new HalvingLR(optimizer);
      const held = scheduler.getLastLr();
      optimizer.step();
      scheduler.step();
      expect(held).to.deep.equal([1]);
      expect(scheduler.getLastLr()).to.deep.equal([0.5]);
      expect(scheduler.getLastLr()).to.not.equal(scheduler.getLastLr());
    });

    it('throws a typed error when nothing was computed yet', () => {
      const scheduler = Object.create(StepLR.prototype) as StepLR;
      Object.assign(scheduler, { lastLrs: null });
      expect(() => scheduler.getLastLr()).to.throw(NotComputedError, /getLastLr\(\) has nothing to return/);
    });
  });

  describe('state', () => {
    it('is plain JSON data with PyTorch\'s keys and a class tag', () => {
      // -0 is written as "-0.0" (JSON.stringify(-0) would write 0)
      const optimizer = new VirtualOptimizer([{ lr: -0 }]);
      const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
      const state = scheduler.stateDict();
      expect(state).to.deep.equal({
        __scheduler__: 'StepLR',
        base_lrs: ['-0.0'],
        last_epoch: 0,
        _step_count: 1,
        _get_lr_called_within_step: false,
        _is_initial: false,
        _last_lr: ['-0.0'],
        step_size: 2,
        gamma: 0.5,
      });
      expect(JSON.parse(JSON.stringify(state))).to.deep.equal(state);
    });

    it('round-trips into a freshly built scheduler, which then continues identically', () => {
      const run = (scheduler: StepLR, optimizer: VirtualOptimizer, steps: number): number[] => {
        const out: number[] = [];
        for (let i = 0; i < steps; i++) {
          optimizer.step();
          scheduler.step();
          out.push(optimizer.paramGroups[0].lr);
        }
        return out;
      };
      const optimizerA = new VirtualOptimizer([{ lr: 0.3 }]);
      const a = new StepLR(optimizerA, { stepSize: 3, gamma: 0.5 });
      run(a, optimizerA, 4);
      const saved = JSON.stringify(a.stateDict());
      const expected = run(a, optimizerA, 6);

      const optimizerB = new VirtualOptimizer([{ lr: 0.3 }]);
      const b = new StepLR(optimizerB, { stepSize: 7, gamma: 0.9 });
      b.loadStateDict(JSON.parse(saved));
      optimizerB.paramGroups[0].lr = b.getLastLr()[0];
      expect(b.stepSize).to.equal(3);
      expectBits(run(b, optimizerB, 6), expected);
    });

    it('accepts PyTorch\'s own state dict keys (Python-only keys ignored, non-finite numbers as strings)', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.4 }, { lr: 0.1 }]);
      const scheduler = new StepLR(optimizer, { stepSize: 1 });
      // recorded from PyTorch 2.13 (StepLR.json, a save op), converted to JSON
      scheduler.loadStateDict({
        _get_lr_called_within_step: false,
        _is_initial: false,
        _last_lr: [0.4, 0.1],
        _step_count: 1,
        base_lrs: [0.4, 0.1],
        gamma: 0.5,
        last_epoch: 0,
        step_size: 3,
        verbose: false,
      });
      expect(scheduler.stepSize).to.equal(3);
      expect(scheduler.gamma).to.equal(0.5);
    });
  });

  describe('user-defined schedulers', () => {
    it('are registered with registerScheduler and built by createScheduler', () => {
      registerScheduler('HalvingLR', HalvingLR);
      const optimizer = new VirtualOptimizer([{ lr: 8 }]);
      const scheduler = createScheduler(optimizer, 'HalvingLR', { last_epoch: -1 });
      expect(scheduler.getClassName()).to.equal('HalvingLR');
      optimizer.step();
      scheduler.step();
      expect(optimizer.paramGroups[0].lr).to.equal(4);
    });
  });
});
