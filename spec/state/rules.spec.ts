/**
 * The value rules shared by constructors and `loadStateDict()` (issue 13 #10, issue 15 #8): for
 * every option with a rule, each value the constructor rejects is also rejected when a state dict
 * holds it under the key PyTorch stores the option in, with an error naming the key, and the load
 * changes nothing. Before, a loaded state could hold what the constructor rejects (NaN gammas,
 * ReduceLROnPlateau `factor` >= 1, ...), and the schedule went NaN or infinite within a few steps.
 */
import { expect } from 'chai';
import {
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  GradualWarmupScheduler,
  InvalidArgumentError,
  InvalidStateError,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  PolynomialLR,
  ReduceLROnPlateau,
  StepLR,
  VirtualOptimizer,
  type JsonValue,
  type LRScheduler,
} from '../../lib';
import { encodeFloat } from '../../lib/state/encoding';
import { ANY_NUMBER, BETA, EPOCH, FINITE, NON_ZERO, NOT_NAN, numberRule } from '../../lib/state/rules';
import { captureWarnings } from '../helpers/warnings';

type Options = Record<string, unknown>;

interface RuleCase {
  className: string;
  make: (optimizer: VirtualOptimizer, options: Options) => LRScheduler;
  /** Valid options; each case replaces one of them. */
  options: Options;
  /** The option, the state key that stores it, and values the constructor rejects. */
  option: string;
  key: string;
  bad: number[];
  /** The state key holds one value per param group. */
  perGroup?: boolean;
  groups?: () => VirtualOptimizer;
}

const sgd = (): VirtualOptimizer => new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.05 }]);
const momentum = (): VirtualOptimizer => new VirtualOptimizer([{ lr: 0.1, momentum: 0.9 }, { lr: 0.05, momentum: 0.9 }]);
const adam = (): VirtualOptimizer => new VirtualOptimizer([{ lr: 0.1, betas: [0.9, 0.999] }, { lr: 0.05, betas: [0.9, 0.999] }]);

