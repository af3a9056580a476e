/**
 * Robust summaries for the in-training measurements: medians, and the noise of a difference of
 * medians as a bootstrap confidence interval (resampling whole rounds, so the arms measured in the
 * same round stay paired and a slow phase of the machine weighs on all of them alike).
 */
import { random } from '../spec/fuzz/target';

export function median(values: ArrayLike<number>): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A figure with its 95% bootstrap interval. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
}

/**
 * `statistic(rows)` on the rows, with a 95% interval from `resamples` bootstrap resamples of the
 * rows (each row is one round: the arms measured in it).
 */
export function bootstrap<Row>(rows: readonly Row[], statistic: (rows: readonly Row[]) => number, resamples = 400, seed = 1): Estimate {
  const value = statistic(rows);
  if (rows.length < 2) return { value, low: Number.NaN, high: Number.NaN };
  const next = random(seed); // deterministic: two runs resample alike
  const values: number[] = [];
  const sample: Row[] = new Array<Row>(rows.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < rows.length; i++) sample[i] = rows[Math.floor(next() * rows.length)];
    values.push(statistic(sample));
  }
  values.sort((a, b) => a - b);
  return { value, low: values[Math.floor(0.025 * resamples)], high: values[Math.ceil(0.975 * resamples) - 1] };
}

/** Half the width of an estimate's interval (the "±" of a table). */
export function halfWidth(estimate: Estimate): number {
  return (estimate.high - estimate.low) / 2;
}
