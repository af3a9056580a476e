/**
 * Fuzzing the command line (issue 13, item 9): generated and mutated configurations (every example,
 * every class sample and composition, mutated by fast-check: hostile values, deleted and misspelled
 * keys, thousands of groups or schedulers, JSON nested 100,000 deep, million-entry lists, broken
 * references and lambdas, random ops) with random options (--steps, --out in every format, --width,
 * --height, --log), inline or as files, plus special inputs (a FIFO, /dev/zero, a directory, a
 * 17 MB file, truncated JSON). Each runs in a worker process through the executable's `main()`.
 *
 * Every run must end in one of two ways: accepted (exit 0, only warnings on stderr, and a valid
 * output file), or a typed one-line rejection (exit 1: one `error:` line; exit 2: one `error:`
 * line, then at most the usage). Anything else is a crash: an exception out of `main()` (the
 * executable's stack trace), a dead worker (an out-of-memory abort), a multi-line error, a broken
 * output. A run over the time limit is a hang.
 *
 * CLI_FUZZ_RUNS (default 24, light: no run of more than 100,000 steps) generated runs;
 * `npm run fuzz:cli` runs 1,000 with the heavy values, plus the limit probes: runs exactly at every
 * limit, which must be accepted. The summary table goes to stdout.
 */
