/**
 * `npm run bench`: every registered scheduler class (its sample configuration from
 * spec/helpers/sample-schedules.ts), measured
 * - in a hot loop on plain param groups, against its hand-written limit and PyTorch's own class;
 * - at `step(epoch)` for epochs 10 to 10^12;
 * - for heap allocation per step over 10^7 steps;
 * - in situ: inside a real training loop (`optimizer.minimize` of an MLP, then `scheduler.step()`),
 *   on the cpu and wasm backends, with SGD-like and Adam optimizers, per iteration range;
 * - in `model.fit` through LRSchedulerCallback;
 * and prints the tables, writes bench/results.json and the results block of docs/benchmark.md.
 *
 *   npm run bench                        everything (about 12 minutes on a quiet 2-core machine)
 *   npm run bench -- --quick             fewer runs and rounds, no large model (about 4 minutes)
 *   npm run bench -- --only StepLR,OneCycleLR
 *   npm run bench -- --sections hot,alloc,insitu,fit,instructions   (default: all but instructions)
 *   npm run bench -- --no-python         skip PyTorch
 *   npm run bench -- --no-write          do not write bench/results.json nor docs/benchmark.md
 *   npm run bench -- --in-situ-every-round   train in every in-situ round (slow; checks the sampling)
 *
 * Every measurement runs in its own Node process (`node --expose-gc --import tsx bench/worker.ts`),
 * so each timed call site sees one scheduler class and one kind of param group, and V8 starts cold.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadLibrary, registeredSchedulers } from './library';
import { benchConfig, epochConfig, EPOCHS, FUNCTION_CASES, PLATEAU_METRICS, STEPS_PER_SCHEDULE, takesEpoch } from './cases';
import type { FitResult } from './fit';
import type { InSituResult, RangeResult } from './in-situ';
import { instructionCounts, type InstructionCounts } from './instructions';
import { halfWidth, type Estimate } from './stats';
import { markdownTable, marked, ns, percent, ratio } from './table';
import type { Timing } from './timing';

const ROOT = resolve(__dirname, '..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const withPython = !argv.includes('--no-python');
const write = !argv.includes('--no-write');
const everyRound = argv.includes('--in-situ-every-round');
function listArgument(name: string): string[] | null {
  const value = argv.find((arg, i) => argv[i - 1] === `--${name}` || arg.startsWith(`--${name}=`));
  return value === undefined ? null : value.replace(new RegExp(`^--${name}=`), '').split(',');
}
const only = listArgument('only');
const sections = new Set(listArgument('sections') ?? ['hot', 'alloc', 'insitu', 'fit']);

/** docs/benchmark.md: the part between these markers is replaced by each full run. */
const DOCS_START = '<!-- bench:results:start (written by npm run bench) -->';
const DOCS_END = '<!-- bench:results:end -->';

/** Issue 17's targets. */
export const TARGETS = {
  plainStepNs: 60,
  limitRatio: 3,
  bytesPerStep: 0.05,
  epochRatio: 2,
  overWritesFirstUs: 3,
  overWritesLateUs: 1,
  sharePercent: 0.1,
};

/** The classes whose formula is a multiplication or a table look-up ("StepLR-like": at most 3x their limit). */
const STEP_LIKE = ['StepLR', 'MultiStepLR', 'ConstantLR', 'LinearLR', 'ExponentialLR', 'MultiplicativeLR'];

/**
 * The 10x larger model is trained for these (class, optimizer column, backends) only: its train
 * step takes 10x longer (about 30 ms on the cpu backend here).
 */
const LARGE_MODEL_CASES: ReadonlyArray<[string, 'sgd' | 'adam', readonly string[]]> = [
  ['StepLR', 'sgd', ['cpu', 'wasm']],
  ['CosineAnnealingLR', 'sgd', ['wasm']],
  ['OneCycleLR', 'adam', ['wasm']],
];

const BACKENDS = ['cpu', 'wasm'] as const;

