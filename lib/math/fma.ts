/**
 * A fused multiply-add, a * b + c rounded once (to nearest, ties to even), from double
 * arithmetic. glibc's FMA builds round many of their steps this way (x86-64 `vfmadd*`);
 * JavaScript rounds the product and the sum separately, so the exact paths of ./exp, ./log and
 * ./pow (expExact, logExact, powExact) call fma, or fmaIO through FMA, for each fused step (most
 * of them decided by fmaIO's shortcut, see there). Their fast paths
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

/**
 * The operands of fmaIO (0, 1, 2: a, b, c) and its result (3). The exact paths that run often
 * (expExact, powExact) call fmaIO through it: a double passed to or returned from a call V8 does
 * not inline is boxed, and its inlining budget does not stretch to every fused step of a path.
 */
export const FMA = /* @__PURE__ */ new Float64Array(4);

/**
 * FMA[3] = FMA[0] * FMA[1] + FMA[2] with a single rounding (see the file comment for the range).
 *
 * First a shortcut, which decides most of the fused steps of glibc's polynomials (a small product
 * next to a larger term): when |p| < |c| / 8, p = RN(a * b), RN(a * b + c) = RN(p + c) unless
 * p + c is exactly a rounding midpoint. For p + c and a * b + c (at most ulp(p) / 2 apart) to
 * round differently, a midpoint M must lie between them or on one, so |M - (p + c)| <= ulp(p) / 2;
 * c is a multiple of ulp(p) (|c| > 8 |p|), and so is every midpoint near p + c (|p + c| > 7/8 |c|:
 * their spacing, a quarter of ulp(p + c) at worst, is at least ulp(c) / 8 >= ulp(p)), so
 * M = p + c. That midpoint shows as s + 2t being a double, t = p + c - s exactly (Fast2Sum; a
 * false alarm only costs the full emulation). The strict `<` leaves c = 0 (the sign of a zero)
 * to the full emulation.
 */
export function fmaIO(): void {
  const a = FMA[0];
  const b = FMA[1];
  const c = FMA[2];
  const p = a * b;
  let s = p + c;
  let t = p - (s - c);
  if (Math.abs(p) < 0.125 * Math.abs(c) && (t === 0 || s + 2 * t - s !== 2 * t)) {
    FMA[3] = s;
    return;
  }
  t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  s = p + c;
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
  FMA[3] = h;
}

/** a * b + c with a single rounding (fmaIO as a function, for the exact paths that run rarely). */
export function fma(a: number, b: number, c: number): number {
  FMA[0] = a;
  FMA[1] = b;
  FMA[2] = c;
  fmaIO();
  return FMA[3];
}

// The warm-up (see ./exp's): fmaIO's shortcut, its full emulation and a midpoint, 10 rounds at
// load. (The neighbour of a midpoint is taken once in billions of calls; no simple operands reach it.)
const FMA_WARM_UP = [0.5, 1e-3, 1, 0.1, 0.7, -0.07, 1 + 2 ** -30, -(1 + 2 ** -25), -1, 3, 5, -15, 1, 2, 2 ** -53];
for (let round = 0; round < 10; round++) {
  for (let i = 0; i < FMA_WARM_UP.length; i += 3) {
    FMA[0] = FMA_WARM_UP[i];
    FMA[1] = FMA_WARM_UP[i + 1];
    FMA[2] = FMA_WARM_UP[i + 2];
    fmaIO();
  }
}
