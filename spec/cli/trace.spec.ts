/**
 * The schedule's own length (issue 15, item 9): a configuration without `steps` whose schedule
 * cannot be stepped past its end (OneCycleLR, and composites ending in one) runs exactly to its
 * last point, and giving more steps fails with a hint, not at step 11 with none.
 */
import { expect } from 'chai';
import type { ScheduleConfig } from '../../lib';
import { toPlotConfig } from '../../lib/cli/config-file';
import { main } from '../../lib/cli/main';
import { ScheduleStepError, traceSchedule } from '../../lib/cli/trace';
import { quietly } from '../state/schedule-run';

const oneCycle = (totalSteps: number, id = 'o'): ScheduleConfig['schedulers'][number] => ({ id, type: 'OneCycleLR', args: { max_lr: 0.1, total_steps: totalSteps } });
const momentum = { kind: 'sgd_momentum' as const, groups: [{ lr: 0.1 }] };

// [name, config, its length: the number of steps to OneCycleLR's last point, hand-counted]
const CASES: Array<[string, ScheduleConfig, number]> = [
  ['OneCycleLR(total_steps 10)', { optimizer: momentum, schedulers: [oneCycle(10)] }, 9],
  ['OneCycleLR resumed at last_epoch 3', { optimizer: { kind: 'sgd_momentum', groups: [{ lr: 0.004, initial_lr: 0.004, max_lr: 0.1, min_lr: 4e-7, max_momentum: 0.95, base_momentum: 0.85 }] }, schedulers: [{ id: 'o', type: 'OneCycleLR', args: { max_lr: 0.1, total_steps: 10, last_epoch: 3 } }] }, 5],
  [
    'SequentialLR(LinearLR, OneCycleLR(20)) at milestone 5: 5 + 19',
    { optimizer: momentum, schedulers: [{ id: 'l', type: 'LinearLR', args: { start_factor: 0.5, total_iters: 5 } }, oneCycle(20), { id: 's', type: 'SequentialLR', args: { schedulers: [{ ref: 'l' }, { ref: 'o' }], milestones: [5] } }] },
    24,
  ],
  [
    'SequentialLR(OneCycleLR(4), ExponentialLR) at milestone 10: the first child ends at 3',
    { optimizer: momentum, schedulers: [oneCycle(4), { id: 'e', type: 'ExponentialLR', args: { gamma: 0.9 } }, { id: 's', type: 'SequentialLR', args: { schedulers: [{ ref: 'o' }, { ref: 'e' }], milestones: [10] } }] },
    3,
  ],
  [
    'GradualWarmupScheduler(3 epochs) over OneCycleLR(10): 3 + 1 + 9',
    { optimizer: momentum, schedulers: [oneCycle(10), { id: 'w', type: 'GradualWarmupScheduler', args: { multiplier: 2, total_epoch: 3, after_scheduler: { ref: 'o' } } }] },
    13,
  ],
  [
    'ChainedScheduler(OneCycleLR(10), ExponentialLR)',
    { optimizer: momentum, schedulers: [oneCycle(10), { id: 'e', type: 'ExponentialLR', args: { gamma: 0.9 } }, { id: 'c', type: 'ChainedScheduler', args: { schedulers: [{ ref: 'o' }, { ref: 'e' }] } }] },
    9,
  ],
];

function trace(config: ScheduleConfig, steps?: number): ReturnType<typeof traceSchedule> {
  return quietly(() => traceSchedule(toPlotConfig(config, steps)));
}

describe('traceSchedule', () => {
  for (const [name, config, length] of CASES) {
    it(`runs a configuration without "steps" to the schedule's last point: ${name}`, () => {
      const full = trace(config);
      expect(full.length).to.equal(length);
      expect(full.pointCount).to.equal(length + 1);
      // PyTorch lets OneCycleLR step once past its last point (lastEpoch = total_steps) and raises at the next step
      expect(trace(config, length + 1).pointCount).to.equal(length + 2);
      expect(() => trace(config, length + 2)).to.throw(ScheduleStepError);
    });
  }

  it('defaults to 100 steps where the schedule has no end', () => {
    const config: ScheduleConfig = { optimizer: momentum, schedulers: [{ id: 'c', type: 'CosineAnnealingLR', args: { T_max: 10 } }] };
    expect(trace(config).pointCount).to.equal(101);
    expect(trace(config).length).to.equal(undefined);
  });

  it('says how long the schedule is when "steps" runs past it', () => {
    let stderr = '';
    const status = main(['describe', JSON.stringify({ optimizer: momentum, schedulers: [oneCycle(10)], steps: 20 })], { stdout: () => {}, stderr: (text) => (stderr += text), color: false });
    expect(status).to.equal(1);
    expect(stderr).to.equal(
      'error: <inline>: step 11: OneCycleLR: Tried to step 11 times. The specified number of total steps is 10 ' +
        '(the schedule lasts 9 steps: set "steps" to at most 9, or leave it out)\n',
    );
  });
});
