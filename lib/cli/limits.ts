/**
 * The command line's limits, checked before anything is built, so that everything inside them
 * works (in seconds, in a few hundred MB) and everything outside gets a one-line error instead of
 * a stack overflow, an out-of-memory abort or a hang. docs/cli.md lists them.
 */

/** A configuration file larger than this is not read. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
/** How deeply a configuration's JSON may nest (a real one nests 6 levels). */
export const MAX_CONFIG_DEPTH = 32;
/** Schedulers in one configuration. */
export const MAX_SCHEDULERS = 100;
/** Param groups in one configuration. */
export const MAX_GROUPS = 1_000;
/** `steps`, `--steps`, or the number of `ops`. */
export const MAX_STEPS = 5_000_000;
/** Steps times param groups: what the trace holds in memory (2 doubles per group and point, lr and momentum). */
export const MAX_VALUES = 5_000_000;
/**
 * Steps x schedulers stepped per step x (16 + param groups): the work of a run, about 16 ns a unit
 * (measured), so at most about 10 seconds. A ChainedScheduler of 99 children runs fewer steps than
 * one scheduler does.
 */
export const MAX_WORK = 600_000_000;
/** Param groups a chart (terminal, SVG, PNG) draws; CSV and JSON take up to MAX_GROUPS. */
export const MAX_CHART_GROUPS = 64;
/** Markers the trace keeps (all of them are counted). */
export const MAX_MARKERS = 10_000;
/** SVG / PNG canvas. */
export const IMAGE_WIDTH = { min: 400, max: 16_000 };
export const IMAGE_HEIGHT = { min: 300, max: 16_000 };
export const MAX_IMAGE_PIXELS = 40_000_000;
/** CSV / JSON / SVG / PNG files larger than this are not written. */
export const MAX_OUTPUT_BYTES = 1024 * 1024 * 1024;
/** Terminal chart. */
export const TERMINAL_WIDTH = { min: 10, max: 1_000 };
export const TERMINAL_HEIGHT = { min: 2, max: 200 };

/** `5,000,000`. */
export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}
