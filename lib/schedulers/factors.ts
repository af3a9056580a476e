/**
 * The factor ranges of ConstantLR and LinearLR as PyTorch compares them (NaN passes, as in Python),
 * and the state-dict check built on them.
 */
import { decodeFloat } from '../state/encoding';

/** (0, 1]: LinearLR's `start_factor`, and ConstantLR's `factor` once 0 is rejected too. */
export function isPositiveUnitFactor(value: number): boolean {
  return !(value > 1.0 || value <= 0);
}

/** [0, 1]: LinearLR's `end_factor`. */
export function isUnitFactor(value: number): boolean {
  return !(value > 1.0 || value < 0);
}

/** A `StateReader.value` check: the stored float when `allowed` accepts it, else `undefined` (rejected). */
export function factorIn(allowed: (value: number) => boolean): (raw: unknown) => number | undefined {
  return (raw) => {
    const value = decodeFloat(raw);
    return value !== undefined && allowed(value) ? value : undefined;
  };
}