interface PlainResult {
  step: Timing;
  warningsInStepLoop: number;
  epoch: Record<string, Timing> | null;
  closedForm: boolean | null;
  limit: Timing | null;
  limitMismatch: string | null;
}

interface AllocResult {
  steps: number;
  bytesPerStep: number;
  nsPerStep: number;
  firstSteps: number;
  firstBytesPerStep: number;
}

interface PytorchClassResult {
  step?: Timing;
  epoch?: Record<string, Timing>;
  skipped?: string;
}

interface PytorchResult {
  python: string | null;
  torch: string | null;
  skipped?: string;
  classes: Record<string, PytorchClassResult>;
}

type Failed = { error: string };

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

const work = mkdtempSync(join(tmpdir(), 'tfjs-lr-bench-'));

function worker<T>(label: string, ...workerArgs: string[]): T | Failed {
  const out = join(work, `${label.replace(/[^A-Za-z0-9]+/g, '-')}.json`);
  const started = Date.now();
  const extra = [...(quick ? ['--quick'] : []), ...(everyRound ? ['--in-situ-every-round'] : [])];
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'worker.ts'), ...workerArgs, out, ...extra],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    const message = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n').slice(0, 8).join('\n');
    log(`  ${label}: FAILED\n${message}`);
    return { error: message.split('\n')[0] };
  }
  log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return JSON.parse(readFileSync(out, 'utf8')) as T;
}

function ok<T>(value: T | Failed | undefined): T | undefined {
  return value === undefined || (typeof value === 'object' && value !== null && 'error' in value) ? undefined : (value as T);
}

function runPytorch(classes: string[]): PytorchResult {
  const python = process.env.PYTHON || 'python3';
  const configPath = join(work, 'configs.json');
  const settings = {
    steps_per_schedule: STEPS_PER_SCHEDULE,
    python_schedules_per_run: quick ? 2 : 6,
    warmup_runs: quick ? 1 : 2,
    runs: quick ? 3 : 7,
    epochs: EPOCHS,
    plateau_metrics: PLATEAU_METRICS,
    classes: Object.fromEntries(
      classes.map((name) => [name, { config: benchConfig(name), epoch_config: epochConfig(name), takes_epoch: takesEpoch(name) }]),
    ),
  };
  writeFileSync(configPath, JSON.stringify(settings, null, 2));
  const out = join(work, 'pytorch.json');
  const result = spawnSync(python, [join(ROOT, 'bench', 'pytorch_bench.py'), configPath, out], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    const reason = result.error ? result.error.message : `${python} exited with ${result.status}`;
    return { python: null, torch: null, skipped: `PyTorch benchmark failed: ${reason}`, classes: {} };
  }
  return JSON.parse(readFileSync(out, 'utf8')) as PytorchResult;
}

function machine(pytorch: PytorchResult | null): Record<string, unknown> {
  let lscpu = '';
  try {
    lscpu = execFileSync('lscpu', { encoding: 'utf8' });
  } catch {
    lscpu = '';
  }
  const field = (name: string): string | undefined => lscpu.match(new RegExp(`^${name}:\\s*(.+)$`, 'm'))?.[1]?.trim();
  const tfjsVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/@tensorflow/tfjs/package.json'), 'utf8')) as { version: string }).version;
  let load: string | null = null;
  try {
    load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    load = null;
  }
  return {
    cpu: field('Model name') ?? cpus()[0]?.model,
    cpuFamilyModel: field('CPU family') !== undefined ? `family ${field('CPU family')}, model ${field('Model')}` : null,
    cpus: cpus().length,
    hypervisor: field('Hypervisor vendor') ?? null,
    l3: field('L3 cache') ?? null,
    architecture: field('Architecture') ?? process.arch,
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    tfjs: tfjsVersion,
    python: pytorch?.python ?? null,
    torch: pytorch?.torch ?? null,
    loadAverage: load,
  };
}

