/**
 * Resuming transformers schedules from state dicts that PyTorch saved (spec/fixtures/transformers/
 * resume.json, recorded by generate.py with torch 2.13 and a faithful copy of transformers'
 * schedule functions): the Trainer's order, fresh tfjs optimizers and a fresh schedule, then the
 * optimizer's param groups and the scheduler's `state_dict()` (`lr_lambdas: [{}]`) loaded; every
 * following learning rate must be PyTorch's, bit for bit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { asOptimizer, createScheduler, getScheduler, type LRScheduler, type OptimizerState, type SchedulerState } from '../../lib';
import { expectBits } from '../helpers/expect-bits';
import { disposeOptimizer, updateOnce } from '../helpers/tfjs';
import { captureWarnings } from '../helpers/warnings';

interface ResumeCase {
  name: string;
  optimizer: { class: 'adamw' | 'sgd'; lr: number; groups: Array<{ lr?: number; momentum?: number }> };
  call: { fn: string; name?: 'cosine' | 'cosine_with_min_lr'; kwargs: Record<string, unknown> };
  save_at: number;
  steps: number;
  param_groups: OptimizerState['param_groups'];
  state: SchedulerState;
  lrs: number[][];
  resumed: number[][];
}

const FIXTURE = join(__dirname, '..', 'fixtures', 'transformers', 'resume.json');
const { cases } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { cases: ResumeCase[] };

/** One tfjs optimizer per PyTorch param group (AdamW -> tf.train.adam: tfjs has no decoupled weight decay; the schedule is the same). */
function optimizersFor(spec: ResumeCase['optimizer']): tf.Optimizer[] {
  return spec.groups.map((group) => {
    const lr = group.lr ?? spec.lr;
    if (spec.class === 'adamw') return tf.train.adam(lr, 0.9, 0.999);
    return group.momentum === undefined ? tf.train.sgd(lr) : tf.train.momentum(lr, group.momentum);
  });
}

/** transformers' call: getScheduler with camelCase options, or the function's Python name and keywords. */
function schedule(optimizers: tf.Optimizer[], call: ResumeCase['call']): LRScheduler {
  if (call.fn === 'get_scheduler' && call.name === 'cosine') {
    const { num_warmup_steps: numWarmupSteps, num_training_steps: numTrainingSteps } = call.kwargs as Record<string, number>;
    return getScheduler('cosine', optimizers, { numWarmupSteps, numTrainingSteps });
  }
  return createScheduler(optimizers, call.fn, call.name === undefined ? call.kwargs : { name: call.name, ...call.kwargs });
}

function lrs(optimizers: tf.Optimizer[]): number[] {
  return optimizers.map((optimizer) => (optimizer.getConfig() as { learningRate: number }).learningRate);
}

function run(optimizers: tf.Optimizer[], scheduler: LRScheduler, steps: number): number[][] {
  const rows = [lrs(optimizers)];
  for (let i = 0; i < steps; i++) {
    scheduler.step();
    rows.push(lrs(optimizers));
  }
  return rows;
}

describe('transformers schedules resumed from state dicts PyTorch saved', () => {
  it('has recorded cases', () => {
    expect(cases.length).to.be.greaterThan(3);
  });

  for (const recorded of cases) {
    it(`${recorded.name}: the uninterrupted run, then a resume at step ${recorded.save_at}, match PyTorch bit for bit`, () => {
      const tensorsBefore = tf.memory().numTensors;
      const first = optimizersFor(recorded.optimizer);
      const second = optimizersFor(recorded.optimizer);
      try {
        const scheduler = schedule(first, recorded.call);
        first.forEach(updateOnce); // optimizer.step() before the first scheduler.step()
        expectBits(run(first, scheduler, recorded.steps).flat(), recorded.lrs.flat(), 'uninterrupted');

        // The Trainer's resume: build both afresh, load the optimizer's state, then the scheduler's.
        const fresh = schedule(second, recorded.call);
        // (Hyper-parameters tfjs cannot apply, such as AdamW's weight_decay, may be warned about: not this spec's business.)
        captureWarnings(() => asOptimizer(second).loadStateDict({ param_groups: JSON.parse(JSON.stringify(recorded.param_groups)) as OptimizerState['param_groups'] }));
        const { warnings } = captureWarnings(() => fresh.loadStateDict(JSON.parse(JSON.stringify(recorded.state)) as SchedulerState));
        expect(warnings).to.deep.equal([]);
        expect(fresh.lastEpoch).to.equal(recorded.save_at);
        const { result: resumed, warnings: stepWarnings } = captureWarnings(() => run(second, fresh, recorded.steps - recorded.save_at));
        expect(stepWarnings).to.deep.equal([]);
        expectBits(resumed.flat(), recorded.resumed.flat(), 'resumed');
        // And its own state dict is PyTorch's again (keys, lr_lambdas [{}], numbers), tagged.
        expect(fresh.stateDict()).to.deep.include({ lr_lambdas: recorded.state.lr_lambdas, base_lrs: recorded.state.base_lrs });
      } finally {
        [...first, ...second].forEach(disposeOptimizer);
      }
      expect(tf.memory().numTensors, 'tensors leaked').to.equal(tensorsBefore);
    });
  }
});
