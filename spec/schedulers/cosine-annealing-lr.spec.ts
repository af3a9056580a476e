import { expect } from 'chai';
import { CosineAnnealingLR, InvalidArgumentError, InvalidStateError, VirtualOptimizer } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

describe('CosineAnnealingLR', () => {
  it('follows the chainable recursion past tMax, into the rising half and back down', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const lrs = runSchedule(optimizer, new CosineAnnealingLR(optimizer, { tMax: 3, etaMin: 0.01 }), 13);
    // PyTorch 2.13: CosineAnnealingLR(T_max=3, eta_min=0.01), lr 0.1, 13 steps
    expectBits(lrs, [
      0.1, 0.0775, 0.032500000000000015, 0.01, 0.0325, 0.07750000000000005, 0.10000000000000007, 0.07750000000000007,
      0.03250000000000006, 0.01, 0.0325, 0.07749999999999992, 0.09999999999999995, 0.07749999999999996,
    ]);
  });

  it('takes the rising-edge branch on every step when tMax is 1', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const lrs = runSchedule(optimizer, new CosineAnnealingLR(optimizer, { tMax: 1 }), 5);
    // PyTorch 2.13: (last_epoch - 1 - 1) % 2 == 0 on odd epochs adds (base_lr - eta_min) * (1 - cos(pi)) / 2
    expectBits(lrs, [0.1, 0, 0.1, 0, 0.1, 0]);
  });

  it('uses the closed form on step(epoch), with the deprecation warning', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new CosineAnnealingLR(optimizer, { tMax: 10 });
    optimizer.step();
    const { warnings } = captureWarnings(() => scheduler.step(4));
    expect(warnings.map((w) => w.message)).to.have.length(1);
    expect(warnings[0].message).to.match(/epoch parameter/);
    const { result: lrs } = captureWarnings(() => runSchedule(optimizer, scheduler, 4, [10, 3, 15, 0]));
    // PyTorch 2.13: step(4), step(10), step(3), step(15) of T_max=10 from lr 0.1
    expectBits(lrs, [0.06545084971874737, 0, 0.07938926261462366, 0.04999999999999999, 0.1]);
  });

  it('starts a resumed scheduler (lastEpoch >= 0) with the closed form, then chains', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.2, initial_lr: 0.1 }]);
    const scheduler = new CosineAnnealingLR(optimizer, { tMax: 8, lastEpoch: 3 });
    expect(scheduler.lastEpoch).to.equal(4);
    // PyTorch 2.13: last_epoch=3 with initial_lr 0.1; the initial step keeps the group's lr 0.2
    expectBits(runSchedule(optimizer, scheduler, 3), [0.2, 0.12346331352698206, 0.05857864376269051, 0.015224093497742654]);
  });

  it('requires initial_lr in every group when resuming', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.2 }]);
    expect(() => new CosineAnnealingLR(optimizer, { tMax: 8, lastEpoch: 3 })).to.throw(InvalidArgumentError, /initial_lr/);
  });

  it('warns when getLr() is called outside step()', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new CosineAnnealingLR(optimizer, { tMax: 5 });
    const { warnings } = captureWarnings(() => scheduler.getLr());
    expect(warnings.map((w) => w.message)).to.deep.equal(['To get the last learning rate computed by the scheduler, please use `getLastLr()`.']);
  });

  it('rejects tMax 0 at construction (PyTorch fails at the first step) and other bad options', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expect(() => new CosineAnnealingLR(optimizer, { tMax: 0 })).to.throw(InvalidArgumentError, 'CosineAnnealingLR: option "tMax" must be a non-zero number, got 0');
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
    expect(() => new CosineAnnealingLR(optimizer, { tMax: NaN })).to.throw(InvalidArgumentError, /"tMax" must be a non-zero number, got NaN/);
    expect(() => new CosineAnnealingLR(optimizer, {} as never)).to.throw(InvalidArgumentError, /"tMax"/);
    expect(() => new CosineAnnealingLR(optimizer, { tMax: '5' } as never)).to.throw(InvalidArgumentError, /"tMax"/);
    expect(() => new CosineAnnealingLR(optimizer, { tMax: 5, etaMin: Infinity })).to.throw(InvalidArgumentError, /"etaMin" must be a finite number/);
    expect(() => new CosineAnnealingLR(optimizer, { tMax: 5, eta_min: 0 } as never)).to.throw(InvalidArgumentError, /unknown option "eta_min"/);
    expect(() => new CosineAnnealingLR(optimizer, { tMax: 5, lastEpoch: -2 })).to.throw(InvalidArgumentError, /lastEpoch/);
  });

  it("writes PyTorch's state dict keys and resumes exactly from them", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.05 }]);
    const scheduler = new CosineAnnealingLR(optimizer, { tMax: 5 });
    runSchedule(optimizer, scheduler, 3);
    const state = scheduler.stateDict();
    // PyTorch 2.13: state_dict() after 3 steps of T_max=5 on lrs [0.1, 0.05]
    expect(state).to.deep.equal({
      __scheduler__: 'CosineAnnealingLR',
      T_max: 5,
      eta_min: 0,
      base_lrs: [0.1, 0.05],
      last_epoch: 3,
      _step_count: 4,
      _is_initial: false,
      _get_lr_called_within_step: false,
      _last_lr: [0.03454915028125263, 0.017274575140626316],
    });
    const twin = new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.05 }]);
    const restored = new CosineAnnealingLR(twin, { tMax: 9 });
    twin.paramGroups.forEach((group, i) => (group.lr = optimizer.paramGroups[i].lr));
    restored.loadStateDict(JSON.parse(JSON.stringify(state)));
    expect(restored.tMax).to.equal(5);
    expectBits(runSchedule(twin, restored, 4), runSchedule(optimizer, scheduler, 4));
  });

  it('rejects an invalid state dict without changing anything', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new CosineAnnealingLR(optimizer, { tMax: 5 });
    const state = scheduler.stateDict();
    expect(() => scheduler.loadStateDict({ ...state, T_max: 0, last_epoch: 7 })).to.throw(InvalidStateError, /T_max/);
    expect(() => scheduler.loadStateDict({ ...state, eta_min: 'x', last_epoch: 7 })).to.throw(InvalidStateError, /eta_min/);
    expect(scheduler.lastEpoch).to.equal(0);
    expect(scheduler.tMax).to.equal(5);
  });
});
