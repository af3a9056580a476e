/**
 * Long training runs recorded from PyTorch 2.13 (spec/long-run/fixtures/generate.py): realistic
 * per-batch schedules of 100,000 steps, every learning rate compared bit for bit. Short runs
 * (the conformance corpus) rarely meet an argument where glibc's libm is not correctly rounded; a
 * run of 100,000 steps meets dozens, and a chainable schedule carries each difference into every
 * later step.
 */
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { fromConfig, setWarningHandler, VirtualOptimizer, type ScheduleConfig } from '../../lib';

const FIXTURES = path.join(__dirname, 'fixtures');

interface Run extends ScheduleConfig {
  name: string;
  steps: number;
  stepping?: 'fractional';
  batches?: number;
}

/** The run's description and, per step, the learning rates' IEEE bits. */
function loadRun(file: string): { run: Run; bits: BigInt64Array[] } {
  const lines = zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, file))).toString('utf8').split('\n');
  const run = JSON.parse(lines[0]) as Run;
  const groups = run.optimizer.groups.length;
  const bits = Array.from({ length: groups }, () => new BigInt64Array(run.steps + 1));
  const previous = new Array<bigint>(groups).fill(0n);
  for (let step = 0; step <= run.steps; step++) {
    const fields = lines[step + 1].split(' ');
    for (let g = 0; g < groups; g++) {
      const f = fields[g];
      const delta = f.startsWith('-') ? -BigInt(`0x${f.slice(1)}`) : BigInt(`0x${f}`);
      previous[g] = BigInt.asIntN(64, step === 0 ? delta : previous[g] + delta);
      bits[g][step] = previous[g];
    }
  }
  return { run, bits };
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
const fromBits = (b: bigint): number => {
  i64[0] = b;
  return f64[0];
};

describe('long runs: 100,000 per-batch steps recorded from PyTorch', () => {
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.txt.gz'));

  it('has at least five recorded runs', () => {
    expect(files.length).to.be.at.least(5);
  });

  for (const file of files) {
    it(`gives every learning rate of ${file.replace('.txt.gz', '')} bit for bit`, () => {
      const { run, bits } = loadRun(file);
      const previousHandler = setWarningHandler(() => {});
      try {
        let optimizer = new VirtualOptimizer([]);
        const { driver } = fromConfig(run, { optimizer: (_kind, groups) => (optimizer = new VirtualOptimizer(groups)) });
        const batches = run.batches ?? 1;
        let differing = 0;
        let first = '';
        for (let step = 0; step <= run.steps; step++) {
          if (step > 0) {
            optimizer.step();
            if (run.stepping === 'fractional') driver.step(Math.floor(step / batches) + (step % batches) / batches);
            else driver.step();
          }
          const lrs = driver.getLastLr();
          for (let g = 0; g < bits.length; g++) {
            const want = fromBits(bits[g][step]);
            if (!Object.is(lrs[g], want)) {
              differing++;
              if (first === '') first = `step ${step}, group ${g}: PyTorch ${want}, ours ${lrs[g]}`;
            }
          }
        }
        expect(differing, `${differing} of ${(run.steps + 1) * bits.length} values differ; first at ${first}`).to.equal(0);
      } finally {
        setWarningHandler(previousHandler);
      }
    });
  }
});
