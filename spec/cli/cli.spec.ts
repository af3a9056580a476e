import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { fromConfig, setWarningHandler, VirtualOptimizer, type ScheduleConfig } from '../../lib';
import { CliError } from '../../lib/cli/config-file';
import { main } from '../../lib/cli/main';
import { loadResvg } from '../../lib/cli/png';

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'lib', 'cli', 'main.ts');
const BIN = join(ROOT, 'lib', 'cli', 'bin.ts');
const EXAMPLES = join(ROOT, 'docs', 'examples');
const FIXTURES = join(__dirname, 'fixtures');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the command line in-process, through the same `main()` the executable calls (used where a
 * subprocess would add nothing but seconds: the output is the same text).
 */
function cliInProcess(...args: string[]): Run {
  let stdout = '';
  let stderr = '';
  const status = main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), color: false });
  return { status, stdout, stderr };
}

/** Runs the command line as a subprocess (node with the tsx loader), as a user would. */
function cli(...args: string[]): Run {
  const result = spawnSync(process.execPath, ['-r', 'tsx/cjs', BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// The seed sample: SGD lr 0.1, StepLR(10, 0.1) behind GradualWarmupScheduler(multiplier 1, totalEpoch 5).
const SEED: ScheduleConfig = {
  optimizer: { kind: 'sgd', groups: [{ lr: 0.1 }] },
  schedulers: [
    { id: 'step', type: 'StepLR', args: { step_size: 10, gamma: 0.1 } },
    { id: 'warmup', type: 'GradualWarmupScheduler', args: { multiplier: 1, total_epoch: 5, after_scheduler: { ref: 'step' } } },
  ],
  driver: 'warmup',
};

function example(name: string): ScheduleConfig {
  return JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as ScheduleConfig;
}

interface Expected {
  lr: number[][];
  momentum: number[][];
}

/**
 * The library's own values, computed here in-process the plain way a training loop would:
 * `optimizer.step()` then `driver.step()` (or `step(metrics)` for ReduceLROnPlateau ops).
 */
function libraryValues(config: ScheduleConfig): Expected {
  const previous = setWarningHandler(() => {});
  try {
    let optimizer: VirtualOptimizer | undefined;
    const built = fromConfig(config, { optimizer: (_kind, groups) => (optimizer = new VirtualOptimizer(groups)) });
    const groups = built.optimizer.paramGroups;
    const lr: number[][] = groups.map(() => []);
    const momentum: number[][] = groups.map(() => []);
    const record = (): void =>
      groups.forEach((group, g) => {
        lr[g].push(group.lr);
        momentum[g].push(Array.isArray(group.betas) ? group.betas[0] : (group.momentum as number));
      });
    record();
    const ops: Array<{ op: string; metrics?: number; target?: string }> =
      (config.ops as Array<{ op: string; metrics?: number; target?: string }> | undefined) ??
      Array.from({ length: (config.steps as number | undefined) ?? 100 }, () => ({ op: 'step' }));
    for (const op of ops) {
      if (op.op !== 'step') continue;
      optimizer!.step();
      const scheduler = op.target === undefined ? built.driver : built.schedulers[op.target];
      if (op.metrics !== undefined) (scheduler.step as (metrics: number) => void)(op.metrics);
      else scheduler.step();
      record();
    }
    return { lr, momentum };
  } finally {
    setWarningHandler(previous);
  }
}

function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trimEnd().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((line) => line.split(',')) };
}

/** Checks every value of a CSV column against the library's, as the same IEEE double. */
function expectColumnBits(csv: { header: string[]; rows: string[][] }, column: string, expected: number[]): void {
  const index = csv.header.indexOf(column);
  expect(index, `column ${column}`).to.be.greaterThan(-1);
  expect(csv.rows.length).to.equal(expected.length);
  csv.rows.forEach((row, i) => {
    const actual = Number(row[index]);
    if (!Object.is(actual, expected[i])) expect.fail(`${column} at step ${i}: CSV ${row[index]} differs from the library's ${String(expected[i])}`);
  });
}

function parseSvg(text: string): Document {
  const problems: string[] = [];
  const document = new DOMParser({ onError: (level, message) => problems.push(`${level}: ${message}`) }).parseFromString(text, 'image/svg+xml');
  expect(problems, 'XML parse problems').to.deep.equal([]);
  expect(document.documentElement?.nodeName).to.equal('svg');
  return document as unknown as Document;
}

function seriesPoints(document: Document, panel: string): number[] {
  const polylines = Array.from(document.getElementsByTagName('polyline')).filter(
    (p) => p.getAttribute('class') === 'series' && p.getAttribute('data-panel') === panel,
  );
  return polylines.map((p) => (p.getAttribute('points') ?? '').trim().split(/\s+/).length);
}

/** Decodes an 8-bit RGBA / RGB PNG (all five scanline filters) with node:zlib. */
function decodePng(bytes: Buffer): { width: number; height: number; channels: number; pixels: Uint8Array } {
  expect(bytes.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(body[8], 'bit depth').to.equal(8);
      channels = ({ 2: 3, 6: 4 } as Record<number, number>)[body[9]];
      expect(channels, `color type ${body[9]}`).to.be.a('number');
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x];
      const left = x >= channels ? pixels[y * stride + x - channels] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const upLeft = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      pixels[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

describe('tfjs-lr-scheduler CLI', function () {
  this.timeout(60_000);
  let tmp: string;

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'tfjs-lr-scheduler-cli-'));
  });

  after(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  describe('plot in the terminal', () => {
    it('draws the seed sample with its warmup end and StepLR milestones marked, and no warnings', () => {
      const run = cli('plot', JSON.stringify(SEED));
      expect(run.stderr).to.equal('');
      expect(run.status).to.equal(0);
      const lines = run.stdout.split('\n');
      expect(lines[0]).to.equal('GradualWarmupScheduler "warmup" · sgd lr 0.1 · 1 param group · 100 steps');
      expect(run.stdout).to.match(/^ +0\.1┼/m);
      expect(run.stdout).to.contain('└');
      expect(run.stdout).to.match(/▲ markers: +5: warmup end +16: milestone \(step\) +26: milestone \(step\)/);
      // the default 100 steps are drawn one column per point: 101 columns right of the axis
      const axis = lines.find((line) => line.includes('└')) as string;
      expect(axis.length - axis.indexOf('└')).to.equal(101);
    });

    it('adds a momentum chart when the schedule cycles momentum (OneCycleLR)', () => {
      const run = cliInProcess('plot', join(EXAMPLES, 'one-cycle.json'), '--height', '8');
      expect(run.status).to.equal(0);
      expect(run.stdout).to.match(/^momentum$/m);
      expect(run.stdout).to.match(/^ +0\.95┼/m);
      expect(run.stdout).to.contain('29: warmup end');
    });

    it('draws a schedule that decays into subnormal numbers, its axis labelled with them (the fuzzer found asciichart failing)', () => {
      // 3, 2, 1, 1, ... units of 5e-324: asciichart's own scale, 6 / 1e-323, is Infinity
      const config = {
        optimizer: { kind: 'sgd', groups: [{ lr: 1.5e-323 }] },
        schedulers: [{ id: 'decay', type: 'ExponentialLR', args: { gamma: 0.6 } }],
        steps: 10,
      };
      const run = cliInProcess('plot', JSON.stringify(config), '--height', '6');
      expect(run.stderr).to.equal('');
      expect(run.status).to.equal(0);
      expect(run.stdout).to.match(/^ +1\.482e-323┼/m);
      expect(run.stdout).to.match(/^ +4\.941e-324┤/m);
    });

    it('marks the children of a SequentialLR and the restarts of CosineAnnealingWarmRestarts', () => {
      const sequential = cliInProcess('plot', join(EXAMPLES, 'sequential.json'), '--width', '60');
      expect(sequential.status).to.equal(0);
      expect(sequential.stdout).to.contain('10: CosineAnnealingLR  40: ExponentialLR');
      expect(sequential.stdout).to.contain('(101 points sampled to 60 columns)');
      const restarts = cliInProcess('describe', join(EXAMPLES, 'warm-restarts.json'));
      expect(restarts.stdout).to.contain('restarts / jumps up at step 10, 30, 70, 150');
    });
  });

  describe('plot --out', () => {
    const configs: Array<[string, ScheduleConfig]> = [
      ['the seed sample', { ...SEED, steps: 100 }],
      ['warmup + cosine', example('warmup-cosine.json')],
      ['OneCycleLR with momentum', example('one-cycle.json')],
      ['SequentialLR over two groups', example('sequential.json')],
      ['CosineAnnealingWarmRestarts on Adam', example('warm-restarts.json')],
      ['ReduceLROnPlateau with metrics ops', example('plateau.json')],
      ["transformers' get_scheduler('cosine')", example('hf-cosine.json')],
      ['CosineAnnealingLR, then SWALR (ops with targets)', example('swa.json')],
    ];
    for (const [name, config] of configs) {
      it(`writes CSV values equal to the library's own, bit for bit: ${name}`, () => {
        const file = join(tmp, 'values.csv');
        const run = cli('plot', JSON.stringify(config), '--out', file);
        expect(run.status, run.stderr).to.equal(0);
        const csv = parseCsv(readFileSync(file, 'utf8'));
        const expected = libraryValues(config);
        expected.lr.forEach((values, g) => expectColumnBits(csv, `lr_${g}`, values));
        const cycled = expected.momentum.some((values) => values.some((v) => !Object.is(v, values[0])));
        const momentumColumns = csv.header.filter((h) => /^(momentum|beta1)_\d+$/.test(h));
        if (cycled) {
          const name = config.optimizer.kind === 'adam' ? 'beta1' : 'momentum';
          expected.momentum.forEach((values, g) => expectColumnBits(csv, `${name}_${g}`, values));
        } else {
          expect(momentumColumns).to.deep.equal([]);
        }
      });
    }

    it('writes an SVG that parses as XML and holds one point per step and group, in each panel', () => {
      const file = join(tmp, 'one-cycle.svg');
      const run = cli('plot', join(EXAMPLES, 'one-cycle.json'), '--out', file, '--width', '640', '--height', '360');
      expect(run.status, run.stderr).to.equal(0);
      const document = parseSvg(readFileSync(file, 'utf8'));
      expect(document.documentElement.getAttribute('width')).to.equal('640');
      expect(document.documentElement.getAttribute('height')).to.equal('360');
      expect(seriesPoints(document, 'learning rate')).to.deep.equal([100]);
      expect(seriesPoints(document, 'momentum')).to.deep.equal([100]);
      const markers = Array.from(document.getElementsByTagName('line')).filter((l) => l.getAttribute('class') === 'marker');
      expect(markers.map((m) => m.getAttribute('data-kind'))).to.deep.equal(['warmup-end', 'warmup-end']);
      const texts = Array.from(document.getElementsByTagName('text')).map((t) => t.textContent);
      expect(texts).to.include.members(['step', 'learning rate', 'momentum', '0.1', '0.95', 'warmup end @29']);
    });

    it('draws every group of a SequentialLR, and leaves out non-positive values on a log scale', () => {
      const file = join(tmp, 'sequential.svg');
      expect(cli('plot', join(EXAMPLES, 'sequential.json'), '--out', file).status).to.equal(0);
      expect(seriesPoints(parseSvg(readFileSync(file, 'utf8')), 'learning rate')).to.deep.equal([101, 101]);
      const logFile = join(tmp, 'seed-log.svg');
      expect(cli('plot', JSON.stringify(SEED), '--log', '--steps', '40', '--out', logFile).status).to.equal(0);
      const document = parseSvg(readFileSync(logFile, 'utf8'));
      expect(seriesPoints(document, 'learning rate')).to.deep.equal([40]); // step 0 has lr 0
      const ticks = Array.from(document.getElementsByTagName('text')).filter((t) => t.getAttribute('class') === 'tick').map((t) => t.textContent);
      expect(ticks).to.include.members(['0.1', '0.01', '0.001', '1e-4']);
    });

    it('draws ranges that a plain (v - low) / (high - low) gets wrong: subnormal values, and groups at -1e308 and 1e308', () => {
      /** The y of each point of a group's line, as a fraction of the panel's height from its bottom. */
      function heights(config: object, group: number): number[] {
        const file = join(tmp, 'range.svg');
        const run = cli('plot', JSON.stringify(config), '--out', file);
        expect(run.status, run.stderr).to.equal(0);
        const document = parseSvg(readFileSync(file, 'utf8'));
        const panel = Array.from(document.getElementsByTagName('g')).find((g) => g.getAttribute('data-name') === 'learning rate') as Element;
        const frame = panel.getElementsByTagName('rect')[0];
        const top = Number(frame.getAttribute('y'));
        const height = Number(frame.getAttribute('height'));
        const line = Array.from(panel.getElementsByTagName('polyline')).find((p) => p.getAttribute('data-group') === String(group)) as Element;
        return (line.getAttribute('points') as string)
          .trim()
          .split(/\s+/)
          .map((point) => Math.round(((top + height - Number(point.split(',')[1])) / height) * 100) / 100);
      }
      // ExponentialLR(gamma 0.6) from 3 units of 5e-324: 3, 2, 1, 1, ... units (0.6 * 1 unit rounds to 1 unit)
      const subnormal = { optimizer: { kind: 'sgd', groups: [{ lr: 1.5e-323 }] }, schedulers: [{ id: 'd', type: 'ExponentialLR', args: { gamma: 0.6 } }], steps: 4 };
      expect(heights(subnormal, 0)).to.deep.equal([1, 0.5, 0, 0, 0]);
      // 1e308 * 0.5 ** k against its mirror: the axis runs from -1e308 to 1e308
      const wide = { optimizer: { kind: 'sgd', groups: [{ lr: 1e308 }, { lr: -1e308 }] }, schedulers: [{ id: 'd', type: 'ExponentialLR', args: { gamma: 0.5 } }], steps: 2 };
      expect(heights(wide, 0)).to.deep.equal([1, 0.75, 0.63]);
      expect(heights(wide, 1)).to.deep.equal([0, 0.25, 0.38]);
    });

    it('renders a PNG with non-trivial content', () => {
      const file = join(tmp, 'warmup-cosine.png');
      const run = cli('plot', join(EXAMPLES, 'warmup-cosine.json'), '--out', file, '--width', '600', '--height', '300');
      expect(run.status, run.stderr).to.equal(0);
      const image = decodePng(readFileSync(file));
      expect([image.width, image.height]).to.deep.equal([600, 300]);
      let sum = 0;
      let sumOfSquares = 0;
      let dark = 0;
      let colored = 0;
      const pixelCount = image.width * image.height;
      for (let i = 0; i < pixelCount; i++) {
        const [r, g, b] = image.pixels.subarray(i * image.channels, i * image.channels + 3);
        const gray = (r + g + b) / 3;
        sum += gray;
        sumOfSquares += gray * gray;
        if (gray < 128) dark += 1;
        if (b - r > 60) colored += 1; // the blue lr curve
      }
      const mean = sum / pixelCount;
      const variance = sumOfSquares / pixelCount - mean * mean;
      expect(mean).to.be.greaterThan(200); // mostly the white background
      expect(variance).to.be.greaterThan(100);
      expect(dark / pixelCount).to.be.within(0.002, 0.2); // axes, ticks, text
      expect(colored).to.be.greaterThan(500);
    });

    it('writes the raw values as JSON', () => {
      const file = join(tmp, 'seed.json');
      expect(cli('plot', JSON.stringify(SEED), '--out', file).status).to.equal(0);
      const data = JSON.parse(readFileSync(file, 'utf8')) as { points: number; lr: number[][]; phases: unknown; markers: Array<{ step: number; kind: string }> };
      expect(data.points).to.equal(101);
      const expected = libraryValues({ ...SEED, steps: 100 });
      data.lr[0].forEach((value, i) => expect(Object.is(value, expected.lr[0][i]), `step ${i}`).to.equal(true));
      expect(data.phases).to.deep.equal([
        { label: 'warmup', start: 0, end: 5 },
        { label: 'StepLR', start: 6, end: 100 },
      ]);
      expect(data.markers.map((m) => `${m.kind}@${m.step}`)).to.deep.equal([
        'warmup-end@5',
        ...[16, 26, 36, 46, 56, 66, 76, 86, 96].map((s) => `milestone@${s}`),
      ]);
    });
  });

  describe('describe', () => {
    it('prints the phases of the seed sample and its final lr', () => {
      const run = cli('describe', JSON.stringify(SEED));
      expect(run.status).to.equal(0);
      const final = libraryValues({ ...SEED, steps: 100 }).lr[0][100];
      expect(run.stdout.split('\n').slice(2)).to.deep.equal([
        'phase    steps   lr',
        'warmup   0-5     0 → 0.1',
        'StepLR   6-100   0.1 → 1e-10',
        '',
        'warmup ends at step 5',
        'milestones at step 16, 26, 36, 46, 56, 66, 76, 86, 96',
        `final lr (step 100): ${String(final)}`,
        '',
      ]);
    });

    it('prints the phases of OneCycleLR (with momentum) and the children of SequentialLR', () => {
      const oneCycle = cliInProcess('describe', join(EXAMPLES, 'one-cycle.json')).stdout;
      expect(oneCycle).to.match(/^warmup \(initial_lr → max_lr\) +0-29 +0\.004 → 0\.1 +0\.95 → 0\.85$/m);
      expect(oneCycle).to.match(/^anneal \(max_lr → min_lr\) +30-99 /m);
      const sequential = cliInProcess('describe', join(EXAMPLES, 'sequential.json'), '--steps', '50').stdout;
      expect(sequential).to.match(/^LinearLR +0-9 +0\.01 → 0\.091 +0\.001 → 0\.0091$/m);
      expect(sequential).to.match(/^CosineAnnealingLR +10-39 /m);
      expect(sequential).to.match(/^ExponentialLR +40-50 /m);
    });

    it("prints the phases of a transformers schedule (warmup, decay, past num_training_steps) and of SWA's pattern", () => {
      const hf = cliInProcess('describe', join(EXAMPLES, 'hf-cosine.json'), '--steps', '310').stdout;
      expect(hf).to.match(/^warmup +0-29 +0 → 4\.833e-5$/m);
      expect(hf).to.match(/^cosine decay +30-300 +5e-5 → 0$/m);
      expect(hf).to.match(/^past num_training_steps \(cosine decay continued\) +301-310 /m);
      expect(hf).to.match(/^warmup ends at step 29$/m);
      const swa = cliInProcess('describe', join(EXAMPLES, 'swa.json')).stdout;
      expect(swa).to.match(/^SWALR not stepped yet +0-25 /m);
      expect(swa).to.match(/^anneal to swa_lr \(cos\) +26-29 /m);
      expect(swa).to.match(/^swa_lr +30-40 +0\.05$/m);
    });
  });

  describe('errors', () => {
    const cases: Array<[string, string, RegExp, 'subprocess' | 'in-process']> = [
      ['an unknown class', 'unknown-class.json', /^error: .*unknown-class\.json:4:5: schedulers\[0\] \(StepLRR "step"\): createScheduler: unknown scheduler type "StepLRR"/, 'in-process'],
      ['a bad argument', 'bad-argument.json', /^error: .*bad-argument\.json:4:75: schedulers\[0\] \(StepLR "step"\): StepLR: option "gamma" must be a finite number, got "fast"$/, 'in-process'],
      ['a broken reference', 'broken-reference.json', /^error: .*broken-reference\.json:8:71: schedulers\[1\]\.args\.after_scheduler: unknown reference "stepp"/, 'subprocess'],
      ['invalid JSON', 'invalid-json.json', /^error: .*invalid-json\.json:4:66: invalid JSON: /, 'subprocess'],
      ['an op a plot cannot run', 'bad-ops.json', /^error: .*bad-ops\.json:4:37: ops\[1\]\.op: must be "step" or "optimizer_step"/, 'in-process'],
      ['a missing file', 'no-such-file.json', /^error: .*no-such-file\.json: cannot read the configuration: no such file$/, 'in-process'],
    ];
    for (const [name, file, message, how] of cases) {
      it(`reports ${name} in one line naming the place, without a stack trace`, () => {
        const run = how === 'subprocess' ? cli('plot', join(FIXTURES, file)) : cliInProcess('plot', join(FIXTURES, file));
        expect(run.status).to.equal(1);
        expect(run.stdout).to.equal('');
        const lines = run.stderr.trimEnd().split('\n');
        expect(lines, run.stderr).to.have.length(1);
        expect(lines[0]).to.match(message);
      });
    }

    it('reports a scheduler error during the run with the step it happened at', () => {
      const plateau = { optimizer: { kind: 'sgd', groups: [{ lr: 0.1 }] }, schedulers: [{ id: 'p', type: 'ReduceLROnPlateau' }] };
      const run = cliInProcess('describe', JSON.stringify(plateau));
      expect(run.status).to.equal(1);
      expect(run.stderr).to.match(/^error: <inline>: step 1: ReduceLROnPlateau.*\(list "ops" with "metrics" in the configuration instead of "steps"\)\n$/);
    });

    it('prints the usage for usage errors (exit status 2)', () => {
      const subprocess = cli('plot', 'x.json', '--bogus');
      expect(subprocess.status).to.equal(2);
      expect(subprocess.stderr).to.match(/^error: Unknown option '--bogus'.*\n\nUsage:\n/);
      for (const args of [[], ['draw', 'x.json'], ['plot'], ['plot', 'x.json', '--out', 'chart.gif'], ['describe', 'x.json', '--log'], ['plot', 'x.json', 'y.json']]) {
        const run = cliInProcess(...args);
        expect(run.status, args.join(' ')).to.equal(2);
        expect(run.stderr, args.join(' ')).to.match(/^error: .*\n\nUsage:\n/);
      }
    });

    it('answers a bad option value, --steps -1 included, with one line (exit status 2), not node\'s "argument is ambiguous"', () => {
      const cases: Array<[string[], string]> = [
        [['--steps', '-1'], 'error: --steps must be an integer from 0 to 5,000,000, got "-1" (see --help)'],
        [['--steps', '-3'], 'error: --steps must be an integer from 0 to 5,000,000, got "-3" (see --help)'],
        [['--steps', '1.5'], 'error: --steps must be an integer from 0 to 5,000,000, got "1.5" (see --help)'],
        [['--steps=-1'], 'error: --steps must be an integer from 0 to 5,000,000, got "-1" (see --help)'],
        [['--width', '-800', '--out', 'x.svg'], 'error: --width must be an integer from 400 to 16,000, got "-800" (see --help)'],
        [['--height', '0'], 'error: --height must be an integer from 2 to 200, got "0" (see --help)'],
      ];
      for (const [options, line] of cases) {
        const run = cliInProcess('plot', join(EXAMPLES, 'one-cycle.json'), ...options);
        expect(run.status, options.join(' ')).to.equal(2);
        expect(run.stderr, options.join(' ')).to.equal(`${line}\n`);
      }
    });

    it('names the missing PNG renderer in one line', () => {
      expect(() => loadResvg('@resvg/not-installed-renderer'))
        .to.throw(CliError)
        .with.property('message')
        .that.matches(/^PNG output needs the optional package @resvg\/not-installed-renderer, which is not installed \(npm install @resvg\/not-installed-renderer\); SVG, CSV and JSON work without it$/);
    });
  });

  describe('warnings and dependencies', () => {
    it("prints each library warning once on stderr, and none with --quiet", () => {
      const config = {
        optimizer: { kind: 'sgd', groups: [{ lr: 0.1 }] },
        schedulers: [{ id: 's', type: 'StepLR', args: { step_size: 2 } }],
        ops: [{ op: 'step', epoch: 1 }, { op: 'step', epoch: 2 }, { op: 'step', epoch: 3 }],
      };
      const loud = cli('describe', JSON.stringify(config));
      expect(loud.status).to.equal(0);
      expect(loud.stderr).to.match(/^warning: UserWarning: The epoch parameter in `scheduler.step\(\)` was not necessary/);
      expect(loud.stderr.trimEnd().split('\n')).to.have.length(1);
      const quiet = cliInProcess('describe', JSON.stringify(config), '--quiet');
      expect(quiet.status).to.equal(0);
      expect(quiet.stderr).to.equal('');
    });

    it('never loads tfjs', () => {
      const script = [
        `const { main } = require(${JSON.stringify(MAIN)});`,
        `main(['describe', ${JSON.stringify(join(EXAMPLES, 'one-cycle.json'))}], { stdout() {}, stderr() {}, color: false });`,
        "console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('@tensorflow'))));",
      ].join('\n');
      const result = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
      expect(result.stderr).to.equal('');
      expect(JSON.parse(result.stdout)).to.deep.equal([]);
    });
  });
});
