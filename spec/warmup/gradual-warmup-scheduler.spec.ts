import { expect } from 'chai';
import {
  CosineAnnealingLR,
  GradualWarmupScheduler,
  InvalidArgumentError,
  InvalidStateError,
  LinearLR,
  pymath,
  SequentialLR,
  StepLR,
  VirtualOptimizer,
} from '../../lib';
import { expectBits, RELATIVE_TOLERANCE } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

describe('GradualWarmupScheduler', () => {
  it('starts from 0 with multiplier 1 and reaches the base lr at totalEpoch', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 4 });
    const lrs = runSchedule(optimizer, warmup, 6);
    // 0.1 * (e / 4) for e = 0..4, then base_lr * multiplier
    expectBits(lrs, [0, 0.1 * (1 / 4), 0.1 * (2 / 4), 0.1 * (3 / 4), 0.1 * (4 / 4), 0.1, 0.1]);
  });

  it('warms from the base lr up to base lr * multiplier when multiplier > 1', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 3, totalEpoch: 4 });
    const lrs = runSchedule(optimizer, warmup, 5);
    // base_lr * ((multiplier - 1) * e / T + 1), in that operation order
    const expected = [0, 1, 2, 3, 4].map((e) => 0.1 * (((3 - 1) * e) / 4 + 1));
    expectBits(lrs, [...expected, 0.1 * 3]);
  });

  it('prints the Python sample\'s 19 learning rates with step(epoch) (values recorded from PyTorch)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const afterScheduler = new StepLR(optimizer, { stepSize: 10, gamma: 0.1 });
    const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 5, afterScheduler });
    optimizer.step();
    const lrs: number[] = [];
    captureWarnings(() => {
      for (let epoch = 1; epoch < 20; epoch++) {
        warmup.step(epoch);
        lrs.push(optimizer.paramGroups[0].lr);
      }
    });
    const expected = [0.020000000000000004, 0.04000000000000001, 0.06, 0.08000000000000002, 0.1];
    for (let epoch = 6; epoch <= 14; epoch++) expected.push(0.1);
    for (let epoch = 15; epoch <= 19; epoch++) expected.push(0.010000000000000002);
    expectBits(lrs, expected);
  });

  it('rescales the after-scheduler\'s base lrs by the multiplier exactly once, at the hand-off', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const afterScheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
    const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 2, afterScheduler });
    for (let i = 0; i < 3; i++) {
      optimizer.step();
      warmup.step();
    }
    expect(warmup.finished).to.equal(true);
    expectBits(afterScheduler.baseLrs, [0.2]);
    for (let i = 0; i < 5; i++) {
      optimizer.step();
      warmup.step();
    }
    expectBits(afterScheduler.baseLrs, [0.2]);
  });

  it('hands epoch - totalEpoch to the after-scheduler and sets lastEpoch to after.lastEpoch + totalEpoch + 1', () => {
    const optimizer = new VirtualOptimizer([{ lr: 1 }]);
    const afterScheduler = new StepLR(optimizer, { stepSize: 3, gamma: 0.5 });
    const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 2, afterScheduler });
    optimizer.step();
    captureWarnings(() => {
      warmup.step(3); // 3 > 2: hand-off (finished), lr from the after-scheduler's last lr
      warmup.step(10);
    });
    expect(afterScheduler.lastEpoch).to.equal(8);
    expect(warmup.lastEpoch).to.equal(8 + 2 + 1);
    // closed form of StepLR: base 1 * 0.5 ** (8 // 3)
    expectBits(warmup.getLastLr(), [0.25]);
  });

  it('rejects an afterScheduler built on another optimizer, changing nothing (issue 15, item 3)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const other = new VirtualOptimizer([{ lr: 0.1 }]);
    const afterScheduler = new StepLR(other, { stepSize: 2, gamma: 0.5 });
    expect(() => new GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 3, afterScheduler })).to.throw(
      InvalidArgumentError,
      'GradualWarmupScheduler: option "afterScheduler" must schedule the same optimizer, got a StepLR on another optimizer ' +
        '(other param groups): build it on the optimizer given to the GradualWarmupScheduler',
    );
    expect(optimizer.paramGroups).to.deep.equal([{ lr: 0.1 }]);
  });

  it('drops at the hand-off with multiplier > 1, as the original does, and SequentialLR gives the continuous curve (issue 15, item 4)', () => {
    // The class documentation's numbers: SGD lr 0.0125, multiplier 8, 5 warmup epochs, then CosineAnnealingLR(tMax 10).
    const optimizer = new VirtualOptimizer([{ lr: 0.0125 }]);
    const cosine = new CosineAnnealingLR(optimizer, { tMax: 10 });
    const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 8, totalEpoch: 5, afterScheduler: cosine });
    const lrs = runSchedule(optimizer, warmup, 8);
    // Hand-computed. Warmup: base_lr * ((multiplier - 1) * e / totalEpoch + 1). Epoch 6: the after-scheduler's
    // last lr (0.0125, from its construction). Then PyTorch's chainable cosine from the group's lr:
    // (1 + cos(pi * t / T)) / (1 + cos(pi * (t - 1) / T)) * lr, t = 1, 2.
    const warm = [0, 1, 2, 3, 4, 5].map((e) => 0.0125 * ((7 * e) / 5 + 1));
    const chainable = (lr: number, t: number): number => ((1 + pymath.cos((pymath.PI * t) / 10)) / (1 + pymath.cos((pymath.PI * (t - 1)) / 10))) * (lr - 0) + 0;
    const seventh = chainable(0.0125, 1);
    expectBits(lrs, [...warm, 0.0125, seventh, chainable(seventh, 2)]);
    expectBits(lrs.slice(5, 8), [0.1, 0.0125, 0.012194103226844711]);

    // The continuous curve: the peak as the optimizer's lr, LinearLR from 1 / multiplier, then the cosine from 0.1.
    const peak = new VirtualOptimizer([{ lr: 0.1 }]);
    const linear = new LinearLR(peak, { startFactor: 1 / 8, totalIters: 5 });
    const decay = new CosineAnnealingLR(peak, { tMax: 10 });
    const continuous = runSchedule(peak, new SequentialLR(peak, { schedulers: [linear, decay], milestones: [5] }), 7);
    expect(continuous[5]).to.equal(0.1);
    // CosineAnnealingLR's closed form at its epoch 1 from base lr 0.1 (SequentialLR restarts it at 0 at the milestone)
    const cosineAt1 = (0.1 * (1 + pymath.cos(pymath.PI / 10))) / 2;
    expect(continuous[6]).to.be.closeTo(cosineAt1, cosineAt1 * RELATIVE_TOLERANCE);
    // the same warmup as the GradualWarmupScheduler's, up to rounding (LinearLR's chainable form)
    for (let e = 0; e < 5; e++) expect(continuous[e]).to.be.closeTo(warm[e], warm[e] * RELATIVE_TOLERANCE);
  });

  it('keeps the last value when there is no after-scheduler: base lr * multiplier', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.2 }, { lr: 0.4 }]);
    const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 1.5, totalEpoch: 1 });
    for (let i = 0; i < 4; i++) {
      optimizer.step();
      warmup.step();
    }
    expectBits(warmup.getLastLr(), [0.2 * 1.5, 0.4 * 1.5]);
  });

  it('rejects a multiplier below 1 and a zero totalEpoch, naming the option', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new GradualWarmupScheduler(optimizer, { multiplier: 0.5, totalEpoch: 3 })).to.throw(
      InvalidArgumentError,
      'GradualWarmupScheduler: option "multiplier" must be a finite number >= 1, got 0.5',
    );
    expect(() => new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 0 })).to.throw(InvalidArgumentError, /"totalEpoch"/);
    expect(() => new GradualWarmupScheduler(optimizer, { multiplier: 1, totalEpoch: 2, afterScheduler: {} as never })).to.throw(
      InvalidArgumentError,
      /"afterScheduler" must be a scheduler/,
    );
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('nests the after-scheduler\'s state dict and resumes exactly in a fresh pair', () => {
    const build = (): { optimizer: VirtualOptimizer; warmup: GradualWarmupScheduler } => {
      const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
      const afterScheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
      return { optimizer, warmup: new GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 3, afterScheduler }) };
    };
    const original = build();
    const uninterrupted: number[] = [];
    let saved = '';
    let savedOptimizer = '';
    for (let i = 0; i < 12; i++) {
      original.optimizer.step();
      original.warmup.step();
      uninterrupted.push(original.optimizer.paramGroups[0].lr);
      if (i === 5) {
        saved = JSON.stringify(original.warmup.stateDict());
        savedOptimizer = JSON.stringify(original.optimizer.paramGroups);
      }
    }
    const state = JSON.parse(saved) as Record<string, unknown>;
    expect(state.__scheduler__).to.equal('GradualWarmupScheduler');
    expect((state.after_scheduler as Record<string, unknown>).__scheduler__).to.equal('StepLR');

    const resumed = build();
    resumed.optimizer.paramGroups[0].lr = (JSON.parse(savedOptimizer) as Array<{ lr: number }>)[0].lr;
    resumed.warmup.loadStateDict(state as never);
    const continued: number[] = [];
    for (let i = 6; i < 12; i++) {
      resumed.optimizer.step();
      resumed.warmup.step();
      continued.push(resumed.optimizer.paramGroups[0].lr);
    }
    expectBits(continued, uninterrupted.slice(6));
  });

  it('rejects a state dict whose after-scheduler is of another class, changing nothing', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const afterScheduler = new StepLR(optimizer, { stepSize: 2 });
    const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 3, afterScheduler });
    const before = JSON.stringify(warmup.stateDict());
    const state = warmup.stateDict();
    state.last_epoch = 7;
    state.after_scheduler = { ...(state.after_scheduler as object), __scheduler__: 'ExponentialLR' };
    expect(() => warmup.loadStateDict(state)).to.throw(InvalidStateError, /^GradualWarmupScheduler\.loadStateDict: after_scheduler \(StepLR\): key "__scheduler__" must be "StepLR", got "ExponentialLR"$/);
    expect(JSON.stringify(warmup.stateDict())).to.equal(before);
  });
});

describe('GradualWarmupScheduler state', () => {
  it('rejects a multiplier below 1 or a zero total_epoch in a state dict, changing nothing', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const warmup = new GradualWarmupScheduler(optimizer, { multiplier: 2, totalEpoch: 3 });
    const state = warmup.stateDict();
    expect(() => warmup.loadStateDict({ ...state, multiplier: 0.5 })).to.throw(
      InvalidStateError,
      'GradualWarmupScheduler.loadStateDict: key "multiplier" must be a finite number >= 1, got 0.5',
    );
    expect(() => warmup.loadStateDict({ ...state, total_epoch: 0 })).to.throw(InvalidStateError, /key "total_epoch" must be a non-zero number, got 0/);
    expect(warmup.stateDict()).to.deep.equal(state);
  });
});
