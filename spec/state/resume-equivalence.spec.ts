/**
 * Resume equivalence: a run of N steps, saved after every step k (the driver's and the optimizer
 * view's state dicts as JSON text), rebuilt from scratch, loaded and continued, gives exactly the
 * values of the uninterrupted run, bit for bit. Over every class sample, nested compositions,
 * generated schedules (fast-check), and the recorded PyTorch scenarios (resumed after every op and
 * compared with PyTorch's own records).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import fc from 'fast-check';
import { registeredSchedulers, registeredScheduleFunctions, type ScheduleConfig } from '../../lib';
import { DEFAULT_CORPUS, scenarioFiles } from '../conformance/corpus';
import type { ScenarioFile } from '../conformance/scenario';
import { COMPOSED_SCHEDULES, SAMPLE_SCHEDULES } from '../helpers/sample-schedules';
import { generatedRun } from './generated-schedules';
import { reachedTolerance, resumePoints, resumeScenario } from './scenario-resume';
import { build, firstDifference, missingTypes, observation, restore, run, save } from './schedule-run';

const STEPS = 30;
/** Resume points per recorded scenario at most (evenly spread) for the few very long ones. */
const MAX_POINTS_PER_SCENARIO = 60;
const GENERATED_RUNS = Number(process.env.RESUME_RUNS ?? 300);

const counts = { samples: 0, samplePoints: 0, generated: 0, scenarios: 0, scenarioPoints: 0, scenarioValues: 0 };

/** Saves after every step k of an N-step run, restores into fresh objects, continues; returns the failures. */
function resumeEverywhere(config: ScheduleConfig, steps: number): string[] {
  const full = run(build(config), 0, steps);
  const initial = observation(build(config));
  const failures: string[] = [];
  for (let k = 0; k <= steps; k++) {
    const built = build(config);
    run(built, 0, k);
    const resumed = restore(config, save(config, built));
    const atResume = firstDifference([k === 0 ? initial : full[k - 1]], [observation(resumed)]);
    if (atResume !== undefined) failures.push(`after restoring at k=${k}: ${atResume}`);
    const difference = firstDifference(full.slice(k), run(resumed, k, steps));
    if (difference !== undefined) failures.push(`resumed at k=${k}, ${difference}`);
    counts.samplePoints += 1;
  }
  return failures;
}

describe('resume equivalence', function () {
  this.timeout(180000);
  const registered = [...registeredSchedulers(), ...registeredScheduleFunctions()];

  describe('over every class sample and nested compositions', () => {
    const samples: Array<[string, ScheduleConfig]> = [
      ...Object.entries(SAMPLE_SCHEDULES).map(([name, config]): [string, ScheduleConfig] => [`${name} sample`, config]),
      ...Object.entries(COMPOSED_SCHEDULES),
    ];
    for (const [name, config] of samples) {
      it(`${name}: saving after any step and resuming in fresh objects continues bit for bit`, function () {
        if (missingTypes(config, registered).length > 0) this.skip();
        counts.samples += 1;
        expect(resumeEverywhere(config, STEPS)).to.deep.equal([]);
      });
    }
  });

  it('over generated schedules: resuming at a random step continues bit for bit', () => {
    fc.assert(
      fc.property(generatedRun(), ({ config, steps, resumeAt }) => {
        if (missingTypes(config, registered).length > 0) return;
        counts.generated += 1;
        const full = run(build(config), 0, steps);
        const built = build(config);
        run(built, 0, resumeAt);
        const resumed = restore(config, save(config, built));
        const difference = firstDifference(full.slice(resumeAt), run(resumed, resumeAt, steps));
        if (difference !== undefined) throw new Error(`resumed at ${resumeAt}: ${difference}`);
      }),
      { numRuns: GENERATED_RUNS },
    );
  });

  describe('over the recorded PyTorch scenarios, resumed after every op', () => {
    before(() => {
      tf.setBackend('cpu');
    });
    for (const file of scenarioFiles([DEFAULT_CORPUS])) {
      const className = basename(file, '.json');
      const data = JSON.parse(readFileSync(file, 'utf8')) as ScenarioFile;
      it(`${className} scenarios continue like PyTorch from every resume point`, () => {
        const failures: string[] = [];
        const tensorsBefore = tf.memory().numTensors;
        for (const scenario of data.scenarios) {
          const tolerance = reachedTolerance(scenario, className);
          if (tolerance === undefined) continue;
          counts.scenarios += 1;
          let points = resumePoints(scenario);
          if (points.length > MAX_POINTS_PER_SCENARIO) {
            const every = points.length / MAX_POINTS_PER_SCENARIO;
            points = Array.from({ length: MAX_POINTS_PER_SCENARIO }, (_, i) => points[Math.floor(i * every)]).concat(points[points.length - 1]);
          }
          for (const at of points) {
            const result = resumeScenario(scenario, at, tolerance);
            counts.scenarioPoints += 1;
            counts.scenarioValues += result.values;
            if (result.failure !== undefined) failures.push(result.failure);
          }
        }
        expect(tf.memory().numTensors, 'tensors leaked').to.equal(tensorsBefore);
        expect(failures).to.deep.equal([]);
      });
    }
  });

  after(() => {
    if (process.env.STATE_REPORT === undefined) return;
    process.stdout.write(
      `  resume points: ${counts.samplePoints} over ${counts.samples} samples (${STEPS} steps each), ${counts.generated} generated schedules, ` +
        `${counts.scenarioPoints} over ${counts.scenarios} recorded scenarios (${counts.scenarioValues} values compared with PyTorch)\n`,
    );
  });
});