import { expect } from 'chai';
import { fork, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { registeredSchedulers, type ScheduleConfig } from '../../lib';
import { main } from '../../lib/cli/main';
import { COMPOSED_SCHEDULES, sampleMetric, SAMPLE_SCHEDULES } from '../helpers/sample-schedules';
import type { FuzzJob, FuzzReport } from './fuzz-worker';

const RUNS = Number(process.env.CLI_FUZZ_RUNS ?? 24);
const FULL = process.env.CLI_FUZZ_FULL === '1';
const PROBES = process.env.CLI_FUZZ_PROBES === '1';
const TIMEOUT_MS = Number(process.env.CLI_FUZZ_TIMEOUT_MS ?? (FULL ? 180_000 : 60_000));
const SEED = Number(process.env.CLI_FUZZ_SEED ?? 20251204);
const ROOT = resolve(__dirname, '..', '..');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---------------------------------------------------------------- seeds
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function withMetrics(config: ScheduleConfig): ScheduleConfig {
  if (!config.schedulers.some((s) => s.type === 'ReduceLROnPlateau') || config.ops !== undefined) return config;
  return { ...config, ops: Array.from({ length: 30 }, (_, i) => ({ op: 'step', metrics: sampleMetric(i) })) };
}

const EXAMPLES = join(ROOT, 'docs', 'examples');
const SEEDS: Json[] = [
  ...['multistep', 'one-cycle', 'plateau', 'seed-step-warmup', 'sequential', 'warm-restarts', 'warmup-cosine'].map(
    (name) => JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8')) as Json,
  ),
  ...Object.values(SAMPLE_SCHEDULES).map((config) => clone(withMetrics(config)) as unknown as Json),
  ...Object.values(COMPOSED_SCHEDULES).map((config) => clone(withMetrics(config)) as unknown as Json),
];

// ---------------------------------------------------------------- values and mutations
const CLASS_NAMES = registeredSchedulers();
const HEAVY_STEPS = [1_000_000, 4_999_999, 5_000_000, 5_000_001, 10_000_000, 1e9];
const STEP_VALUES: Json[] = [-1, 0, 1, 2, 7, 99, 100, 1000, 130_000, 1.5, '100', null, true, ...(FULL ? HEAVY_STEPS : [])];
const GROUP_COUNTS = [0, 1, 2, 7, 64, 65, 999, 1000, 1001, ...(FULL ? [5000] : [])];

/** JSON nested `depth` deep, kept as a placeholder until it is written (JSON.stringify would overflow the stack). */
class Deep {
  constructor(readonly depth: number) {}
}

function nested(depth: number): Json {
  return new Deep(depth) as unknown as Json;
}

/** JSON text of a configuration, with every `Deep` written out. */
function toText(config: Json): string {
  const text = JSON.stringify(config, (_key, value: unknown) => (value instanceof Deep ? `\u0000deep:${value.depth}\u0000` : value));
  return text.replace(/"\\u0000deep:(\d+)\\u0000"/g, (_match, depth: string) => `${'['.repeat(Number(depth))}${']'.repeat(Number(depth))}`);
}

const number = fc.oneof(
  fc.constantFrom<Json>(0, -0, 1, -1, 2, 0.5, 1e-5, 1e9, 1e308, -1e308, 5e-324, 2 ** 53, 1e21, 3, 10, 100, 0.9, 1.0000000000000002),
  fc.double({ noNaN: true, noDefaultInfinity: true }) as fc.Arbitrary<Json>,
  fc.integer({ min: -5, max: 1000 }) as fc.Arbitrary<Json>,
);
const hostile: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: number },
  { weight: 2, arbitrary: fc.constantFrom<Json>({ float: 'nan' }, { float: 'inf' }, { float: '-inf' }, { float: 'bogus' }, { float: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom<Json>('', 'x', 'min', 'max', 'cos', 'linear', 'triangular2', '__proto__', 'constructor', ...CLASS_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [0.1], [1, 2, 3], [[1]], { a: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom<Json>({ ref: 's' }, { ref: 'nope' }, { ref: '$optimizer' }, { ref: 1 }, { ref: 'warm' }) },
  {
    weight: 2,
    arbitrary: fc.record({ fn: fc.constantFrom('pow', 'floordiv', 'const', 'step_pow', 'mod_switch', 'exp', 'linear_warmup', 'inv_sqrt', 'half_pow', 'nope'), base: number, d: number, c: number, w: number }).map((spec) => spec as unknown as Json),
  },
  { weight: 1, arbitrary: fc.constantFrom(5, 31, 32, 40, 1000, 100_000).map(nested) },
  { weight: 1, arbitrary: fc.constantFrom(1000, 100_000, ...(FULL ? [1_000_000] : [])).map((n) => new Array<Json>(n).fill(0.5)) },
  { weight: 1, arbitrary: fc.constant(null).map(() => JSON.parse('{"__proto__": {"polluted": true}, "lr": 0.1}') as Json) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
);
const KEY = fc.oneof(
  fc.constantFrom('stepz', 'Steps', 'schedulers', 'schedulerz', 'optimiser', 'drvier', 'op', 'args', 'arg', 'type', 'id', 'kind', 'groups', 'lr', 'momentum', 'betas', 'description', '__proto__', 'constructor', 'step_size', 'T_max', 'total_steps', 'last_epoch', 'milestones', 'after_scheduler', 'schedulers', 'metrics', 'epoch', 'target'),
  fc.string({ maxLength: 8 }),
);

type Mutation =
  | { kind: 'tweak'; pick: number; factor: number; integer: boolean }
  | { kind: 'replace' | 'add'; pick: number; key: string; value: Json }
  | { kind: 'delete'; pick: number }
  | { kind: 'steps'; value: Json }
  | { kind: 'groups'; count: number }
  | { kind: 'schedulers'; count: number; chain: boolean }
  | { kind: 'retype'; pick: number; type: string }
  | { kind: 'driver'; value: Json }
  | { kind: 'ops'; ops: Json[] };

const op: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>({ op: 'step' }, { op: 'optimizer_step' }, { op: 'state_dict' }, { op: 'step', epoch: 3 }, { op: 'step', target: 'nope' }, { op: 'step', metrics: 'inf' }),
  fc.record({ op: fc.constant('step'), metrics: number, epoch: fc.option(number, { nil: undefined }) }).map((o) => JSON.parse(JSON.stringify(o)) as Json),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // a plausible change: a number scaled (an integer stays an integer), so the schedule still runs, differently
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('tweak' as const), pick: fc.nat(), factor: fc.constantFrom(0.25, 0.5, 0.9, 1.1, 2, 3, 10), integer: fc.boolean() }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), key: KEY, value: hostile }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), pick: fc.nat(), key: KEY, value: hostile }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('steps' as const), value: fc.constantFrom(...STEP_VALUES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('groups' as const), count: fc.constantFrom(...GROUP_COUNTS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('schedulers' as const), count: fc.constantFrom(2, 20, 99, 100, 101, 150), chain: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), type: fc.constantFrom(...CLASS_NAMES, 'StepLRR', 'LRScheduler', '') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('driver' as const), value: fc.constantFrom<Json>('s', 'nope', 0, null, 'warm') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ops' as const), ops: fc.array(op, { maxLength: 40 }) }) },
);

