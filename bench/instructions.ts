/**
 * Instructions per step, counted by valgrind's callgrind: deterministic figures (the same on a busy
 * and on a quiet machine, run after run, with `node --predictable`) for the three tiers V8 runs
 * the step path in. In training, `step()` runs in the interpreter for its first few hundred
 * calls, in Sparkplug's baseline code until V8 optimizes it (often after 10^4 training iterations
 * or more), then optimized:
 * - interpreter: `node --jitless`, steps 1,001-5,000;
 * - baseline: `node --no-opt` (no optimizing compiler), steps 5,001-9,000;
 * - optimized: steps 300,001-340,000 with every tier enabled.
 * Only the counted steps are counted (bench/instructions-probe.js). Needs valgrind
 * (`apt-get install valgrind`); `npm run bench -- --sections instructions`.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfig } from './cases';
import { markdownTable } from './table';

export interface InstructionCounts {
  perClass: Record<string, { interpreter: number | null; baseline: number | null; optimized: number | null }>;
  table: string;
}

const TIERS = [
  { name: 'interpreter', flags: ['--jitless'], warm: 1000, steps: 4000 },
  { name: 'baseline', flags: ['--no-opt'], warm: 5000, steps: 4000 },
  { name: 'optimized', flags: [], warm: 300_000, steps: 40_000 },
] as const;

function count(root: string, configPath: string, flags: readonly string[], warm: number, steps: number): number | null {
  const result = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--toggle-collect=Builtins_ArrayPrototypeFindLast',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      '--predictable',
      ...flags,
      join(root, 'bench', 'instructions-probe.js'),
      configPath,
      String(warm),
      String(steps),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  const collected = /Collected : (\d+)/.exec(result.stderr ?? '');
  if (result.status !== 0 || collected === null) return null;
  return Number(collected[1]) / steps;
}

export function instructionCounts(root: string, classes: readonly string[], log: (message: string) => void): InstructionCounts | null {
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    log('  instructions: valgrind is not installed (apt-get install valgrind); skipped');
    return null;
  }
  const perClass: InstructionCounts['perClass'] = {};
  for (const className of classes) {
    const configPath = join(tmpdir(), `tfjs-lr-instructions-${process.pid}-${className}.json`);
    writeFileSync(configPath, JSON.stringify({ className, config: benchConfig(className, true) }));
    const counts = TIERS.map((tier) => count(root, configPath, tier.flags, tier.warm, tier.steps));
    perClass[className] = { interpreter: counts[0], baseline: counts[1], optimized: counts[2] };
    log(`  ${className}: ${counts.map((c) => (c === null ? 'failed' : Math.round(c))).join(' / ')} instructions per step`);
  }
  const cell = (value: number | null): string => (value === null ? '–' : Math.round(value).toLocaleString('en-US'));
  const table = markdownTable(
    ['Class', 'interpreter', 'baseline (Sparkplug)', 'optimized (TurboFan)'],
    classes.map((name) => [name, cell(perClass[name].interpreter), cell(perClass[name].baseline), cell(perClass[name].optimized)]),
  );
  return { perClass, table };
}
