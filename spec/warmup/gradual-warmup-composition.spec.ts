/**
 * GradualWarmupScheduler composed with the plateau and composite schedulers, both ways: as a child
 * of SequentialLR / ChainedScheduler, and with them (or ReduceLROnPlateau) as its after-scheduler.
 *
 * Expected values come from PyTorch 2.13 with ildoonet/pytorch-gradual-warmup-lr at 7021d63, except
 * where marked "emulated": there the original raises a TypeError (`after_scheduler.step(None)` on a
 * SequentialLR / ChainedScheduler), and the values were recorded from PyTorch with that one call
 * replaced by `after_scheduler.step()` (and, for ChainedScheduler, its `last_epoch` read from the
 * last chained scheduler): this package's documented behaviour.
 */
import { expect } from 'chai';
import {
  ChainedScheduler,
  ConstantLR,
  ExponentialLR,
  GradualWarmupScheduler,
  LRScheduler,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  VirtualOptimizer,
} from '../../lib';
import { thrown } from '../helpers/errors';
import { expectBits } from '../helpers/expect-bits';
import { recordSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

/** Every group's lr and the scheduler's lastEpoch after construction and after each of `steps` steps. */
function run(optimizer: VirtualOptimizer, scheduler: LRScheduler, steps: number): { lrs: number[]; epochs: number[] } {
  const records = recordSchedule(optimizer, scheduler, steps, (groups) => ({ lrs: groups.map((group) => group.lr), epoch: scheduler.lastEpoch }));
  return { lrs: records.flatMap((record) => record.lrs), epochs: records.map((record) => record.epoch) };
}

/** A 3-epoch warmup handing over to SequentialLR(ConstantLR(factor=0.5, total_iters=2), ExponentialLR(gamma=0.8), milestones=[2]). */
function warmupOverSequential(): { optimizer: VirtualOptimizer; warmup: GradualWarmupScheduler } {
  const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
  const constant = new ConstantLR(optimizer, { factor: 0.5, totalIters: 2 });
  const exponential = new ExponentialLR(optimizer, { gamma: 0.8 });
  const sequential = new SequentialLR(optimizer, { schedulers: [constant, exponential], milestones: [2] });
  return { optimizer, warmup: new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 3, afterScheduler: sequential }) };
}