/** Every object and list in `value`, the root first. */
function containers(value: Json, out: Array<Json[] | { [key: string]: Json }> = []): Array<Json[] | { [key: string]: Json }> {
  if (value !== null && typeof value === 'object' && !(value instanceof Deep)) {
    out.push(value);
    if (out.length < 10_000) for (const child of Array.isArray(value) ? value : Object.values(value)) containers(child, out);
  }
  return out;
}

function setOwn(record: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function apply(config: Json, m: Mutation): Json {
  const root = (typeof config === 'object' && config !== null && !Array.isArray(config) ? config : {}) as { [key: string]: Json };
  const all = containers(config).filter((c) => (Array.isArray(c) ? c.length > 0 : Object.keys(c).length > 0));
  switch (m.kind) {
    case 'tweak': {
      const numbers: Array<[Json[] | { [key: string]: Json }, string | number]> = [];
      for (const container of all) {
        for (const key of Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container)) {
          if (typeof (container as Record<string | number, Json>)[key] === 'number') numbers.push([container, key]);
        }
      }
      if (numbers.length === 0) return config;
      const [container, key] = numbers[m.pick % numbers.length];
      const old = (container as Record<string | number, number>)[key];
      const scaled = old * m.factor;
      (container as Record<string | number, number>)[key] = Number.isInteger(old) && m.integer ? Math.max(0, Math.round(scaled)) : scaled;
      return config;
    }
    case 'replace':
    case 'add': {
      if (all.length === 0) return m.value;
      const container = all[m.pick % all.length];
      if (Array.isArray(container)) {
        if (m.kind === 'add') container.push(m.value);
        else container[Math.floor(m.pick / all.length) % container.length] = m.value;
      } else {
        const keys = Object.keys(container);
        setOwn(container, m.kind === 'add' ? m.key : keys[Math.floor(m.pick / all.length) % keys.length], m.value);
      }
      return config;
    }
    case 'delete': {
      if (all.length === 0) return config;
      const container = all[m.pick % all.length];
      if (Array.isArray(container)) container.splice(Math.floor(m.pick / all.length) % container.length, 1);
      else delete container[Object.keys(container)[Math.floor(m.pick / all.length) % Object.keys(container).length]];
      return config;
    }
    case 'steps':
      delete root.ops;
      root.steps = m.value;
      return root;
    case 'groups': {
      const optimizer = (root.optimizer ?? { kind: 'sgd' }) as { [key: string]: Json };
      if (typeof optimizer === 'object' && optimizer !== null && !Array.isArray(optimizer)) {
        optimizer.groups = Array.from({ length: m.count }, (_, i) => ({ lr: 0.1 / (i + 1), momentum: 0.9, betas: [0.9, 0.999] }));
        root.optimizer = optimizer;
      }
      return root;
    }
    case 'schedulers': {
      const schedulers: Json[] = Array.from({ length: m.count - 1 }, (_, i) => ({ id: `x${i}`, type: 'ExponentialLR', args: { gamma: 0.99 } }));
      schedulers.push(
        m.chain
          ? { id: 'chain', type: 'ChainedScheduler', args: { schedulers: schedulers.map((_, i) => ({ ref: `x${i}` })) } }
          : { id: 'seq', type: 'SequentialLR', args: { schedulers: schedulers.map((_, i) => ({ ref: `x${i}` })), milestones: schedulers.slice(1).map((_, i) => 3 * (i + 1)) } },
      );
      root.schedulers = schedulers;
      delete root.driver;
      return root;
    }
    case 'retype': {
      const list = Array.isArray(root.schedulers) ? root.schedulers : [];
      const spec = list.length > 0 ? list[m.pick % list.length] : null;
      if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) spec.type = m.type;
      return root;
    }
    case 'driver':
      root.driver = m.value;
      return root;
    case 'ops':
      delete root.steps;
      root.ops = m.ops;
      return root;
  }
}

