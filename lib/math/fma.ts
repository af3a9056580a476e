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

/** a * b + c with a single rounding (see the file comment for the range). */
export function fma(a: number, b: number, c: number): number {
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
  return h;
}
