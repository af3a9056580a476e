import { expect } from 'chai';
import {
  asOptimizer,
  CosineAnnealingLR,
  InvalidArgumentError,
  InvalidStateError,
  MultiplicativeLR,
  SWALR,
  VirtualOptimizer,
  createScheduler,
} from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule, runScheduleAllGroups } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

describe('SWALR', () => {
  it('anneals every group from its lr to swaLr along a cosine over annealEpochs steps (PyTorch recording SWALR-cos-002)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.001, momentum: 0.99 }, { lr: 0.1, momentum: 0.8 }]);
    const lrs = runScheduleAllGroups(optimizer, new SWALR(optimizer, { swaLr: 0.05, annealEpochs: 3, annealStrategy: 'cos' }), 5);
    expectBits(lrs.flat(), [
      [0.001, 0.1],
      [0.013249999999999998, 0.08750000000000001],
      [0.03775, 0.06250000000000001],
      [0.05, 0.05],
      [0.05, 0.05],
      [0.05, 0.05],
    ].flat());
  });

  it('anneals linearly with annealStrategy "linear" (values of torch.optim.swa_utils.SWALR 2.13)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const lrs = runSchedule(optimizer, new SWALR(optimizer, { swaLr: 0.05, annealEpochs: 4, annealStrategy: 'linear' }), 6);
    // Each step rebuilds the start (0.1) from the current lr, so the rounding is PyTorch's, not 0.1 - 0.0125 * k.
    expectBits(lrs, [0.1, 0.08750000000000001, 0.07500000000000001, 0.06250000000000001, 0.05, 0.05, 0.05]);
  });

  it('sets swaLr at construction when annealEpochs is 0 (PyTorch recording SWALR-cos-004)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.4 }]);
    const lrs = runSchedule(optimizer, new SWALR(optimizer, { swaLr: 0.02, annealEpochs: 0 }), 3);
    expectBits(lrs, [0.02, 0.02, 0.02, 0.02]);
  });

  it('follows the number of step() calls, not step(epoch): the epoch only sets lastEpoch (PyTorch recording SWALR-epoch-001)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.02 }]);
    const scheduler = new SWALR(optimizer, { swaLr: 0.01, annealEpochs: 4 });
    const seen: Array<[number, number]> = [];
    const { warnings } = captureWarnings(() => {
      for (const epoch of [3, 1, 7, 7, 0, 12]) {
        optimizer.step();
        scheduler.step(epoch);
        seen.push([optimizer.paramGroups[0].lr, scheduler.lastEpoch]);
      }
    });
    expectBits(seen.map(([lr]) => lr), [0.01853553390593274, 0.015, 0.011464466094067264, 0.01, 0.01, 0.01]);
    expect(seen.map(([, epoch]) => epoch)).to.deep.equal([3, 1, 7, 7, 0, 12]);
    expect(warnings.map((w) => w.message)).to.have.length(6).and.satisfy((messages: string[]) => messages.every((m) => /epoch parameter/.test(m)));
  });

  it('does not shift the anneal when resumed with lastEpoch >= 0, and needs initial_lr then (PyTorch recording SWALR-resume-001)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.4, initial_lr: 0.08 }]);
    const scheduler = new SWALR(optimizer, { swaLr: 0.01, annealEpochs: 3, lastEpoch: 4 });
    expect(scheduler.lastEpoch).to.equal(5);
    expectBits(runSchedule(optimizer, scheduler, 4), [0.4, 0.30250000000000005, 0.10750000000000005, 0.01, 0.01]);
    expect(() => new SWALR(new VirtualOptimizer([{ lr: 0.4 }]), { swaLr: 0.01, lastEpoch: 4 }))
      .to.throw(InvalidArgumentError, /initial_lr/)
      .with.property('pythonType', 'KeyError');
  });

  it("continues from the lr another scheduler left: PyTorch's docstring pattern (PyTorch recording SWALR-canonical-005)", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.25 }]);
    const multiplicative = new MultiplicativeLR(optimizer, { lrLambda: () => 0.9 });
    const swa = new SWALR(optimizer, { swaLr: 0.01, annealEpochs: 5, annealStrategy: 'linear' });
    const lrs: number[] = [];
    for (let i = 0; i < 15; i++) {
      optimizer.step();
      if (i > 6) swa.step();
      else multiplicative.step();
      lrs.push(optimizer.paramGroups[0].lr);
    }
    expectBits(lrs, [
      0.225, 0.2025, 0.18225000000000002, 0.16402500000000003, 0.14762250000000005, 0.13286025000000004, 0.11957422500000003,
      0.09765938000000003, 0.07574453500000002, 0.053829690000000006, 0.031914845, 0.01, 0.01, 0.01, 0.01,
    ]);
  });

  it('takes over from CosineAnnealingLR after swaStart, as in the SWA tutorial (PyTorch recording SWALR-canonical-001)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.4 }]);
    const cosine = new CosineAnnealingLR(optimizer, { tMax: 20 });
    const swa = new SWALR(optimizer, { swaLr: 0.02, annealEpochs: 5 });
    const swaStart = 10;
    const lrs: number[] = [];
    for (let epoch = 0; epoch < 20; epoch++) {
      optimizer.step();
      if (epoch > swaStart) swa.step();
      else cosine.step();
      lrs.push(optimizer.paramGroups[0].lr);
    }
    expectBits(lrs, [
      0.3975376681190276, 0.39021130325903075, 0.3782013048376736, 0.3618033988749896, 0.34142135623730957, 0.3175570504584947,
      0.2907980999479094, 0.26180339887498955, 0.23128689300804625, 0.20000000000000004, 0.1687131069919539,
      0.15451226891737224, 0.11733399216938374, 0.07137911482257017, 0.034200838074581685, 0.02, 0.02, 0.02, 0.02, 0.02,
    ]);
  });

  it('writes swa_lr into every param group and reads it from there at each step', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }]);
    const scheduler = new SWALR(optimizer, { swaLr: [0.01, 0.05], annealEpochs: 2, annealStrategy: 'linear' });
    expect(optimizer.paramGroups.map((group) => group.swa_lr)).to.deep.equal([0.01, 0.05]);
    expect(asOptimizer(optimizer).stateDict().param_groups.map((group) => group.swa_lr)).to.deep.equal([0.01, 0.05]);
    optimizer.paramGroups[1].swa_lr = 0.1; // PyTorch reads group["swa_lr"], so a change takes effect
    optimizer.step();
    scheduler.step();
    scheduler.step();
    expectBits(scheduler.getLastLr(), [0.01, 0.1]);
  });

  it('is built by createScheduler from PyTorch keywords', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.3 }]);
    const scheduler = createScheduler(optimizer, 'SWALR', { swa_lr: 0.05, anneal_epochs: 1, anneal_strategy: 'linear' });
    expect(scheduler).to.be.instanceOf(SWALR);
    optimizer.step();
    scheduler.step();
    expectBits(scheduler.getLastLr(), [0.05]);
  });

  it('rejects bad options with PyTorch\'s checks, naming the option, and changes nothing', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.05 }, { lr: 0.2 }]);
    const before = JSON.stringify(asOptimizer(optimizer).stateDict());
    const cases: Array<[object, RegExp]> = [
      [{ swaLr: [0.01, 0.01, 0.005] }, /swaLr" must have the same length as optimizer\.paramGroups\. swaLr has 3 values, paramGroups has 2/],
      [{ swaLr: 0.005, annealStrategy: 'exp' }, /option "annealStrategy" must be one of "cos", "linear", got "exp"/],
      [{ swaLr: 0.005, annealEpochs: -1 }, /option "annealEpochs" must be an integer >= 0, got -1/],
      [{ swaLr: 0.05, annealEpochs: 2.5 }, /option "annealEpochs" must be an integer >= 0, got 2\.5/],
      [{ swaLr: Number.NaN }, /option "swaLr" must be a finite number or a list of 2 such numbers, got NaN/],
      [{ swaLr: [0.1, Infinity] }, /option "swaLr\[1\]" must be a finite number, got Infinity/],
      [{}, /option "swaLr" must be a finite number or a list of 2 such numbers, got undefined/],
      [{ swaLr: 0.1, anneal_epochs: 3 }, /unknown option "anneal_epochs"/],
    ];
    for (const [options, message] of cases) {
      expect(() => new SWALR(optimizer, options as never), JSON.stringify(options)).to.throw(InvalidArgumentError, message);
    }
    // PyTorch has written swa_lr into the groups when its strategy check fails; here nothing changed.
    expect(JSON.stringify(asOptimizer(optimizer).stateDict())).to.equal(before);
  });
});

