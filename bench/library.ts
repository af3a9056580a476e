/**
 * The package as the benchmark measures it: the compiled build in dist/ (`npm run bench` builds it
 * first), which is what users run, loaded by `loadLibrary()` before anything is measured. Through
 * tsx, the TypeScript sources' imports become getter calls (esbuild's CommonJS transform keeps live
 * bindings), which makes the math module several times slower than the shipped code; so would
 * `require()` of dist/'s ES modules, which tsx compiles to CommonJS: `import()` loads them as they
 * are. Types come from the sources.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Library from '../lib';
import type * as Lambdas from '../lib/config/lambdas';

export let fromConfig: typeof Library.fromConfig;
export let VirtualOptimizer: typeof Library.VirtualOptimizer;
export let registeredSchedulers: typeof Library.registeredSchedulers;
export let pymath: typeof Library.pymath;
export let setWarningHandler: typeof Library.setWarningHandler;
export let LRSchedulerCallback: typeof Library.LRSchedulerCallback;
/** The configuration language's lambdas, built once per process and shared (bench/cases.ts). */
export let buildLambda: typeof Lambdas.buildLambda;

function distUrl(path: string): string {
  return pathToFileURL(join(__dirname, '..', 'dist', path)).href;
}

export async function loadLibrary(): Promise<void> {
  const dist = (await import(distUrl('index.mjs'))) as typeof Library;
  ({ fromConfig, VirtualOptimizer, registeredSchedulers, pymath, setWarningHandler, LRSchedulerCallback } = dist);
  ({ buildLambda } = (await import(distUrl('config/lambdas.mjs'))) as typeof Lambdas);
}

export type { BuiltSchedule, LRScheduler, ParamGroup, ScheduleConfig } from '../lib';