const cases: RuleCase[] = [
  { className: 'StepLR', make: (o, x) => new StepLR(o, x as never), options: { stepSize: 3 }, option: 'stepSize', key: 'step_size', bad: [0, NaN] },
  { className: 'StepLR', make: (o, x) => new StepLR(o, x as never), options: { stepSize: 3 }, option: 'gamma', key: 'gamma', bad: [NaN, Infinity, -Infinity] },
  { className: 'MultiStepLR', make: (o, x) => new MultiStepLR(o, x as never), options: { milestones: [2] }, option: 'gamma', key: 'gamma', bad: [NaN, Infinity] },
  { className: 'ConstantLR', make: (o, x) => new ConstantLR(o, x), options: {}, option: 'factor', key: 'factor', bad: [0, NaN, 1.5, -0.1] },
  { className: 'LinearLR', make: (o, x) => new LinearLR(o, x), options: {}, option: 'startFactor', key: 'start_factor', bad: [0, NaN, 1.5] },
  { className: 'LinearLR', make: (o, x) => new LinearLR(o, x), options: {}, option: 'endFactor', key: 'end_factor', bad: [NaN, -0.1, 1.5] },
  { className: 'LinearLR', make: (o, x) => new LinearLR(o, x), options: {}, option: 'totalIters', key: 'total_iters', bad: [NaN] },
  { className: 'ExponentialLR', make: (o, x) => new ExponentialLR(o, x as never), options: { gamma: 0.9 }, option: 'gamma', key: 'gamma', bad: [NaN, Infinity, -Infinity] },
  { className: 'PolynomialLR', make: (o, x) => new PolynomialLR(o, x), options: {}, option: 'totalIters', key: 'total_iters', bad: [NaN] },
  { className: 'PolynomialLR', make: (o, x) => new PolynomialLR(o, x), options: {}, option: 'power', key: 'power', bad: [-1, NaN] },
  { className: 'CosineAnnealingLR', make: (o, x) => new CosineAnnealingLR(o, x as never), options: { tMax: 10 }, option: 'tMax', key: 'T_max', bad: [0, NaN] },
  { className: 'CosineAnnealingLR', make: (o, x) => new CosineAnnealingLR(o, x as never), options: { tMax: 10 }, option: 'etaMin', key: 'eta_min', bad: [NaN, Infinity] },
  { className: 'CosineAnnealingWarmRestarts', make: (o, x) => new CosineAnnealingWarmRestarts(o, x as never), options: { t0: 3 }, option: 't0', key: 'T_0', bad: [0, 1.5, NaN, Infinity] },
  { className: 'CosineAnnealingWarmRestarts', make: (o, x) => new CosineAnnealingWarmRestarts(o, x as never), options: { t0: 3 }, option: 'tMult', key: 'T_mult', bad: [0, 1.5, NaN] },
  { className: 'CosineAnnealingWarmRestarts', make: (o, x) => new CosineAnnealingWarmRestarts(o, x as never), options: { t0: 3 }, option: 'etaMin', key: 'eta_min', bad: [NaN, -Infinity] },
  {
    className: 'CyclicLR', make: (o, x) => new CyclicLR(o, x as never), groups: momentum,
    options: { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4 }, option: 'maxLr', key: 'max_lrs', bad: [NaN, Infinity], perGroup: true,
  },
  {
    className: 'CyclicLR', make: (o, x) => new CyclicLR(o, x as never), groups: momentum,
    options: { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4 }, option: 'baseLr', key: 'base_lrs', bad: [NaN, -Infinity], perGroup: true,
  },
  {
    className: 'CyclicLR', make: (o, x) => new CyclicLR(o, x as never), groups: momentum,
    options: { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, mode: 'exp_range', gamma: 0.99 }, option: 'gamma', key: 'gamma', bad: [NaN, Infinity],
  },
  {
    className: 'CyclicLR', make: (o, x) => new CyclicLR(o, x as never), groups: momentum,
    options: { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4 }, option: 'maxMomentum', key: 'max_momentums', bad: [NaN, Infinity], perGroup: true,
  },
  {
    // beta1 = 1 divides by 1 - beta1 ** step = 0 (torch.optim.Adam requires 0 <= beta1 < 1)
    className: 'CyclicLR', make: (o, x) => new CyclicLR(o, x as never), groups: adam,
    options: { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4 }, option: 'maxMomentum', key: 'max_momentums', bad: [1, 1.5, -0.1, NaN], perGroup: true,
  },
  {
    className: 'OneCycleLR', make: (o, x) => new OneCycleLR(o, x as never), groups: momentum,
    options: { maxLr: 0.1, totalSteps: 10 }, option: 'totalSteps', key: 'total_steps', bad: [0, 2.5, NaN],
  },
  { className: 'ReduceLROnPlateau', make: (o, x) => new ReduceLROnPlateau(o, x), options: {}, option: 'factor', key: 'factor', bad: [1, 1.5, Infinity] },
  {
    className: 'GradualWarmupScheduler', make: (o, x) => new GradualWarmupScheduler(o, x as never),
    options: { multiplier: 2, totalEpoch: 3 }, option: 'multiplier', key: 'multiplier', bad: [0.5, NaN, Infinity],
  },
  {
    className: 'GradualWarmupScheduler', make: (o, x) => new GradualWarmupScheduler(o, x as never),
    options: { multiplier: 2, totalEpoch: 3 }, option: 'totalEpoch', key: 'total_epoch', bad: [0, NaN],
  },
];

function quiet<T>(fn: () => T): T {
  return captureWarnings(fn).result;
}