describe('SWALR state', () => {
  it("has PyTorch's state_dict keys: _anneal_strategy and anneal_epochs, no anneal_func (PyTorch recording SWALR-saverestore-001)", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.15 }, { lr: 0.08 }]);
    const state = new SWALR(optimizer, { swaLr: 0.005, annealEpochs: 5 }).stateDict();
    const recorded = {
      _anneal_strategy: 'cos', _get_lr_called_within_step: false, _is_initial: false, _last_lr: [0.15, 0.08], _step_count: 1,
      anneal_epochs: 5, base_lrs: [0.15, 0.08], last_epoch: 0,
    };
    expect(state).to.deep.equal({ __scheduler__: 'SWALR', ...recorded });
  });

  it('resumes mid-anneal in a fresh scheduler, the optimizer state first (it carries swa_lr)', () => {
    const run = (optimizer: VirtualOptimizer, scheduler: SWALR, steps: number): number[] => {
      const lrs: number[] = [];
      for (let i = 0; i < steps; i++) {
        optimizer.step();
        scheduler.step();
        lrs.push(...optimizer.paramGroups.map((group) => group.lr));
      }
      return lrs;
    };
    const options = { swaLr: [0.01, 0.03], annealEpochs: 6, annealStrategy: 'cos' as const };
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }]);
    const original = new SWALR(optimizer, options);
    run(optimizer, original, 3);
    const saved = JSON.stringify({ optimizer: asOptimizer(optimizer).stateDict(), scheduler: original.stateDict() });
    const expected = run(optimizer, original, 6);

    const freshOptimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.2 }]);
    const fresh = new SWALR(freshOptimizer, { ...options, swaLr: 0.5 }); // swa_lr comes back with the optimizer state
    const { optimizer: optimizerState, scheduler: schedulerState } = JSON.parse(saved) as { optimizer: never; scheduler: never };
    asOptimizer(freshOptimizer).loadStateDict(optimizerState);
    fresh.loadStateDict(schedulerState);
    expectBits(run(freshOptimizer, fresh, 6), expected);
  });

  it('rejects a state with an unknown strategy or a bad anneal_epochs, changing nothing', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new SWALR(optimizer, { swaLr: 0.01, annealEpochs: 3 });
    const state = scheduler.stateDict();
    expect(() => scheduler.loadStateDict({ ...state, _anneal_strategy: 'exp', last_epoch: 9 })).to.throw(
      InvalidStateError,
      'SWALR.loadStateDict: key "_anneal_strategy" must be one of "cos", "linear", got "exp"',
    );
    expect(() => scheduler.loadStateDict({ ...state, anneal_epochs: 2.5, last_epoch: 9 })).to.throw(
      InvalidStateError,
      'SWALR.loadStateDict: key "anneal_epochs" must be an integer >= 0, got 2.5',
    );
    expect(() => scheduler.loadStateDict({ ...state, anneal_func: null })).to.throw(InvalidStateError, /unexpected key "anneal_func"/);
    expect(scheduler.stateDict()).to.deep.equal(state);
  });

  it('switches the anneal function with a loaded _anneal_strategy', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new SWALR(optimizer, { swaLr: 0.05, annealEpochs: 4, annealStrategy: 'cos' });
    scheduler.loadStateDict({ ...scheduler.stateDict(), _anneal_strategy: 'linear' });
    expect(scheduler.annealStrategy).to.equal('linear');
    optimizer.step();
    scheduler.step();
    // linear: 0.05 * 0.25 + 0.1 * 0.75
    expectBits(scheduler.getLastLr(), [0.05 * 0.25 + 0.1 * 0.75]);
  });
});