/** A timing with the spread of its runs: `14 ±1` (± is half the range between the fastest and the slowest run). */
function timed(timing: Timing | undefined, target?: number): string {
  if (timing === undefined) return '–';
  const text = `${ns(timing.median)} ±${ns((timing.max - timing.min) / 2)}`;
  return target === undefined ? text : marked(text, timing.median <= target);
}

/** Nanoseconds as microseconds with an interval: `1.23 ±0.15`. */
function us(estimate: Estimate | undefined, target?: number): string {
  if (estimate === undefined || Number.isNaN(estimate.value)) return '–';
  const digits = Math.abs(estimate.value) >= 10_000 ? 1 : 2;
  const text = `${(estimate.value / 1000).toFixed(digits)} ±${(halfWidth(estimate) / 1000).toFixed(digits)}`;
  return target === undefined ? text : marked(text, estimate.value <= target * 1000);
}

function shareCell(estimate: Estimate | undefined, target?: number): string {
  if (estimate === undefined || Number.isNaN(estimate.value)) return '–';
  const digits = Math.abs(estimate.value) < 0.1 ? 3 : 2;
  const text = `${estimate.value.toFixed(digits)}% ±${halfWidth(estimate).toFixed(digits)}`;
  return target === undefined ? text : marked(text, estimate.value <= target);
}

