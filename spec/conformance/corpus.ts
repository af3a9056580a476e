/** Loads scenario files (or folders of them) and runs them. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { runScenario, type ScenarioResult } from './runner';
import type { ScenarioFile } from './scenario';

export const DEFAULT_CORPUS = join(__dirname, 'scenarios');

export function scenarioFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name.endsWith('.json')) files.push(join(path, name));
    } else {
      files.push(path);
    }
  }
  return files;
}

export interface CorpusSummary {
  results: ScenarioResult[];
  scenarios: number;
  passed: number;
  failed: number;
  deviations: number;
  values: number;
  bitIdentical: number;
  maxRelativeError: number;
}

export function runCorpus(paths: readonly string[] = [DEFAULT_CORPUS], tolerance = 0): CorpusSummary {
  tf.setBackend('cpu');
  const results: ScenarioResult[] = [];
  for (const file of scenarioFiles(paths)) {
    const data = JSON.parse(readFileSync(file, 'utf8')) as ScenarioFile;
    if (data.format !== 'torch-lr-scheduler-conformance') throw new Error(`${file}: not a conformance scenario file`);
    const className = basename(file, '.json');
    for (const scenario of data.scenarios) results.push(runScenario(scenario, className, tolerance));
  }
  const enforced = results.filter((r) => r.status !== 'deviation');
  return {
    results,
    scenarios: results.length,
    passed: results.filter((r) => r.status === 'passed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    deviations: results.filter((r) => r.status === 'deviation').length,
    // Values are tallied over the scenarios we enforce; a deviation differs on purpose.
    values: enforced.reduce((sum, r) => sum + r.values, 0),
    bitIdentical: enforced.reduce((sum, r) => sum + r.bitIdentical, 0),
    maxRelativeError: enforced.reduce((max, r) => Math.max(max, r.maxRelativeError), 0),
  };
}

export function summaryLine(summary: CorpusSummary): string {
  return (
    `conformance: ${summary.scenarios} scenarios, ${summary.passed} passed, ${summary.failed} failed, ` +
    `${summary.deviations} deviations, ${summary.values} values, ${summary.bitIdentical} bit-identical, ` +
    `max relative error ${summary.maxRelativeError.toExponential(2)}`
  );
}
