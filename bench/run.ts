/**
 * `npm run bench`: times every registered scheduler class (its sample configuration from
 * spec/helpers/sample-schedules.ts) and transformers' getCosineScheduleWithWarmup with plain param groups, with real tfjs SGD/Momentum and
 * Adam optimizers (CPU backend), and PyTorch's own class in the same run; prints the tables and
 * writes bench/results.json.
 *
 *   npm run bench                      everything (about 5 minutes)
 *   npm run bench -- --quick           fewer runs, 10^5 instead of 10^6 steps (numbers are rougher)
 *   npm run bench -- --only StepLR,OneCycleLR
 *   npm run bench -- --no-python       skip PyTorch
 *   npm run bench -- --no-write        do not write bench/results.json nor docs/benchmark.md
 *
 * Every measurement runs in its own Node process (`node --expose-gc --import tsx bench/worker.ts`),
 * so each timed call site sees one scheduler class and one kind of param group, as in training.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadLibrary, registeredSchedulers } from './library';
import { benchConfig, EPOCHS, FUNCTION_CASES, PLATEAU_METRICS, STEPS_PER_SCHEDULE, takesEpoch } from './cases';
import { markdownTable, marked, ns, percent, ratio } from './table';
import type { Timing } from './timing';

const ROOT = resolve(__dirname, '..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const withPython = !argv.includes('--no-python');
const write = !argv.includes('--no-write');
const onlyArg = argv.find((arg, i) => argv[i - 1] === '--only' || arg.startsWith('--only='));
const only = onlyArg === undefined ? null : onlyArg.replace(/^--only=/, '').split(',');

/** docs/benchmark.md: the part between these markers is replaced by each full run. */
const DOCS_START = '<!-- bench:results:start (written by npm run bench) -->';
const DOCS_END = '<!-- bench:results:end -->';

/** The issue's targets. */
export const TARGETS = {
  plainStepNs: 100,
  pytorchRatio: 25,
  tfjsOverheadNs: 500,
  sharePercent: 1,
  heapGrowthBytes: 256 * 1024,
};

interface PlainResult {
  step: Timing;
  warningsInStepLoop: number;
  epoch: Record<string, Timing> | null;
  closedForm: boolean | null;
}

interface TfjsResult {
  optimizer: string[];
  step: Timing;
  writes: Timing;
  warningsInStepLoop: number;
  tensorsPerStep: number;
  tensorsNeededPerStep: number;
  memory: {
    steps: number;
    nsPerStep: number;
    tensorsBefore: number;
    tensorsAfter: number;
    heapBefore: number;
    heapAfter: number;
    gc: boolean;
    tensorsLeakedAfterDispose: number;
  };
}

interface ModelResult {
  optimizer: string;
  params: number;
  batch: number;
  layers: number[];
  update: Timing;
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

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

const work = mkdtempSync(join(tmpdir(), 'tfjs-lr-bench-'));

function worker<T>(label: string, ...workerArgs: string[]): T | { error: string } {
  const out = join(work, `${label.replace(/[^A-Za-z0-9]+/g, '-')}.json`);
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'worker.ts'), ...workerArgs, out, ...(quick ? ['--quick'] : [])],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    const message = (result.stderr || result.error?.message || `exit ${result.status}`).trim().split('\n').slice(0, 8).join('\n');
    log(`  ${label}: FAILED\n${message}`);
    return { error: message.split('\n')[0] };
  }
  log(`  ${label}: done`);
  return JSON.parse(readFileSync(out, 'utf8')) as T;
}

function ok<T>(value: T | { error: string } | undefined): T | undefined {
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
      classes.map((name) => [name, { config: benchConfig(name), long_config: benchConfig(name, true), takes_epoch: takesEpoch(name) }]),
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
    tfjs: `${tfjsVersion} (cpu backend)`,
    python: pytorch?.python ?? null,
    torch: pytorch?.torch ?? null,
  };
}