describe('value rules shared by constructors and loadStateDict()', () => {
  for (const c of cases) {
    const bad = c.bad.map(String).join(', ');
    it(`${c.className}: option "${c.option}" and key "${c.key}" both reject ${bad}`, () => {
      const groups = c.groups ?? sgd;
      for (const value of c.bad) {
        const optimizer = groups();
        let error: unknown;
        try {
          quiet(() => c.make(optimizer, { ...c.options, [c.option]: value }));
        } catch (thrown) {
          error = thrown;
        }
        expect(error, `${c.className} accepted ${c.option} ${value}`).to.be.instanceOf(InvalidArgumentError);
        expect((error as Error).message).to.match(new RegExp(`^${c.className}: `));
        // The constructor changed nothing either (no initial_lr, no rewritten lr).
        expect(optimizer.paramGroups.map((g) => Object.keys(g).sort().join(','))).to.deep.equal(groups().paramGroups.map((g) => Object.keys(g).sort().join(',')));

        const scheduler = quiet(() => c.make(groups(), c.options));
        const state = scheduler.stateDict();
        const before = JSON.stringify(state);
        const encoded = encodeFloat(value);
        const saved: JsonValue = c.perGroup ? [encoded, encoded] : encoded;
        expect(() => scheduler.loadStateDict({ ...state, [c.key]: saved }), `${c.className} loaded ${c.key} ${value}`).to.throw(
          InvalidStateError,
          new RegExp(`^${c.className}\\.loadStateDict: key "${c.key}" must be `),
        );
        expect(JSON.stringify(scheduler.stateDict())).to.equal(before);
      }
    });
  }

  it('rejects a loaded last_epoch that is NaN, infinite or fractional, and a base lr that is NaN or infinite (issue 13 #10)', () => {
    for (const lastEpoch of ['nan', 'inf', '-inf', 2.5]) {
      const scheduler = new StepLR(sgd(), { stepSize: 3 });
      expect(() => scheduler.loadStateDict({ ...scheduler.stateDict(), last_epoch: lastEpoch })).to.throw(
        InvalidStateError,
        /^StepLR\.loadStateDict: key "last_epoch" must be an integer, got /,
      );
    }
    for (const baseLr of ['nan', 'inf', '-inf']) {
      const scheduler = new StepLR(sgd(), { stepSize: 3 });
      expect(() => scheduler.loadStateDict({ ...scheduler.stateDict(), base_lrs: [0.1, baseLr] })).to.throw(
        InvalidStateError,
        /^StepLR\.loadStateDict: key "base_lrs" must be a list of 2 numbers, each a finite number, got /,
      );
    }
  });

  it('loads a negative integer last_epoch, which PyTorch reaches (GradualWarmupScheduler hands its after-scheduler epoch - total_epoch)', () => {
    // PyTorch 2.13 recording GradualWarmupScheduler-after-013 saves a StepLR with last_epoch -3.
    const optimizer = sgd();
    const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
    scheduler.loadStateDict({ ...scheduler.stateDict(), last_epoch: -3 });
    optimizer.step();
    scheduler.step();
    // lastEpoch -2: -2 % 2 == 0 and -2 != 0, so the chainable form decays once
    expect(scheduler.lastEpoch).to.equal(-2);
    expect(scheduler.getLastLr()).to.deep.equal([0.05, 0.025]);
  });

  it('rejects a NaN or infinite base learning rate at construction, before writing initial_lr', () => {
    for (const lr of [NaN, Infinity]) {
      const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr }]);
      expect(() => new ExponentialLR(optimizer, { gamma: 0.9 })).to.throw(
        InvalidArgumentError,
        `ExponentialLR: paramGroups[1].lr (the base learning rate) must be a finite number, got ${lr}`,
      );
      expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
    }
  });

  it('words each rule as its error messages do', () => {
    expect([ANY_NUMBER, NOT_NAN, FINITE, NON_ZERO, EPOCH, BETA].map((rule) => rule.expected)).to.deep.equal([
      'a number',
      'a number (not NaN)',
      'a finite number',
      'a non-zero number',
      'an integer >= -1',
      'a number in [0, 1)',
    ]);
    const rule = numberRule('an even number', (n) => n % 2 === 0);
    expect([rule.test(2), rule.test(3), rule.test(NaN)]).to.deep.equal([true, false, false]);
    expect([EPOCH.test(-1), EPOCH.test(-2), EPOCH.test(2.5), BETA.test(0), BETA.test(1)]).to.deep.equal([true, false, false, true, false]);
  });
});
