/**
 * `x ** y` as a float32 tensor holds it: Python's `x ** y` (glibc's pow, `pow` in ./index)
 * rounded to float32, for the bias-correction accumulators of tfjs's Adam and Adamax
 * (lib/optim/tfjs-groups.ts), which hold `beta ** (step + 1)` in a float32 variable.
 *
 * V8's `Math.pow` and glibc's pow are each within one ulp of the exact power, so their results
 * are within two ulps of each other: when every double within eight ulps of `Math.pow(x, y)`
 * rounds to the same float32, so does glibc's, and that float32 is returned without computing
 * glibc's (whose slow path, for |y ln x| > 512, which Adam reaches after a few thousand steps,
 * costs ten times its fast one). Otherwise (near a float32 rounding boundary: about one result in
 * 2^25), and for zero, subnormal, infinite or NaN results (where the one-ulp bound means nothing,
 * or where Python raises), `pow` decides.
 */
import { pow } from './index';

/** Eight units in the last place of a normal double, relative. */
const MARGIN = 8 * 2 ** -53;
const SMALLEST_NORMAL = 2 ** -1022;

export function powFloat32(x: number, y: number): number {
  const r = Math.pow(x, y);
  if (r >= SMALLEST_NORMAL && r < Infinity) {
    const f = Math.fround(r);
    if (Math.fround(r * (1 - MARGIN)) === f && Math.fround(r * (1 + MARGIN)) === f) return f;
  }
  return pow(x, y);
}