function main(): void {
  const started = Date.now();
  const registered = [...registeredSchedulers(), ...Object.keys(FUNCTION_CASES)];
  const classes = registered.filter((name) => (only === null || only.includes(name)) && benchConfig(name) !== undefined);
  const withoutSample = registered.filter((name) => benchConfig(name) === undefined);
  log(`bench: ${classes.length} classes (${classes.join(', ')})${withoutSample.length ? `; no sample for ${withoutSample.join(', ')}` : ''}`);

  let pytorch: PytorchResult | null = null;
  if (withPython && sections.has('hot')) {
    log('bench: PyTorch ...');
    pytorch = runPytorch(classes);
    log(pytorch.torch ? `bench: measured PyTorch ${pytorch.torch} (Python ${pytorch.python})` : `bench: no PyTorch column: ${pytorch.skipped}`);
  }

  const reference = sections.has('hot') ? worker<Record<string, Timing>>('reference', 'reference') : undefined;
  const plain: Record<string, PlainResult | Failed> = {};
  const alloc: Record<string, AllocResult | Failed> = {};
  if (sections.has('hot') || sections.has('alloc')) {
    for (const name of classes) {
      log(`bench: ${name} ...`);
      if (sections.has('hot')) plain[name] = worker<PlainResult>(`${name} hot loop`, 'plain', name);
      if (sections.has('alloc')) alloc[name] = worker<AllocResult>(`${name} allocation`, 'alloc', name);
    }
  }

  const inSitu: InSituResult[] = [];
  const inSituFailures: string[] = [];
  if (sections.has('insitu')) {
    const cases: Array<[string, 'sgd' | 'adam', string, 'small' | 'large']> = [];
    for (const backend of BACKENDS) {
      for (const name of classes) for (const column of ['sgd', 'adam'] as const) cases.push([name, column, backend, 'small']);
      if (!quick) {
        for (const [name, column, backends] of LARGE_MODEL_CASES) if (classes.includes(name) && backends.includes(backend)) cases.push([name, column, backend, 'large']);
      }
    }
    log(`bench: in situ, ${cases.length} training runs ...`);
    for (const [name, column, backend, size] of cases) {
      const label = `${name} ${column} ${backend} ${size} in situ`;
      const result = worker<InSituResult>(label, 'insitu', name, column, backend, size);
      const value = ok(result);
      if (value === undefined) inSituFailures.push(label);
      else inSitu.push(value);
    }
  }

  const fits: FitResult[] = [];
  if (sections.has('fit')) {
    for (const backend of BACKENDS) {
      const value = ok(worker<FitResult>(`model.fit ${backend}`, 'fit', backend));
      if (value !== undefined) fits.push(value);
    }
  }

  let instructions: InstructionCounts | null = null;
  if (sections.has('instructions')) {
    log('bench: instruction counts (callgrind) ...');
    instructions = instructionCounts(ROOT, classes, log);
  }

  // ---- tables ----
  const blocks: string[] = [];
  const torchLabel = pytorch?.torch ? `PyTorch ${pytorch.torch}` : 'PyTorch';
  if (sections.has('hot')) {
    const rows = classes.map((name) => {
      const result = ok(plain[name]);
      const torch = pytorch?.classes[name];
      const ours = result?.step.median;
      const limit = result?.limit?.median;
      const limitRatio = ours !== undefined && limit !== undefined && result?.limitMismatch === null ? ours / limit : undefined;
      const theirs = torch?.step?.median;
      return [
        name,
        timed(result?.step, TARGETS.plainStepNs),
        result?.limitMismatch ? `✗ (${result.limitMismatch.slice(0, 40)})` : timed(result?.limit ?? undefined),
        marked(ratio(limitRatio), limitRatio === undefined || !STEP_LIKE.includes(name) ? null : limitRatio <= TARGETS.limitRatio),
        torch?.skipped ? 'n/a' : ns(theirs),
        ratio(ours !== undefined && theirs !== undefined ? theirs / ours : undefined, 0),
      ];
    });
    blocks.push(
      `Hot loop, plain param groups (2 groups; ns per step, median of ${quick ? 5 : 11} runs ± half their range; ✗ misses a target: ≤ ${TARGETS.plainStepNs} ns; StepLR-like ≤ ${TARGETS.limitRatio}x the hand-written limit):`,
      '',
      markdownTable(['Class', 'step() ns', 'limit ns', 'ours / limit', `${torchLabel} ns`, 'PyTorch / ours'], rows),
    );
    const epochRows = classes
      .filter((name) => ok(plain[name])?.epoch)
      .map((name) => {
        const result = ok(plain[name]) as PlainResult;
        const epoch = result.epoch as Record<string, Timing>;
        const first = epoch[String(EPOCHS[0])]?.median;
        const last = epoch[String(EPOCHS[EPOCHS.length - 1])]?.median;
        const scaling = first !== undefined && last !== undefined ? last / first : undefined;
        const torch = pytorch?.classes[name]?.epoch;
        return [
          name,
          result.closedForm ? 'closed form' : 'chainable',
          ...EPOCHS.map((at) => timed(epoch[String(at)])),
          marked(ratio(scaling, 2), scaling === undefined || !result.closedForm ? null : scaling <= TARGETS.epochRatio),
          torch ? EPOCHS.map((at) => ns(torch[String(at)]?.median)).join(' / ') : '–',
        ];
      });
    blocks.push(
      '',
      `step(epoch) (ns per call, 2 groups; ✗: a closed form more than ${TARGETS.epochRatio}x slower at 1e12 than at 10):`,
      '',
      markdownTable(['Class', 'form', ...EPOCHS.map((at) => `step(${at.toExponential().replace('e+', 'e')})`), '1e12 / 10', `${torchLabel} ns at the same epochs`], epochRows),
    );
    const ref = ok(reference);
    if (ref) {
      blocks.push(
        '',
        `One call, for scale: pymath.cos ${ns(ref.pymathCos.median)} ns vs Math.cos ${ns(ref.mathCos.median)} ns, pymath.pow ${ns(ref.pymathPow.median)} ns vs Math.pow ${ns(ref.mathPow.median)} ns.`,
      );
    }
  }
  if (sections.has('alloc')) {
    const rows = classes.map((name) => {
      const result = ok(alloc[name]);
      return [
        name,
        result ? marked(result.bytesPerStep.toFixed(3), result.bytesPerStep <= TARGETS.bytesPerStep) : '–',
        result ? ns(result.nsPerStep) : '–',
        result ? result.firstBytesPerStep.toFixed(0) : '–',
      ];
    });
    const steps = Object.values(alloc).map((r) => ok(r)?.steps).find((s) => s !== undefined) ?? 0;
    blocks.push(
      '',
      `Heap allocation per step, plain param groups (V8's accounting; ✗ above ${TARGETS.bytesPerStep} bytes per step):`,
      '',
      markdownTable(['Class', `bytes/step over ${steps.toLocaleString('en-US')} steps`, 'ns/step in that run', 'bytes/step, steps 1-10,000 (interpreter and baseline tiers)'], rows),
    );
  }
  if (sections.has('insitu') && inSitu.length > 0) {
    const groups = new Map<string, InSituResult[]>();
    for (const result of inSitu) {
      const key = `${result.backend} ${result.model}`;
      if (!groups.has(key)) groups.set(key, []);
      (groups.get(key) as InSituResult[]).push(result);
    }
    for (const [key, results] of groups) {
      const [backend, size] = key.split(' ');
      const sample = results[0];
      const labels = sample.ranges.map((range) => range.label);
      const late = labels.length - 1;
      const rows = results.map((result) => {
        const cells = result.ranges.flatMap((range: RangeResult, r) => [
          us(range.overNoop),
          us(range.overWrites, r === 0 ? TARGETS.overWritesFirstUs : r === late ? TARGETS.overWritesLateUs : undefined),
        ]);
        const last = result.ranges[late];
        return [
          result.className,
          result.optimizer,
          ...cells,
          us(last.writesOverNoop),
          shareCell(last.sharePercent, size === 'small' ? TARGETS.sharePercent : undefined),
          `${(last.trainStepNs / 1e6).toFixed(2)} ms`,
        ];
      });
      const header = [
        'Class',
        'optimizer',
        ...labels.flatMap((label) => [`${label}: over no-op`, 'over writes']),
        `${labels[late]}: writes over no-op`,
        'share of train step',
        'train step',
      ];
      blocks.push(
        '',
        `In situ, ${backend} backend, ${size} ${sample.layers.join('-')} MLP (${sample.params.toLocaleString('en-US')} parameters, batch 32): µs added per training iteration (median over the measured iterations of the range, ± half the 95% bootstrap interval); ✗: over writes > ${TARGETS.overWritesFirstUs} µs in the first range or > ${TARGETS.overWritesLateUs} µs after 10,000${size === 'small' ? `, share > ${TARGETS.sharePercent}%` : ''}:`,
        '',
        markdownTable(header, rows),
      );
    }
    const tensorProblems = inSitu.filter(
      (result) =>
        result.tensorsPerStep.ours > result.tensorsPerStep.writes ||
        result.tensors.before !== result.tensors.after ||
        result.tensors.after !== result.tensors.afterLongRun ||
        result.warnings !== 0,
    );
    const longRun = (inSitu[0]?.tensors.longRunSteps ?? 0).toLocaleString('en-US');
    blocks.push(
      '',
      tensorProblems.length === 0
        ? `Tensors in situ: in all ${inSitu.length} runs, ours created no more tensors per step than the unavoidable writes of the same values ` +
            `(${Math.min(...inSitu.map((r) => r.tensorsPerStep.ours)).toFixed(3)} to ${Math.max(...inSitu.map((r) => r.tensorsPerStep.ours)).toFixed(3)} per step, ` +
            'one per value that changed), the live tensors stayed ' +
            `constant from round 4 to the last round and over ${longRun} more steps, and no warning was emitted.`
        : `Tensors in situ (✗: per step, ours created more than the unavoidable writes; live tensors after round 4 → after the last round → after ${longRun} more steps; warnings):`,
    );
    if (tensorProblems.length > 0) {
      blocks.push(
        '',
        markdownTable(
          ['Class', 'backend', 'optimizer', 'tensors/step ours / writes', 'live tensors', 'warnings'],
          tensorProblems.map((result) => [
            result.className,
            result.backend,
            result.optimizer,
            marked(`${result.tensorsPerStep.ours.toFixed(3)} / ${result.tensorsPerStep.writes.toFixed(3)}`, result.tensorsPerStep.ours <= result.tensorsPerStep.writes),
            marked(`${result.tensors.before} → ${result.tensors.after} → ${result.tensors.afterLongRun}`, result.tensors.before === result.tensors.after && result.tensors.after === result.tensors.afterLongRun),
            marked(String(result.warnings), result.warnings === 0),
          ]),
        ),
      );
    }
    if (inSituFailures.length > 0) blocks.push('', `In-situ runs that failed: ${inSituFailures.join(', ')}.`);
  }
  if (fits.length > 0) {
    const rows = fits.flatMap((result) =>
      result.ranges.map((range) => [result.backend, range.label, us(range.oursOverNoop), us(range.minimalOverNoop), us(range.oursOverMinimal)]),
    );
    blocks.push(
      '',
      `model.fit with LRSchedulerCallback(${fits[0].className}, interval "batch"), small MLP: µs added per batch over a no-op tf.Callback (median, ± half the 95% bootstrap interval); "minimal" is a hand-written tf.Callback whose onBatchEnd calls scheduler.step():`,
      '',
      markdownTable(['backend', 'batches', 'ours over no-op', 'minimal over no-op', 'ours over minimal'], rows),
    );
  }
  if (instructions !== null) {
    blocks.push('', 'Instructions per step (callgrind, deterministic; 2 plain groups):', '', instructions.table);
  }
  const info = machine(pytorch);
  const cpuDetails = [info.cpuFamilyModel, info.l3 ? `L3 ${String(info.l3)}` : null, info.hypervisor ? `${String(info.hypervisor)} VM` : null].filter(Boolean).join(', ');
  const machineLine =
    `Machine: ${String(info.cpu)}${cpuDetails ? ` (${cpuDetails})` : ''}, ${String(info.cpus)} CPUs, ${String(info.platform)}; Node ${String(info.node)} ` +
    `(V8 ${String(info.v8)}); tfjs ${String(info.tfjs)}; load average at the end ${String(info.loadAverage)}.`;
  const torchLine = !sections.has('hot')
    ? null
    : pytorch === null
      ? 'PyTorch: not measured (--no-python).'
      : pytorch.torch
        ? `PyTorch: ${pytorch.torch} on Python ${pytorch.python}, same configurations, measured in this run.`
        : `PyTorch: not measured: ${pytorch.skipped}`;
  const minutes = (Date.now() - started) / 60000;
  const footer = [torchLine, machineLine, `Total time ${minutes.toFixed(1)} min.`].filter((line): line is string => line !== null);
  process.stdout.write(['', ...blocks, '', ...footer, ''].join('\n'));

  if (write) {
    const results = {
      date: new Date().toISOString(),
      quick,
      sections: [...sections],
      machine: info,
      settings: { stepsPerSchedule: STEPS_PER_SCHEDULE, epochs: EPOCHS, everyRound },
      targets: TARGETS,
      reference: reference ?? null,
      pytorch: pytorch === null ? null : { python: pytorch.python, torch: pytorch.torch, skipped: pytorch.skipped ?? null, classes: pytorch.classes },
      plain,
      alloc,
      inSitu,
      inSituFailures,
      fit: fits,
      instructions,
    };
    writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    log('bench: wrote bench/results.json');
    const docs = join(ROOT, 'docs', 'benchmark.md');
    if (only === null && existsSync(docs)) {
      const block = [
        DOCS_START,
        `Run of ${results.date.slice(0, 16).replace('T', ' ')} UTC${quick ? ' (--quick)' : ''}. ${machineLine}`,
        '',
        ...blocks,
        '',
        ...footer.slice(0, -2),
        DOCS_END,
      ].join('\n');
      const text = readFileSync(docs, 'utf8');
      const from = text.indexOf(DOCS_START);
      const to = text.indexOf(DOCS_END);
      if (from >= 0 && to > from) {
        writeFileSync(docs, text.slice(0, from) + block + text.slice(to + DOCS_END.length));
        log('bench: updated the results in docs/benchmark.md');
      }
    }
  }
  rmSync(work, { recursive: true, force: true });
}

loadLibrary().then(main, (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