function main(): void {
  const registered = [...registeredSchedulers(), ...Object.keys(FUNCTION_CASES)];
  const classes = registered.filter((name) => (only === null || only.includes(name)) && benchConfig(name) !== undefined);
  const withoutSample = registered.filter((name) => benchConfig(name) === undefined);
  log(`bench: ${classes.length} classes (${classes.join(', ')})${withoutSample.length ? `; no sample for ${withoutSample.join(', ')}` : ''}`);

  let pytorch: PytorchResult | null = null;
  if (withPython) {
    log('bench: PyTorch ...');
    pytorch = runPytorch(classes);
    log(pytorch.torch ? `bench: measured PyTorch ${pytorch.torch} (Python ${pytorch.python})` : `bench: no PyTorch column: ${pytorch.skipped}`);
  }

  log('bench: reference loops and math ...');
  const reference = worker<Record<string, Timing>>('reference', 'reference');

  log('bench: tfjs model update ...');
  const model = {
    sgd: worker<ModelResult>('model sgd', 'model', 'sgd'),
    adam: worker<ModelResult>('model adam', 'model', 'adam'),
  };

  const perClass: Record<string, { plain: PlainResult | { error: string }; sgd: TfjsResult | { error: string }; adam: TfjsResult | { error: string } }> = {};
  for (const name of classes) {
    log(`bench: ${name} ...`);
    perClass[name] = {
      plain: worker<PlainResult>(`${name} plain`, 'plain', name),
      sgd: worker<TfjsResult>(`${name} sgd`, 'tfjs', name, 'sgd'),
      adam: worker<TfjsResult>(`${name} adam`, 'tfjs', name, 'adam'),
    };
  }

  const sgdUpdate = ok(model.sgd)?.update.median;
  const adamUpdate = ok(model.adam)?.update.median;
  const rows1: string[][] = [];
  const rows2: string[][] = [];
  const rows3: string[][] = [];
  const summary: Record<string, unknown> = {};
  for (const name of classes) {
    const plain = ok(perClass[name].plain);
    const sgd = ok(perClass[name].sgd);
    const adam = ok(perClass[name].adam);
    const torch = pytorch?.classes[name];
    const ours = plain?.step.median;
    const theirs = torch?.step?.median;
    const torchRatio = ours !== undefined && theirs !== undefined ? theirs / ours : undefined;
    const e10 = plain?.epoch?.[String(EPOCHS[0])]?.median;
    const e6 = plain?.epoch?.[String(EPOCHS[1])]?.median;
    const epochRatio = e10 !== undefined && e6 !== undefined ? e6 / e10 : undefined;
    const torchE10 = torch?.epoch?.[String(EPOCHS[0])]?.median;
    const torchE6 = torch?.epoch?.[String(EPOCHS[1])]?.median;
    rows1.push([
      name,
      marked(ns(ours), ours === undefined ? null : ours <= TARGETS.plainStepNs),
      torch?.skipped ? 'n/a' : ns(theirs),
      marked(ratio(torchRatio, 0), torchRatio === undefined ? null : torchRatio >= TARGETS.pytorchRatio),
      plain?.epoch ? ns(e10) : '–',
      plain?.epoch ? ns(e6) : '–',
      plain?.epoch ? marked(ratio(epochRatio, 2), epochRatio === undefined ? null : epochRatio <= 2) : '–',
      plain?.epoch ? `${ns(torchE10)} / ${ns(torchE6)}` : '–',
    ]);
    const over = (result: TfjsResult | undefined): number | undefined =>
      result === undefined ? undefined : result.step.median - result.writes.median;
    const sgdOver = over(sgd);
    const adamOver = over(adam);
    const sgdShare = sgd !== undefined && sgdUpdate !== undefined ? (100 * sgd.step.median) / sgdUpdate : undefined;
    const adamShare = adam !== undefined && adamUpdate !== undefined ? (100 * adam.step.median) / adamUpdate : undefined;
    rows2.push([
      name,
      sgd ? sgd.optimizer[0] : '–',
      ns(sgd?.step.median),
      ns(sgd?.writes.median),
      marked(ns(sgdOver), sgdOver === undefined ? null : sgdOver <= TARGETS.tfjsOverheadNs),
      ns(adam?.step.median),
      ns(adam?.writes.median),
      marked(ns(adamOver), adamOver === undefined ? null : adamOver <= TARGETS.tfjsOverheadNs),
      marked(percent(sgdShare), sgdShare === undefined ? null : sgdShare < TARGETS.sharePercent),
      marked(percent(adamShare), adamShare === undefined ? null : adamShare < TARGETS.sharePercent),
    ]);
    const memoryCell = (result: TfjsResult | undefined): string[] => {
      if (result === undefined) return ['–', '–', '–'];
      const m = result.memory;
      const tensorsOk = m.tensorsAfter === m.tensorsBefore;
      const heap = m.heapAfter - m.heapBefore;
      return [
        marked(`${result.tensorsPerStep.toFixed(3)} / ${result.tensorsNeededPerStep.toFixed(3)}`, result.tensorsPerStep <= result.tensorsNeededPerStep),
        marked(`${m.tensorsBefore} → ${m.tensorsAfter}`, tensorsOk),
        marked(`${heap >= 0 ? '+' : ''}${(heap / 1024).toFixed(1)} KB`, heap <= TARGETS.heapGrowthBytes),
      ];
    };
    rows3.push([name, ...memoryCell(sgd), ...memoryCell(adam)]);
    summary[name] = { plain: perClass[name].plain, tfjs: { sgd: perClass[name].sgd, adam: perClass[name].adam }, pytorch: torch ?? null, pytorchRatio: torchRatio ?? null };
  }

  const steps = ok(perClass[classes[0]]?.sgd)?.memory.steps ?? (quick ? 100_000 : 1_000_000);
  const torchLabel = pytorch?.torch ? `PyTorch ${pytorch.torch}` : 'PyTorch';
  const table1 = markdownTable(
    ['Class', 'step() ns', `${torchLabel} ns`, 'PyTorch / ours', 'step(10) ns', 'step(1e6) ns', '1e6 / 10', 'PyTorch step(10) / step(1e6) ns'],
    rows1,
  );
  const table2 = markdownTable(
    ['Class', 'SGD-side optimizer', 'SGD ns/step', 'SGD writes ns', 'SGD over', 'Adam ns/step', 'Adam writes ns', 'Adam over', 'share SGD update', 'share Adam update'],
    rows2,
  );
  const table3 = markdownTable(
    ['Class', 'SGD tensors/step (needed)', `SGD tensors, ${steps.toLocaleString('en-US')} steps`, 'SGD heap Δ', 'Adam tensors/step (needed)', `Adam tensors, ${steps.toLocaleString('en-US')} steps`, 'Adam heap Δ'],
    rows3,
  );
  const sgdModel = ok(model.sgd);
  const adamModel = ok(model.adam);
  const modelLine = sgdModel && adamModel
    ? `One tfjs update of a ${sgdModel.layers.join('-')} MLP (${sgdModel.params.toLocaleString('en-US')} parameters, batch ${sgdModel.batch}, cpu backend): ` +
      `SGD ${ns(sgdModel.update.median)} ns, Adam ${ns(adamModel.update.median)} ns.`
    : 'Model update: failed (see above).';
  const torchLine = pytorch === null
    ? 'PyTorch: not measured (--no-python).'
    : pytorch.torch
      ? `PyTorch: ${pytorch.torch} on Python ${pytorch.python}, same configurations, measured in this run.`
      : `PyTorch: not measured: ${pytorch.skipped}`;
  const ref = ok(reference);
  const referenceLine = ref
    ? `Reference, hand-written loops over 2 plain groups: StepLR-like ${ns(ref.handStepLR.median)} ns/step, chainable cosine with two Math.cos ` +
      `${ns(ref.handCosine.median)} ns/step. One call: pymath.cos ${ns(ref.pymathCos.median)} ns vs Math.cos ${ns(ref.mathCos.median)} ns ` +
      `(${ratio(ref.pymathCos.median / ref.mathCos.median)}), pymath.pow ${ns(ref.pymathPow.median)} ns vs Math.pow ${ns(ref.mathPow.median)} ns ` +
      `(${ratio(ref.pymathPow.median / ref.mathPow.median)}).`
    : 'Reference loops: failed (see above).';
  const info = machine(pytorch);
  const cpuDetails = [info.cpuFamilyModel, info.l3 ? `L3 ${String(info.l3)}` : null, info.hypervisor ? `${String(info.hypervisor)} VM` : null].filter(Boolean).join(', ');
  const machineLine = `Machine: ${String(info.cpu)}${cpuDetails ? ` (${cpuDetails})` : ''}, ${String(info.cpus)} CPUs, ${String(info.platform)}; Node ${String(info.node)} (V8 ${String(info.v8)}); tfjs ${String(info.tfjs)}.`;

  process.stdout.write(
    [
      '',
      `Per step, plain param groups (median ns; 2 groups; ✗ = misses a target: ≤ ${TARGETS.plainStepNs} ns, ≥ ${TARGETS.pytorchRatio}x PyTorch, step(1e6) ≤ 2x step(10)):`,
      '',
      table1,
      '',
      `With tfjs optimizers (2 groups = 2 optimizers; "writes" = the unavoidable tfjs updates replayed by hand; "over" = ours − writes, target ≤ ${TARGETS.tfjsOverheadNs} ns; share = our step / one model update, target < ${TARGETS.sharePercent}%):`,
      '',
      table2,
      '',
      'Tensors and heap (tensors created per step vs. the value changes that need one; live tensors and heap (after gc) before → after the long run):',
      '',
      table3,
      '',
      modelLine,
      referenceLine,
      torchLine,
      machineLine,
      '',
    ].join('\n'),
  );

  if (write) {
    const results = {
      date: new Date().toISOString(),
      quick,
      machine: info,
      settings: { stepsPerSchedule: STEPS_PER_SCHEDULE, epochs: EPOCHS, longRunSteps: steps },
      targets: TARGETS,
      model,
      reference,
      pytorch: pytorch === null ? null : { python: pytorch.python, torch: pytorch.torch, skipped: pytorch.skipped ?? null },
      classes: summary,
      tables: { perStep: table1, tfjs: table2, memory: table3, model: modelLine, reference: referenceLine, pytorch: torchLine, machine: machineLine },
    };
    writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    log('bench: wrote bench/results.json');
    const docs = join(ROOT, 'docs', 'benchmark.md');
    if (only === null && existsSync(docs)) {
      const block = [
        DOCS_START,
        `Run of ${results.date.slice(0, 16).replace('T', ' ')} UTC${quick ? ' (--quick)' : ''}. ${machineLine}`,
        '',
        'Per step, plain param groups (median ns, 2 groups; ✗ marks a missed target):',
        '',
        table1,
        '',
        'With tfjs optimizers (2 groups = 2 optimizers):',
        '',
        table2,
        '',
        `Tensors and heap over ${steps.toLocaleString('en-US')} steps:`,
        '',
        table3,
        '',
        modelLine,
        '',
        referenceLine,
        '',
        torchLine,
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
