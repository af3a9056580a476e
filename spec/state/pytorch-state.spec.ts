/**
 * PyTorch's own state dicts, as the conformance corpus recorded them at every `save` op, loaded
 * into the equivalent freshly built TypeScript schedulers: continuing must reproduce PyTorch's
 * following records. Each scenario is held to the precision our uninterrupted run of it reaches
 * (bit for bit where that run is bit-identical, 1e-12 where it is within 1e-12); scenarios we do
 * not pass uninterrupted (classes not registered yet, listed deviations) are skipped and counted.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { registeredSchedulers, type SchedulerState } from '../../lib';
import { DEFAULT_CORPUS, scenarioFiles } from '../conformance/corpus';
import type { Op, Scenario, ScenarioFile } from '../conformance/scenario';
import { reachedTolerance, resumeScenario, type ResumeResult } from './scenario-resume';

/** The ids whose state PyTorch's state dict of `id` contains: itself and, recursively, its children. */
export function coveredIds(scenario: Scenario, id: string): Set<string> {
  const covered = new Set<string>([id]);
  const spec = scenario.schedulers.find((s) => s.id === id);
  const refs: unknown[] = [];
  if (spec?.type === 'SequentialLR' || spec?.type === 'ChainedScheduler') refs.push(...((spec.args?.schedulers as unknown[]) ?? []));
  if (spec?.type === 'GradualWarmupScheduler') refs.push(spec.args?.after_scheduler);
  for (const ref of refs) {
    const child = (ref as { ref?: unknown } | null)?.ref;
    if (typeof child === 'string') for (const nested of coveredIds(scenario, child)) covered.add(nested);
  }
  return covered;
}

/**
 * Replays `scenario` with our objects through its save op `saveIndex`, replaces the save subject's
 * state in the slot with PyTorch's recorded one (the other schedulers and the optimizer view keep
 * ours), and continues with fresh objects loaded from the slot, comparing with PyTorch's records.
 * The slot keeps PyTorch's state, so later `restore` ops load it again.
 */
function crossLoad(scenario: Scenario, saveIndex: number, tolerance: number): ResumeResult {
  const saveOp = scenario.ops[saveIndex] as Extract<Op, { op: 'save' }>;
  const subject = saveOp.target ?? scenario.driver;
  const recorded = scenario.expected.ops[saveIndex].state as SchedulerState;
  return resumeScenario(scenario, saveIndex + 1, tolerance, {
    slot: saveOp.slot,
    patch: (slot) => {
      slot.schedulers[subject] = JSON.parse(JSON.stringify(recorded)) as SchedulerState;
    },
  });
}

interface ClassTally {
  saves: number;
  crossLoaded: number;
  complete: number;
  skipped: number;
  values: number;
  failures: string[];
}

describe('loading PyTorch state dicts', function () {
  this.timeout(120000);
  const files = scenarioFiles([DEFAULT_CORPUS]);
  const tallies = new Map<string, ClassTally>();

  before(() => {
    tf.setBackend('cpu');
  });

  for (const file of files) {
    const className = basename(file, '.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as ScenarioFile;
    const withSaves = data.scenarios.filter((scenario) => scenario.ops.some((op, i) => op.op === 'save' && scenario.expected.ops[i]?.state !== undefined));
    if (withSaves.length === 0) continue;
    it(`continues like PyTorch after loading each recorded ${className} state`, () => {
      const tally: ClassTally = { saves: 0, crossLoaded: 0, complete: 0, skipped: 0, values: 0, failures: [] };
      tallies.set(className, tally);
      const tensorsBefore = tf.memory().numTensors;
      for (const scenario of withSaves) {
        const saveIndices = scenario.ops.flatMap((op, i) => (op.op === 'save' && scenario.expected.ops[i]?.state !== undefined ? [i] : []));
        tally.saves += saveIndices.length;
        // Held to what our uninterrupted run reaches: bit for bit, else 1e-12; otherwise skipped.
        const tolerance = reachedTolerance(scenario, className);
        if (tolerance === undefined) {
          tally.skipped += saveIndices.length;
          continue;
        }
        for (const saveIndex of saveIndices) {
          const result = crossLoad(scenario, saveIndex, tolerance);
          tally.crossLoaded += 1;
          const subject = (scenario.ops[saveIndex] as Extract<Op, { op: 'save' }>).target ?? scenario.driver;
          if (coveredIds(scenario, subject).size === scenario.schedulers.length) tally.complete += 1;
          tally.values += result.values;
          if (result.failure !== undefined) tally.failures.push(result.failure);
        }
      }
      expect(tf.memory().numTensors, 'tensors leaked').to.equal(tensorsBefore);
      expect(tally.failures).to.deep.equal([]);
      // A registered class whose scenarios all pass must have had its states cross-loaded.
      if (registeredSchedulers().includes(className)) {
        expect(tally.crossLoaded + tally.skipped, 'save ops seen').to.equal(tally.saves);
      }
    });
  }

  it('cross-loads at least one recorded state of every registered class that has recordings', () => {
    const missing = registeredSchedulers().filter((name) => {
      const tally = tallies.get(name);
      return tally !== undefined && tally.crossLoaded === 0;
    });
    expect(missing, 'registered classes whose recorded states were all skipped').to.deep.equal([]);
  });

  after(() => {
    if (process.env.STATE_REPORT === undefined) return;
    let saves = 0;
    let crossLoaded = 0;
    let values = 0;
    for (const [name, tally] of tallies) {
      saves += tally.saves;
      crossLoaded += tally.crossLoaded;
      values += tally.values;
      process.stdout.write(
        `  ${name}: ${tally.crossLoaded}/${tally.saves} PyTorch states cross-loaded (${tally.complete} covering every scheduler), ${tally.values} values compared, ${tally.skipped} skipped\n`,
      );
    }
    process.stdout.write(`  total: ${crossLoaded}/${saves} PyTorch states cross-loaded, ${values} values compared\n`);
  });
});
