/**
 * No garbage per step, over every registered class: once V8 has optimized the step path, stepping
 * a sample schedule on plain param groups allocates nothing on the heap (a boxed number, an array,
 * a closure per step would show up here). Counted with V8's own accounting
 * (spec/helpers/allocation.ts), on the package compiled to one ES module (tsdown, about 0.1 s), in
 * a process of its own (allocation-run.ts says why). The benchmark reports the same figure over
 * 10^7 steps of the compiled build, without --predictable (`npm run bench`).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canCountAllocations } from '../helpers/allocation';
import { classSamples } from './class-samples';

/** Steps before measuring (enough for V8 to optimize the step path of every sample), and measured. */
const WARMUP_STEPS = 300_000;
const MEASURED_STEPS = 200_000;
/** One 16-byte heap number every 32 steps would exceed it. */
const LIMIT_BYTES_PER_STEP = 0.5;

interface Measured {
  overhead: number;
  control: number;
  perClass: Record<string, number>;
}

/** lib/ as one ES module in `dir` (what users run, without tsx's getter-based imports). */
async function bundleLibrary(dir: string): Promise<string> {
  const { build } = await import('tsdown');
  await build({
    config: false,
    entry: [join(__dirname, '..', '..', 'lib', 'index.ts')],
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    outDir: dir,
    dts: false,
    sourcemap: false,
    tsconfig: join(__dirname, '..', '..', 'tsconfig.build.json'),
    logLevel: 'silent',
    deps: { neverBundle: [/^@tensorflow\//, /^node:/, 'asciichart', '@resvg/resvg-js'] },
  });
  return join(dir, 'index.mjs');
}

function measureInProcess(dir: string, bundle: string): Measured {
  const settings = join(dir, 'settings.json');
  const classes = classSamples().map((sample) => sample.className);
  writeFileSync(settings, JSON.stringify({ bundle, classes, warmupSteps: WARMUP_STEPS, measuredSteps: MEASURED_STEPS }));
  const result = spawnSync(process.execPath, ['--predictable', '--import', 'tsx', join(__dirname, 'allocation-run.ts'), settings], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`allocation-run.ts failed: ${result.stderr || result.error?.message}`);
  return JSON.parse(result.stdout) as Measured;
}

describe('contract: no garbage per step on plain param groups', function () {
  this.timeout(60000);
  let measured: Measured;

  before(async function () {
    if (!canCountAllocations()) this.skip(); // Node < 18.15 has no v8.GCProfiler
    const dir = mkdtempSync(join(tmpdir(), 'tfjs-lr-allocation-'));
    try {
      measured = measureInProcess(dir, await bundleLibrary(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts the garbage of a loop that allocates one object per step', () => {
    expect(measured.control).to.be.at.least(16);
  });

  for (const { className } of classSamples()) {
    it(`${className}: step() allocates at most ${LIMIT_BYTES_PER_STEP} bytes per step once optimized`, () => {
      expect(measured.perClass[className], `bytes per step over ${MEASURED_STEPS} steps`).to.be.at.most(LIMIT_BYTES_PER_STEP);
    });
  }
});