// ---------------------------------------------------------------- command lines
type OutFormat = 'terminal' | 'describe' | '.csv' | '.json' | '.svg' | '.png' | '.gif';
interface Options {
  format: OutFormat;
  steps: string | null;
  width: string | null;
  height: string | null;
  log: boolean;
  quiet: boolean;
  junk: string | null;
  columns: number | undefined;
}
/** `arbitrary` in `weight` of 100 runs, else null. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, weight: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 100 - weight, arbitrary: fc.constant(null) }, { weight, arbitrary });
}

const BAD_SIZE = fc.constantFrom('-1', '0', '1', '9', '199', '399', '1001', '16001', '100000', 'x', '1e3', '');
const TERMINAL_SIZE = fc.constantFrom('10', '12', '40', '80', '120', '200', '1000');
const IMAGE_WIDTH = fc.constantFrom('400', '640', '800', '1400', '3000', '16000');
const IMAGE_HEIGHT = fc.constantFrom('300', '400', '700', '1000', '2500');
const STEPS_OPTION = fc.constantFrom('0', '1', '5', '100', '1000', '130000', ...(FULL ? ['5000000'] : []));
const BAD_STEPS_OPTION = fc.constantFrom('-1', '-3', 'abc', '1.5', '', '5000001', '10000000');
const options: fc.Arbitrary<Options> = fc
  .record({
    format: fc.oneof(
      { weight: 4, arbitrary: fc.constant<OutFormat>('terminal') },
      { weight: 3, arbitrary: fc.constant<OutFormat>('describe') },
      { weight: 3, arbitrary: fc.constantFrom<OutFormat>('.csv', '.json', '.svg') },
      { weight: 1, arbitrary: fc.constantFrom<OutFormat>('.png', '.gif') },
    ),
    steps: sometimes(fc.oneof({ weight: 4, arbitrary: STEPS_OPTION }, { weight: 1, arbitrary: BAD_STEPS_OPTION }), 25),
    size: fc.nat(99),
    badSize: BAD_SIZE,
    terminalWidth: TERMINAL_SIZE,
    terminalHeight: TERMINAL_SIZE,
    imageWidth: IMAGE_WIDTH,
    imageHeight: IMAGE_HEIGHT,
    log: fc.nat(9),
    quiet: fc.boolean(),
    junk: sometimes(fc.constantFrom('--bogus', 'extra.json', '-x', '--steps'), 3),
    columns: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
  })
  .map((r): Options => {
    const image = r.format === '.svg' || r.format === '.png';
    // mostly sizes that fit the output (so the configuration is what gets tested), some that do not
    let width: string | null = null;
    let height: string | null = null;
    if (r.size < 5) width = r.badSize;
    else if (r.size < 40 && r.format !== 'describe') {
      width = image ? r.imageWidth : r.terminalWidth;
      height = image ? r.imageHeight : r.terminalHeight;
    }
    return { format: r.format, steps: r.steps, width, height, log: r.format !== 'describe' && r.log === 0, quiet: r.quiet, junk: r.junk, columns: r.columns };
  });

type Mode = 'inline' | 'file' | 'fifo' | 'zero' | 'directory' | 'missing' | 'huge' | 'truncated' | 'not-an-object';
const mode = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Mode>('inline') },
  { weight: 8, arbitrary: fc.constant<Mode>('file') },
  { weight: 2, arbitrary: fc.constant<Mode>('truncated') },
  { weight: 1, arbitrary: fc.constantFrom<Mode>('fifo', 'zero', 'directory', 'missing', 'huge', 'not-an-object') },
);

interface Input {
  source: 'mutated' | 'seed' | 'special' | 'probe';
  name: string;
  config: Json;
  mode: Mode;
  options: Options;
  /** A probe at a limit must be accepted. */
  mustAccept?: boolean;
}

