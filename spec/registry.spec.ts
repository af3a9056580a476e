import { expect } from 'chai';
import { createScheduler, InvalidArgumentError, StepLR, VirtualOptimizer } from '../lib';
import { expectInvalidArguments } from './helpers/errors';

describe('createScheduler', () => {
  it('rejects one option given in both spellings instead of letting the last key win (issue 15, item 6)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expectInvalidArguments([
      [
        () => createScheduler(optimizer, 'StepLR', { step_size: 10, stepSize: 5 }),
        'createScheduler: StepLR got the option "stepSize" twice, as "step_size" and as "stepSize"; give one of them',
        'TypeError',
      ],
      [
        () => createScheduler(optimizer, 'CosineAnnealingLR', { T_max: 10, t_max: 5 }),
        'createScheduler: CosineAnnealingLR got the option "tMax" twice, as "T_max" and as "t_max"; give one of them',
        'TypeError',
      ],
    ]);
    expect(optimizer.paramGroups).to.deep.equal([{ lr: 0.1 }]);
    expect((createScheduler(optimizer, 'StepLR', { step_size: 10 }) as StepLR).stepSize).to.equal(10);
  });

  it('passes a "__proto__" key from JSON on as an unknown option (camel-cased: "proto"), never as a prototype', () => {
    const args = JSON.parse('{"step_size": 3, "__proto__": {"gamma": 0.5}}') as Record<string, unknown>;
    expect(() => createScheduler(new VirtualOptimizer([{ lr: 0.1 }]), 'StepLR', args)).to.throw(InvalidArgumentError, 'StepLR: unknown option "proto"');
  });
});