describe('GradualWarmupScheduler composition', () => {
  describe('as a child', () => {
    it('warms up as the first scheduler of a SequentialLR, then hands over at the milestone', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
      const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 3 });
      const exponential = new ExponentialLR(optimizer, { gamma: 0.5 });
      const scheduler = new SequentialLR(optimizer, { schedulers: [warmup, exponential], milestones: [4] });
      const { lrs, epochs } = run(optimizer, scheduler, 8);
      expectBits(lrs, [0.0, 0.03333333333333333, 0.06666666666666667, 0.1, 0.1, 0.05, 0.025, 0.0125, 0.00625]);
      expect(epochs).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      expect(warmup.lastEpoch).to.equal(3);
      expect(exponential.lastEpoch).to.equal(4);
    });

    it('restarts at epoch 0 as a later scheduler of a SequentialLR (PyTorch: _update_lr(0) -> get_lr())', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
      const exponential = new ExponentialLR(optimizer, { gamma: 0.5 });
      const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 2 });
      const scheduler = new SequentialLR(optimizer, { schedulers: [exponential, warmup], milestones: [3] });
      expectBits(run(optimizer, scheduler, 7).lrs, [0.1, 0.05, 0.025, 0.0, 0.05, 0.1, 0.1, 0.1]);
    });

    it('warms up with multiplier > 1 inside a SequentialLR', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
      const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 2.5, totalEpoch: 2 });
      const step = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
      const scheduler = new SequentialLR(optimizer, { schedulers: [warmup, step], milestones: [3] });
      expectBits(run(optimizer, scheduler, 8).lrs, [0.1, 0.17500000000000002, 0.25, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    });

    it('is chained with an ExponentialLR in a ChainedScheduler (the warmup overwrites, the exponential multiplies)', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.02 }]);
      const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 4 });
      const exponential = new ExponentialLR(optimizer, { gamma: 0.9 });
      const scheduler = new ChainedScheduler(null, { schedulers: [warmup, exponential] });
      expectBits(run(optimizer, scheduler, 8).lrs, [
        0.1, 0.02, 0.1125, 0.022500000000000003, 0.13500000000000004, 0.027, 0.15750000000000003, 0.03150000000000001,
        0.18000000000000002, 0.036000000000000004, 0.18000000000000002, 0.036000000000000004, 0.18000000000000002,
        0.036000000000000004, 0.18000000000000002, 0.036000000000000004, 0.18000000000000002, 0.036000000000000004,
      ]);
    });

    it('fails like PyTorch in a composite when its after-scheduler is a ReduceLROnPlateau', () => {
      // SequentialLR reads the warmup's last lr, which the plateau path never sets (AttributeError)
      const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
      const plateau = new ReduceLROnPlateau(optimizer);
      const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 2, afterScheduler: plateau });
      const exponential = new ExponentialLR(optimizer, { gamma: 0.5 });
      expect(thrown(() => new SequentialLR(optimizer, { schedulers: [warmup, exponential], milestones: [5] })).pythonType).to.equal('AttributeError');

      // ChainedScheduler steps it without metrics: float(None) once the warmup is over (TypeError)
      const other = new VirtualOptimizer([{ lr: 0.1 }]);
      const otherPlateau = new ReduceLROnPlateau(other);
      const otherWarmup = new GradualWarmupScheduler(other, { multiplier: 1, totalEpoch: 2, afterScheduler: otherPlateau });
      const otherExponential = new ExponentialLR(other, { gamma: 0.5 });
      const chained = new ChainedScheduler(null, { schedulers: [otherExponential, otherWarmup] });
      other.step();
      chained.step();
      expectBits(chained.getLastLr(), [0.1]);
      other.step();
      expect(thrown(() => chained.step()).pythonType).to.equal('TypeError');
    });
  });

  describe('as the parent', () => {
    it('hands over to a SequentialLR after the warmup (emulated)', () => {
      const { optimizer, warmup } = warmupOverSequential();
      const { lrs, epochs } = run(optimizer, warmup, 10);
      expectBits(lrs, [
        0.0, 0.03333333333333333, 0.06666666666666667, 0.1, 0.05, 0.05, 0.1, 0.08000000000000002, 0.06400000000000002,
        0.051200000000000016, 0.04096000000000002,
      ]);
      expect(epochs).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expectBits(warmup.getLastLr(), [0.04096000000000002]);
    });

    it('passes step(epoch) on to a SequentialLR after the warmup, which raises the TypeError of Python', () => {
      const { optimizer, warmup } = warmupOverSequential();
      run(optimizer, warmup, 4);
      const error = thrown(() => warmup.step(5));
      expect(error.pythonType).to.equal('TypeError');
      expect(error.message).to.equal('SequentialLR.step() takes 1 positional argument but 2 were given');
    });

    it('hands over to a ChainedScheduler after the warmup, lastEpoch following its last child (emulated)', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
      const step = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
      const exponential = new ExponentialLR(optimizer, { gamma: 0.9 });
      const chained = new ChainedScheduler(null, { schedulers: [step, exponential] });
      const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 2, afterScheduler: chained });
      const { lrs, epochs } = run(optimizer, warmup, 9);
      expectBits(lrs, [
        0.1, 0.15000000000000002, 0.2, 0.1, 0.09000000000000001, 0.04050000000000001, 0.03645000000000001, 0.016402500000000004,
        0.014762250000000005, 0.0066430125000000026,
      ]);
      expect(epochs).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('drives a ReduceLROnPlateau after the warmup with step(epoch, metrics) (PyTorch recording GradualWarmupScheduler-plateau-003)', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.001 }, { lr: 0.01 }]);
      const plateau = new ReduceLROnPlateau(optimizer, { factor: 0.1, patience: 1 });
      const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 2.5, totalEpoch: 3, afterScheduler: plateau });
      // the plateau path never sets the warmup's last lr: getLastLr() throws (PyTorch: AttributeError)
      expect(thrown(() => warmup.getLastLr()).pythonType).to.equal('AttributeError');
      expect(warmup.lastEpoch).to.equal(1);
      const lrs: number[] = [];
      const { warnings } = captureWarnings(() => {
        for (const [epoch, metric] of [[0, 1.0], [1, 0.9], [2, 0.9], [3, 0.9], [4, 0.9], [5, 0.9], [6, 0.9], [7, 0.9], [8, 0.9], [9, 0.9]]) {
          optimizer.step();
          warmup.step(epoch, metric);
          lrs.push(optimizer.paramGroups[0].lr, optimizer.paramGroups[1].lr);
        }
      });
      // ReduceLROnPlateau.step(metrics, epoch - totalEpoch) warns about the epoch argument at epochs 4..9
      expect(warnings).to.have.length(6);
      expectBits(lrs, [
        0.0015, 0.015, 0.0015, 0.015, 0.002, 0.02, 0.0025, 0.025, 0.0025, 0.025, 0.0025, 0.025, 0.00025, 0.0025000000000000005,
        0.00025, 0.0025000000000000005, 2.5e-5, 0.00025000000000000006, 2.5e-5, 0.00025000000000000006,
      ]);
    });

    it('lets the ReduceLROnPlateau after-scheduler raise its TypeError when no metric is given past the warmup (PyTorch recording GradualWarmupScheduler-plateau-004)', () => {
      const optimizer = new VirtualOptimizer([{ lr: 0.3 }]);
      const plateau = new ReduceLROnPlateau(optimizer, { factor: 0.1, patience: 1 });
      const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 2, afterScheduler: plateau });
      run(optimizer, warmup, 1);
      expectBits([optimizer.paramGroups[0].lr], [0.6]);
      expect(thrown(() => warmup.step()).pythonType).to.equal('TypeError');
      expect(plateau.lastEpoch).to.equal(0);
    });
  });
});