const generated = fc
  .record({ seed: fc.nat(SEEDS.length - 1), mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }), mode, options })
  .map(({ seed, mutations, mode: m, options: o }): Input => ({
    source: m === 'inline' || m === 'file' || m === 'truncated' ? (mutations.length === 0 ? 'seed' : 'mutated') : 'special',
    name: `seed ${seed} + ${mutations.map((x) => x.kind).join(',') || 'nothing'}`,
    config: mutations.reduce(apply, clone(SEEDS[seed])),
    mode: m,
    options: o,
  }));

// ---------------------------------------------------------------- limit probes
const plain: Options = { format: 'describe', steps: null, width: null, height: null, log: false, quiet: true, junk: null, columns: undefined };
const oneCycleAtLimit: Json = { optimizer: { kind: 'sgd_momentum', groups: [{ lr: 0.1 }] }, schedulers: [{ id: 'o', type: 'OneCycleLR', args: { max_lr: 0.1, total_steps: 5_000_001 } }] };
const cosineGroups = (groups: number, steps: number): Json => ({
  optimizer: { kind: 'sgd', groups: Array.from({ length: groups }, (_, i) => ({ lr: 0.1 / (i + 1) })) },
  schedulers: [{ id: 'c', type: 'CosineAnnealingLR', args: { T_max: 1000 } }],
  steps,
});
const chainOf99: Json = {
  optimizer: { kind: 'sgd', groups: [{ lr: 0.1 }] },
  schedulers: [
    ...Array.from({ length: 99 }, (_, i) => ({ id: `x${i}`, type: 'ExponentialLR', args: { gamma: 0.99999 } })),
    { id: 'chain', type: 'ChainedScheduler', args: { schedulers: Array.from({ length: 99 }, (_, i) => ({ ref: `x${i}` })) } },
  ],
  steps: 352_941,
};
const PROBE_INPUTS: Input[] = [
  ...(['describe', 'terminal', '.csv', '.json', '.svg', '.png'] as OutFormat[]).map(
    (format): Input => ({ source: 'probe', name: `OneCycleLR, its own 5,000,000 steps, ${format}`, config: oneCycleAtLimit, mode: 'file', options: { ...plain, format }, mustAccept: true }),
  ),
  { source: 'probe', name: '1,000 groups x 5,000 steps, .csv', config: cosineGroups(1000, 5000), mode: 'file', options: { ...plain, format: '.csv' }, mustAccept: true },
  { source: 'probe', name: '64 groups x 78,125 steps, .svg', config: cosineGroups(64, 78_125), mode: 'file', options: { ...plain, format: '.svg' }, mustAccept: true },
  { source: 'probe', name: '64 groups x 78,125 steps, terminal 1000 x 200', config: cosineGroups(64, 78_125), mode: 'file', options: { ...plain, format: 'terminal', width: '1000', height: '200' }, mustAccept: true },
  { source: 'probe', name: '16,000 x 2,500 PNG (40 megapixels)', config: SEEDS[0], mode: 'file', options: { ...plain, format: '.png', width: '16000', height: '2500' }, mustAccept: true },
  { source: 'probe', name: 'ChainedScheduler of 99, at the work limit (352,941 steps)', config: chainOf99, mode: 'file', options: plain, mustAccept: true },
  {
    source: 'probe',
    name: 'a 16 MB configuration',
    config: { ...(SEEDS[0] as { [key: string]: Json }), description: 'x'.repeat(16 * 1024 * 1024 - 400) },
    mode: 'file',
    options: plain,
    mustAccept: true,
  },
];

// ---------------------------------------------------------------- the worker
class Worker {
  private child: ChildProcess | null = null;
  private exitInfo = '';
  private stderrTail = '';
  peakRss = 0;

