/**
 * `npm run fuzz`: finds every fuzz target (`spec/<area>/<name>.fuzz.ts`, see target.ts), runs each
 * in its own process at its full size, and prints one table: inputs, typed rejections, accepted,
 * crashes, partial changes, hangs, peak memory (the process's maximum resident set) and time.
 * A process that dies counts as a crash, one that makes no progress for a minute as a hang.
 *
 *   npm run fuzz                      every target, full size
 *   npm run fuzz -- checkpoint        the targets whose name contains "checkpoint"
 *   npm run fuzz -- --runs 500        another size for every target
 *
 * Exits 1 when any target had a crash, a partial change or a hang.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FuzzTally, type FuzzCounts, type FuzzTarget } from './target';

const SPEC_ROOT = join(__dirname, '..');
const REPOSITORY = join(SPEC_ROOT, '..');
const SILENCE_LIMIT_MS = 60_000;

/** Every `*.fuzz.ts` under spec/. */
export function targetFiles(dir = SPEC_ROOT): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...targetFiles(path));
    else if (entry.name.endsWith('.fuzz.ts')) found.push(path);
  }
  return found.sort();
}

export function loadTarget(file: string): FuzzTarget {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(file) as { default: FuzzTarget }).default;
}

interface Result {
  name: string;
  inputs: string;
  counts: FuzzCounts;
  failures: string[];
  notes: Record<string, number>;
  peakMB: number;
  seconds: number;
}

async function child(file: string, runs: number | undefined): Promise<void> {
  const target = loadTarget(file);
  const started = Date.now();
  const tally = new FuzzTally((counts) => process.stdout.write(`progress ${JSON.stringify(counts)}\n`));
  await target.run(runs ?? target.fullRuns, tally);
  const result: Result = {
    name: target.name,
    inputs: target.inputs,
    counts: tally.counts,
    failures: tally.failures,
    notes: tally.notes,
    peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  process.stdout.write(`result ${JSON.stringify(result)}\n`);
}

function runChild(file: string, runs: number | undefined): Promise<Result> {
  const name = relative(SPEC_ROOT, file);
  return new Promise((resolve) => {
    const args = ['--require', 'tsx/cjs', __filename, '--child', file, ...(runs === undefined ? [] : ['--runs', String(runs)])];
    const process_ = spawn(process.execPath, args, { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = Date.now();
    let last: FuzzCounts = { inputs: 0, rejected: 0, accepted: 0, crash: 0, partial: 0, hang: 0 };
    let result: Result | undefined;
    let buffered = '';
    let errors = '';
    let hung = false;
    let heard = Date.now();
    const watchdog = setInterval(() => {
      if (Date.now() - heard > SILENCE_LIMIT_MS) {
        hung = true;
        process_.kill('SIGKILL');
      }
    }, 1000);
    process_.stdout.on('data', (chunk: Buffer) => {
      heard = Date.now();
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() as string;
      for (const line of lines) {
        if (line.startsWith('progress ')) last = JSON.parse(line.slice(9)) as FuzzCounts;
        else if (line.startsWith('result ')) result = JSON.parse(line.slice(7)) as Result;
      }
    });
    process_.stderr.on('data', (chunk: Buffer) => {
      errors = (errors + chunk.toString()).slice(-4000);
    });
    process_.on('exit', (code, signal) => {
      clearInterval(watchdog);
      if (result !== undefined && code === 0) {
        resolve(result);
        return;
      }
      const counts = { ...last };
      if (hung) counts.hang += 1;
      else counts.crash += 1;
      resolve({
        name,
        inputs: '(the process ended early)',
        counts,
        failures: [`${hung ? 'hang: no progress for a minute' : `crash: exit ${code ?? signal}`}; stderr: ${errors.trim().split('\n').slice(-5).join(' | ')}`],
        notes: {},
        peakMB: NaN,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      });
    });
  });
}

function table(results: readonly Result[]): string {
  const rows = [
    ['target', 'inputs', 'typed rejections', 'accepted', 'crashes', 'partial changes', 'hangs', 'peak RSS', 'time'],
    ...results.map((r) => [
      `${r.name} (${r.inputs})`,
      String(r.counts.inputs),
      String(r.counts.rejected),
      String(r.counts.accepted),
      String(r.counts.crash),
      String(r.counts.partial),
      String(r.counts.hang),
      Number.isNaN(r.peakMB) ? '?' : `${r.peakMB} MB`,
      `${r.seconds} s`,
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]): string => `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : undefined;
  if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) throw new Error(`--runs must be a positive integer, got ${argv[runsAt + 1]}`);
  const childAt = argv.indexOf('--child');
  if (childAt >= 0) {
    await child(argv[childAt + 1], runs);
    return;
  }
  const filters = argv.filter((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--runs');
  const files = targetFiles().filter((file) => filters.length === 0 || filters.some((filter) => relative(SPEC_ROOT, file).includes(filter)));
  if (files.length === 0) throw new Error(`no fuzz target matches ${filters.join(', ')}`);
  const results: Result[] = [];
  for (const file of files) {
    process.stdout.write(`fuzzing ${relative(REPOSITORY, file)} ...\n`);
    const result = await runChild(file, runs);
    results.push(result);
    for (const failure of result.failures) process.stdout.write(`  ${failure}\n`);
    for (const [note, value] of Object.entries(result.notes)) process.stdout.write(`  ${note}: ${value}\n`);
  }
  process.stdout.write(`\n${table(results)}\n`);
  const bad = results.some((r) => r.counts.crash + r.counts.partial + r.counts.hang > 0);
  process.exitCode = bad ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  });
}
