/**
 * The package as the benchmark measures it: the compiled build in dist/ (`npm run bench` builds it
 * first), which is what users run. Through tsx, the TypeScript sources' imports become getter calls
 * (esbuild's CommonJS transform keeps live bindings), which makes the math module several times
 * slower than the shipped code. Types come from the sources.
 */
import type * as Library from '../lib';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dist = require('../dist/index.cjs') as typeof Library;

export const { fromConfig, VirtualOptimizer, registeredSchedulers, pymath, setWarningHandler } = dist;
export type { BuiltSchedule, LRScheduler, ParamGroup, ScheduleConfig } from '../lib';