  private start(): ChildProcess {
    const child = fork(join(__dirname, 'fuzz-worker.ts'), [], { execArgv: ['--require', 'tsx/cjs', '--expose-gc'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], cwd: ROOT });
    child.stderr?.on('data', (data: Buffer) => {
      this.stderrTail = (this.stderrTail + data.toString()).slice(-2000);
    });
    child.on('exit', (code, signal) => {
      this.exitInfo = `exit code ${String(code)}, signal ${String(signal)}`;
    });
    this.child = child;
    return child;
  }

  run(job: FuzzJob, timeoutMs: number): Promise<{ report?: FuzzReport; died?: string; hung?: boolean }> {
    const child = this.child ?? this.start();
    return new Promise((resolvePromise) => {
      const done = (result: { report?: FuzzReport; died?: string; hung?: boolean }): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolvePromise(result);
      };
      const onMessage = (report: FuzzReport): void => {
        if (report.id !== job.id) return;
        this.peakRss = Math.max(this.peakRss, report.maxRss);
        done({ report });
      };
      const onExit = (): void => {
        this.child = null;
        setImmediate(() => done({ died: `${this.exitInfo}: ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}` }));
      };
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        child.kill('SIGKILL');
        this.child = null;
        done({ hung: true });
      }, timeoutMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(job);
    });
  }

  stop(): void {
    this.child?.kill();
    this.child = null;
  }
}

// ---------------------------------------------------------------- checking one run
interface Outcome {
  input: Input;
  verdict: 'accepted' | 'rejected' | 'crash' | 'hang';
  status: number | null;
  detail: string;
  ms: number;
  maxRss: number;
}

function countNewlines(path: string): number {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let count = 0;
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) for (let i = 0; i < read; i++) if (buffer[i] === 10) count += 1;
  } finally {
    closeSync(fd);
  }
  return count;
}

/** Why the written output is not what the format promises, or `undefined`. */
function badOutput(path: string, format: OutFormat, points: number): string | undefined {
  const size = statSync(path).size;
  if (size === 0) return 'empty output';
  if (format === '.png') return readFileSync(path).subarray(0, 8).toString('hex') === '89504e470d0a1a0a' ? undefined : 'not a PNG';
  if (format === '.csv') return countNewlines(path) === points + 1 ? undefined : `CSV has ${countNewlines(path)} lines for ${points} points`;
  if (format === '.json') {
    if (size > 64 * 1024 * 1024) return undefined;
    const data = JSON.parse(readFileSync(path, 'utf8')) as { points?: unknown };
    return data.points === points ? undefined : 'JSON points differ';
  }
  const text = readFileSync(path, 'utf8');
  return text.startsWith('<svg') && text.endsWith('</svg>\n') ? undefined : 'not an SVG document';
}

let usageLines: string[] = [];

function judge(input: Input, report: FuzzReport, out: string | null): Outcome {
  const base = { input, status: report.status, ms: report.ms, maxRss: report.maxRss };
  if (report.thrown !== null) return { ...base, verdict: 'crash', detail: `threw: ${report.thrown}` };
  const lines = report.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('warning: '));
  if (/\n\s+at .*:\d+:\d+\)?\n/.test(report.stderr)) return { ...base, verdict: 'crash', detail: 'a stack trace on stderr' };
  if (report.status === 0) {
    const unexpected = lines.filter((line) => !line.startsWith('wrote '));
    if (unexpected.length > 0) return { ...base, verdict: 'crash', detail: `exit 0 with ${unexpected[0]}` };
    if (out !== null) {
      const wrote = /^wrote .* \((\d+) points?,/.exec(lines[0] ?? '');
      if (wrote === null) return { ...base, verdict: 'crash', detail: 'no "wrote" line' };
      const problem = badOutput(out, input.options.format, Number(wrote[1]));
      if (problem !== undefined) return { ...base, verdict: 'crash', detail: problem };
    }
    return { ...base, verdict: 'accepted', detail: '' };
  }
  if ((report.status === 1 || report.status === 2) && lines.length >= 1 && lines[0].startsWith('error: ')) {
    const rest = lines.slice(1);
    const oneLine = rest.length === 0 || (report.status === 2 && rest.join('\n') === usageLines.join('\n'));
    if (oneLine) return { ...base, verdict: 'rejected', detail: lines[0] };
  }
  return { ...base, verdict: 'crash', detail: `exit ${String(report.status)}: ${lines.slice(0, 3).join(' | ').slice(0, 300)}` };
}

