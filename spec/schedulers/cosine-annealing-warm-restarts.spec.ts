import { expect } from 'chai';
import { CosineAnnealingWarmRestarts, InvalidArgumentError, InvalidStateError, VirtualOptimizer } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { runSchedule } from '../helpers/run-schedule';
import { captureWarnings } from '../helpers/warnings';

describe('CosineAnnealingWarmRestarts', () => {
  it('restarts after T_i epochs and multiplies T_i by tMult', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new CosineAnnealingWarmRestarts(optimizer, { t0: 2, tMult: 2 });
    // PyTorch 2.13: T_0=2, T_mult=2, lr 0.1, 14 steps (restarts at 2, 6, 14)
    expectBits(runSchedule(optimizer, scheduler, 14), [
      0.1, 0.05, 0.1, 0.08535533905932738, 0.05, 0.014644660940672627, 0.1, 0.09619397662556434, 0.08535533905932738,
      0.0691341716182545, 0.05, 0.030865828381745515, 0.014644660940672627, 0.0038060233744356634, 0.1,
    ]);
    expect([scheduler.tCur, scheduler.tI, scheduler.lastEpoch]).to.deep.equal([0, 16, 14]);
  });

  it('accepts fractional epochs in step(epoch), without any warning', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new CosineAnnealingWarmRestarts(optimizer, { t0: 3, etaMin: 0.001 });
    const epochs = Array.from({ length: 13 }, (_, i) => (i + 1) / 4);
    const { result: lrs, warnings } = captureWarnings(() => runSchedule(optimizer, scheduler, 13, epochs));
    expect(warnings).to.deep.equal([]);
    // PyTorch 2.13: T_0=3, eta_min=0.001, step(0.25), step(0.5), ..., step(3.25)
    expectBits(lrs, [
      0.1, 0.09831332840130888, 0.09336825748732973, 0.0855017856687341, 0.07525000000000001, 0.06331154273257478, 0.0505,
      0.03768845726742523, 0.025750000000000012, 0.0154982143312659, 0.007631742512670284, 0.0026866715986911243, 0.1,
      0.09831332840130888,
    ]);
    expect(scheduler.lastEpoch).to.equal(3);
  });

  it('continues from step(epoch) with step(), as in the PyTorch docs', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new CosineAnnealingWarmRestarts(optimizer, { t0: 10, tMult: 2 });
    runSchedule(optimizer, scheduler, 20);
    scheduler.step(26);
    // PyTorch 2.13: lr, last_epoch, T_cur, T_i after step(26), then after step()
    expectBits([optimizer.paramGroups[0].lr, scheduler.lastEpoch, scheduler.tCur, scheduler.tI], [0.009549150281252633, 26, 16, 20]);
    scheduler.step();
    expectBits([optimizer.paramGroups[0].lr, scheduler.lastEpoch, scheduler.tCur, scheduler.tI], [0.005449673790581611, 27, 17, 20]);
  });

  it('keeps T_i when step(epoch) passes t0 with tMult 1 (PyTorch quirk)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new CosineAnnealingWarmRestarts(optimizer, { t0: 4 });
    runSchedule(optimizer, scheduler, 5);
    scheduler.step(9);
    // PyTorch 2.13: T_i, T_cur, last_epoch, lr
    expectBits([scheduler.tI, scheduler.tCur, scheduler.lastEpoch, optimizer.paramGroups[0].lr], [4, 1, 9, 0.08535533905932738]);
  });

  it('finds the cycle with int(math.log(x, tMult)) at restart boundaries', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new CosineAnnealingWarmRestarts(optimizer, { t0: 2, tMult: 3 });
    const seen: number[][] = [];
    for (const epoch of [79, 80, 81, 241, 242]) {
      scheduler.step(epoch);
      seen.push([scheduler.tCur, scheduler.tI, optimizer.paramGroups[0].lr]);
    }
    // PyTorch 2.13: math.log(81, 3) == 4.0 (a restart at 80); math.log(243, 3) == 4.999999999999999, so
    // epoch 242 is still in the cycle of length 162, at its very end (lr 0.0)
    expect(seen).to.deep.equal([
      [53, 54, 8.459208643659122e-5],
      [0, 162, 0.1],
      [1, 162, 0.09999059852242508],
      [161, 162, 9.401477574932927e-6],
      [162, 162, 0],
    ]);
  });

  it('derives T_cur and T_i from lastEpoch when resuming', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1, initial_lr: 0.1 }]);
    const scheduler = new CosineAnnealingWarmRestarts(optimizer, { t0: 4, tMult: 2, lastEpoch: 10 });
    // PyTorch 2.13: last_epoch, T_cur, T_i, lr after construction
    expectBits([scheduler.lastEpoch, scheduler.tCur, scheduler.tI, optimizer.paramGroups[0].lr], [11, 3, 8, 0.0691341716182545]);
  });

  it("rejects bad options with PyTorch's messages", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const make = (options: object) => () => new CosineAnnealingWarmRestarts(optimizer, options as never);
    expect(make({ t0: 0 })).to.throw(InvalidArgumentError, 'CosineAnnealingWarmRestarts: Expected positive integer t0, but got 0');
    expect(make({ t0: 2.5 })).to.throw(InvalidArgumentError, 'Expected positive integer t0, but got 2.5');
    expect(make({})).to.throw(InvalidArgumentError, 'Expected positive integer t0, but got undefined');
    expect(make({ t0: 2, tMult: 0 })).to.throw(InvalidArgumentError, 'Expected integer tMult >= 1, but got 0');
    expect(make({ t0: 2, tMult: 1.5 })).to.throw(InvalidArgumentError, 'Expected integer tMult >= 1, but got 1.5');
    expect(make({ t0: 2, etaMin: '0' })).to.throw(InvalidArgumentError, 'Expected float or int etaMin, but got 0 of type string');
    expect(make({ t0: 2, etaMin: NaN })).to.throw(InvalidArgumentError, /"etaMin" must be a finite number/);
    expect(make({ t0: 2, T_mult: 2 })).to.throw(InvalidArgumentError, /unknown option "T_mult"/);
    try {
      make({ t0: 0 })();
    } catch (error) {
      expect((error as InvalidArgumentError).pythonType).to.equal('ValueError');
    }
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });

  it('rejects a negative epoch without changing anything', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.02 }]);
    const scheduler = new CosineAnnealingWarmRestarts(optimizer, { t0: 2 });
    runSchedule(optimizer, scheduler, 2);
    const before = scheduler.stateDict();
    expect(() => scheduler.step(-1)).to.throw(InvalidArgumentError, 'CosineAnnealingWarmRestarts: Expected non-negative epoch, but got -1');
    expect(() => scheduler.step(NaN)).to.throw(InvalidArgumentError, /finite/);
    expect(() => scheduler.step(Infinity)).to.throw(InvalidArgumentError, /finite/);
    expect(scheduler.stateDict()).to.deep.equal(before);
    expect(optimizer.paramGroups[0].lr).to.equal(0.02);
  });

  it("writes PyTorch's state dict keys (_step_count stays 0) and resumes exactly from them", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new CosineAnnealingWarmRestarts(optimizer, { t0: 2, tMult: 2 });
    runSchedule(optimizer, scheduler, 14);
    // PyTorch 2.13: state_dict() after 14 steps of T_0=2, T_mult=2
    expect(scheduler.stateDict()).to.deep.equal({
      __scheduler__: 'CosineAnnealingWarmRestarts',
      T_0: 2,
      T_i: 16,
      T_mult: 2,
      eta_min: 0,
      T_cur: 0,
      base_lrs: [0.1],
      last_epoch: 14,
      _step_count: 0,
      _is_initial: false,
      _get_lr_called_within_step: false,
      _last_lr: [0.1],
    });
    scheduler.step(5.5);
    const twin = new VirtualOptimizer([{ lr: 0.1 }]);
    const restored = new CosineAnnealingWarmRestarts(twin, { t0: 7 });
    restored.loadStateDict(JSON.parse(JSON.stringify(scheduler.stateDict())));
    expect([restored.t0, restored.tMult, restored.tCur, restored.tI]).to.deep.equal([2, 2, 3.5, 4]);
    expectBits(runSchedule(twin, restored, 6).slice(1), runSchedule(optimizer, scheduler, 6).slice(1));
  });

  it('rejects an invalid state dict without changing anything', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const scheduler = new CosineAnnealingWarmRestarts(optimizer, { t0: 3 });
    const state = scheduler.stateDict();
    expect(() => scheduler.loadStateDict({ ...state, T_i: 0, last_epoch: 9 })).to.throw(InvalidStateError, /T_i/);
    expect(() => scheduler.loadStateDict({ ...state, T_mult: 1.5, last_epoch: 9 })).to.throw(InvalidStateError, /T_mult/);
    expect(() => scheduler.loadStateDict({ ...state, T_cur: 'nan', last_epoch: 9 })).to.throw(InvalidStateError, /T_cur/);
    expect(scheduler.lastEpoch).to.equal(0);
    expect(scheduler.tI).to.equal(3);
  });
});
