/**
 * npm run conformance -- [--tolerance REL] [--report FILE] [--verbose] [paths...]
 * Replays recorded PyTorch scenarios (default: the copied corpus) and prints per-class tallies
 * and the summary line; exits 1 when a scenario failed.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_CORPUS, runCorpus, summaryLine } from './corpus';
import { growPassList } from './pass-list';

const { values, positionals } = parseArgs({
  options: {
    tolerance: { type: 'string', default: '0' },
    report: { type: 'string' },
    verbose: { type: 'boolean', short: 'v', default: false },
    'record-passes': { type: 'boolean', default: false },
  },
  allowPositionals: true,
});

const tolerance = Number(values.tolerance);
if (!Number.isFinite(tolerance) || tolerance < 0) {
  console.error(`conformance: --tolerance must be a non-negative number, got ${values.tolerance}`);
  process.exit(2);
}

const summary = runCorpus(positionals.length > 0 ? positionals : [DEFAULT_CORPUS], tolerance);

const byClass = new Map<string, { passed: number; failed: number; deviations: number }>();
for (const result of summary.results) {
  const tally = byClass.get(result.className) ?? { passed: 0, failed: 0, deviations: 0 };
  if (result.status === 'passed') tally.passed += 1;
  else if (result.status === 'failed') tally.failed += 1;
  else tally.deviations += 1;
  byClass.set(result.className, tally);
}
for (const [className, tally] of byClass) {
  console.log(`${className.padEnd(30)} ${String(tally.passed).padStart(4)} passed ${String(tally.failed).padStart(4)} failed ${String(tally.deviations).padStart(4)} deviations`);
}
for (const result of summary.results) {
  if (result.status === 'failed' || (values.verbose && result.status === 'deviation')) {
    const d = result.difference!;
    const label = result.status === 'failed' ? 'FAIL' : `DEVIATION (${result.deviation})`;
    console.log(`${label} ${result.id} at ${d.at === 'construct' ? 'construct' : `op ${d.at}`} ${d.field}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`);
  }
}
if (values.report) {
  writeFileSync(values.report, `${JSON.stringify({ summary: { ...summary, results: undefined }, line: summaryLine(summary), results: summary.results }, null, 2)}\n`);
}
if (values['record-passes']) {
  // The pass list records passes of the whole corpus at 1e-12 and at 0, whatever --tolerance says.
  const passing = (s: typeof summary): string[] => s.results.filter((r) => r.status !== 'failed').map((r) => r.id);
  const atTolerance = passing(runCorpus([DEFAULT_CORPUS], 1e-12));
  const bitExact = runCorpus([DEFAULT_CORPUS], 0).results.filter((r) => r.status === 'passed').map((r) => r.id);
  console.log(`pass list: ${growPassList(atTolerance, bitExact)} ids added`);
}
console.log(summaryLine(summary));
process.exitCode = summary.failed > 0 ? 1 : 0;