/** A rejection's kind: the message with places, numbers and quoted values blanked. */
function kindOf(message: string): string {
  return message
    .replace(/^error: /, '')
    .replace(/(<inline>|\/\S+?)(:\d+:\d+)?: /g, '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d[\d,.e+-]*/g, '#')
    .replace(/\[#\]/g, '[]')
    .slice(0, 90);
}

// ---------------------------------------------------------------- the run
describe('the CLI under fuzzing', function () {
  this.timeout(0);
  let tmp: string;
  let hugeFile: string;
  const worker = new Worker();

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cli-fuzz-'));
    hugeFile = join(tmp, 'huge.json');
    writeFileSync(hugeFile, `{"description": "${'x'.repeat(17 * 1024 * 1024)}"}`);
    execFileSync('mkfifo', [join(tmp, 'fifo.json')]);
    symlinkSync('/dev/zero', join(tmp, 'zero.json'));
    mkdirSync(join(tmp, 'dir.json'));
    let help = '';
    main(['--help'], { stdout: (text) => (help += text), stderr: () => {}, color: false });
    usageLines = ['', ...help.trimEnd().split('\n')].filter((line) => line !== '');
  });

  after(() => {
    worker.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** The job for `input` (its config written where the mode says), and the output path if any. */
  function prepare(input: Input, id: number): { job: FuzzJob; out: string | null } {
    const text = toText(input.config);
    let config: string;
    switch (input.mode) {
      case 'inline':
        config = text.startsWith('{') ? text : join(tmp, 'not-inline');
        break;
      case 'fifo':
      case 'zero':
      case 'directory':
        config = join(tmp, input.mode === 'directory' ? 'dir.json' : `${input.mode}.json`);
        break;
      case 'missing':
        config = join(tmp, 'no-such-file.json');
        break;
      case 'huge':
        config = hugeFile;
        break;
      default: {
        config = join(tmp, `config-${id}.json`);
        const body = input.mode === 'truncated' ? text.slice(0, Math.max(1, Math.floor(text.length * ((id % 9) / 10)))) : input.mode === 'not-an-object' ? ['[]', '42', 'null', '"x"'][id % 4] : text;
        writeFileSync(config, body);
      }
    }
    const o = input.options;
    const argv = [o.format === 'describe' ? 'describe' : 'plot', config];
    let out: string | null = null;
    if (o.format !== 'describe' && o.format !== 'terminal') {
      out = join(tmp, `out-${id}${o.format}`);
      argv.push('--out', out);
    }
    if (o.steps !== null) argv.push('--steps', o.steps);
    if (o.width !== null) argv.push('--width', o.width);
    if (o.height !== null) argv.push('--height', o.height);
    if (o.log) argv.push('--log');
    if (o.quiet) argv.push('--quiet');
    if (o.junk !== null) argv.push(o.junk);
    return { job: { id, argv, columns: o.columns }, out };
  }

  /** Runs the inputs one after the other; `fresh`: each in a new worker, so its peak memory is its own. */
  async function runAll(inputs: Input[], fresh = false): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const [index, input] of inputs.entries()) {
      const id = index + 1;
      if (fresh) worker.stop();
      const { job, out } = prepare(input, id);
      const result = await worker.run(job, TIMEOUT_MS);
      if (result.hung) outcomes.push({ input, verdict: 'hang', status: null, detail: `over ${TIMEOUT_MS} ms`, ms: TIMEOUT_MS, maxRss: 0 });
      else if (result.died !== undefined) outcomes.push({ input, verdict: 'crash', status: null, detail: `the worker died: ${result.died}`, ms: 0, maxRss: 0 });
      else outcomes.push(judge(input, result.report as FuzzReport, out));
      if (out !== null) rmSync(out, { force: true });
      rmSync(join(tmp, `config-${id}.json`), { force: true });
    }
    return outcomes;
  }

  function summarize(title: string, outcomes: Outcome[]): void {
    const count = (verdict: Outcome['verdict']): number => outcomes.filter((o) => o.verdict === verdict).length;
    const bySource = new Map<string, number>();
    for (const o of outcomes) bySource.set(o.input.source, (bySource.get(o.input.source) ?? 0) + 1);
    const kinds = new Map<string, number>();
    for (const o of outcomes) if (o.verdict === 'rejected') kinds.set(kindOf(o.detail), (kinds.get(kindOf(o.detail)) ?? 0) + 1);
    const slowest = outcomes.reduce((a, b) => (b.ms > a.ms ? b : a), outcomes[0]);
    const mb = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MB`;
    // the run that raised its worker's peak memory the most (the peak is per worker process)
    let peakSetter: Outcome | undefined;
    let raise = 0;
    let previous = 0;
    for (const o of outcomes) {
      if (o.maxRss === 0) continue;
      if (o.maxRss - previous > raise) {
        raise = o.maxRss - previous;
        peakSetter = o;
      }
      previous = Math.max(previous, o.maxRss);
    }
    const lines = [
      '',
      `${title}: ${outcomes.length} inputs (${[...bySource].map(([k, v]) => `${v} ${k}`).join(', ')})`,
      `  accepted ${count('accepted')} | typed one-line rejections ${count('rejected')} (exit 1: ${outcomes.filter((o) => o.verdict === 'rejected' && o.status === 1).length}, exit 2: ${outcomes.filter((o) => o.verdict === 'rejected' && o.status === 2).length}) | crashes ${count('crash')} | hangs ${count('hang')}`,
      `  peak memory of a worker ${mb(worker.peakRss)} (raised most, by ${mb(raise)}, by: ${peakSetter?.input.name ?? '-'}, ${peakSetter?.input.options.format ?? ''})`,
      `  slowest run ${Math.round(slowest?.ms ?? 0)} ms (${slowest?.input.name ?? '-'}, ${slowest?.input.options.format ?? ''}) | total ${Math.round(outcomes.reduce((sum, o) => sum + o.ms, 0) / 1000)} s`,
      '  most frequent rejections:',
      ...[...kinds].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([kind, n]) => `    ${String(n).padStart(5)}  ${kind}`),
    ];
    for (const o of outcomes.filter((x) => x.verdict === 'crash' || x.verdict === 'hang').slice(0, 10)) lines.push(`  ${o.verdict.toUpperCase()}: ${o.input.name} ${JSON.stringify(o.input.options)}: ${o.detail}`);
    console.log(lines.join('\n'));
  }

  it(`answers ${RUNS} generated and mutated command lines with a result or a typed one-line rejection: no crash, no hang`, async () => {
    const inputs = fc.sample(generated, { seed: SEED, numRuns: RUNS });
    const outcomes = await runAll(inputs);
    summarize('CLI fuzz', outcomes);
    const bad = outcomes.filter((o) => o.verdict === 'crash' || o.verdict === 'hang');
    expect(bad.map((o) => `${o.verdict}: ${o.input.name}: ${o.detail}`)).to.deep.equal([]);
  });

  // Only in `npm run fuzz:cli` (a minute of runs at the limits).
  if (PROBES) it('accepts every run exactly at a limit, in seconds', async () => {
    const outcomes = await runAll(PROBE_INPUTS, true);
    const mb = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MB`;
    console.log(['', 'limit probes:', ...outcomes.map((o) => `  ${o.verdict.padEnd(9)} ${String(Math.round(o.ms)).padStart(7)} ms  peak ${mb(o.maxRss).padStart(7)}  ${o.input.name}${o.verdict === 'accepted' ? '' : `: ${o.detail}`}`)].join('\n'));
    expect(outcomes.filter((o) => o.verdict !== 'accepted').map((o) => `${o.input.name}: ${o.detail}`)).to.deep.equal([]);
  });
});
