/**
 * A fused multiply-add, a * b + c rounded once (to nearest, ties to even), from double
 * arithmetic. glibc's FMA builds round many of their steps this way (x86-64 `vfmadd*`);
 * JavaScript rounds the product and the sum separately, so the exact paths of ./exp, ./log and
 * ./pow (expExact, logExact, powExact) call this function for each fused step. Their fast paths
 * evaluate the steps unfused with an error bound instead, and fall back to the exact paths when
 * the bound leaves the result undecided.
 *
 * The method, for finite operands whose product and sum neither overflow nor come within 2^-969
 * of underflow (where the product's error term would be subnormal):
 *   1. a * b = p + e exactly (Dekker's product with Veltkamp's split);
 *   2. p + c = s + sl exactly (Knuth's two-sum), so a * b + c = s + sl + e;
 *   3. h = s + (sl + e) rounds s + u, u = sl + e, once. The rounding of u cannot change the
 *      result unless s + u lies exactly halfway between two doubles: u's rounding error is
 *      smaller than u's last bit, and s + u sits at least one such bit away from any other
 *      midpoint. (When p and c nearly cancel, p + c is exact by Sterbenz's lemma, sl = 0, and u is
 *      exact.)
 *   4. In the midpoint case, the sign of u's rounding error decides: if it points away from h,
 *      the exact sum lies beyond the midpoint and the neighbour h + 2 (s + u - h) is the answer.
 */
import { SPLIT } from './bits';

/** The operands of fmaIO (0, 1, 2: a, b, c) and its result (3). */
const IO = /* @__PURE__ */ new Float64Array(4);

/** IO[3] = IO[0] * IO[1] + IO[2] with a single rounding (see the file comment for the range). */
function fmaIO(): void {
  const a = IO[0];
  const b = IO[1];
  const c = IO[2];
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  const s = p + c;
  const v = s - p;
  const sl = p - (s - v) + (c - v);
  const u = sl + e;
  let h = s + u;
  // d = 2 (s + u - h): the distance to the neighbour when s + u is a midpoint
  const d = 2 * (u - (h - s));
  if (h + d - h === d && d !== 0) {
    const w = u - sl;
    const ue = sl - (u - w) + (e - w);
    if (ue !== 0 && ue > 0 === d > 0) h += d;
  }
  IO[3] = h;
}

/**
 * a * b + c with a single rounding (see the file comment for the range). Small enough for V8 to
 * inline; the work is in fmaIO, which takes no arguments, so that no double is boxed.
 */
export function fma(a: number, b: number, c: number): number {
  IO[0] = a;
  IO[1] = b;
  IO[2] = c;
  fmaIO();
  return IO[3];
}
