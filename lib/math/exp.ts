/*! tfjs-lr-scheduler lib/math/exp: follows ARM optimized-routines' exp (math/exp.c, glibc's e_exp.c), Copyright (c) 2018 Arm Limited; MIT */
/**
 * e^x exactly as glibc 2.29 and later computes it on x86-64 with FMA (`__ieee754_exp_fma`, which
 * CPython's `math.exp` calls): a port, operation for operation, of ARM optimized-routines' exp
 * (math/exp.c; glibc's sysdeps/ieee754/dbl-64/e_exp.c and e_exp_data.c). The table and
 * coefficients are optimized-routines' (`__exp_data`, N = 128). ./pow uses the same code for its
 * exp_inline.
 *
 * exp(x) = 2^(k/N) * exp(r), x = k ln2/N + r, |r| <= ln2/2N: 2^(k/N) = scale * (1 + tail) from the
 * table, exp(r) - 1 by a degree-5 polynomial, and the result scale + scale * tmp with
 * tmp = tail + exp(r) - 1.
 *
 * In glibc's FMA build, GCC fuses eight of these steps into multiply-adds, and one more in the
 * specialcase (read off libm's disassembly; marked "fused" below). expExact follows the C with each fused step emulated
 * exactly (./fma). expFast, the usual path, evaluates the same steps in plain double arithmetic
 * (each fused step rounded twice) together with a bound on how far that can move tmp from
 * glibc's tmp; when glibc's final rounding comes out the same at both ends of the bound, that is
 * glibc's result, otherwise (a few calls in a hundred) expExact decides.
 *
 * Copyright (c) 2018, Arm Limited. SPDX-License-Identifier: MIT OR Apache-2.0 WITH LLVM-exception.
 * MIT License: Permission is hereby granted, free of charge, to any person obtaining a copy of
 * this software and associated documentation files (the "Software"), to deal in the Software
 * without restriction, including without limitation the rights to use, copy, modify, merge,
 * publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to
 * whom the Software is furnished to do so, subject to the following conditions: The above
 * copyright notice and this permission notice shall be included in all copies or substantial
 * portions of the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
 * EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR
 * A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
 * LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
 * OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
 * IN THE SOFTWARE.
 */
import { F64, hi26, I32, OUT, POW2, U } from './bits';
import { FMA, fma, fmaIO } from './fma';

/**
 * __exp_data.tab: for k = 0..127, the tail T[k] and the bits of the scale H[k] minus k << 45, where
 * H[k] = RN(2^(k/N)) and T[k] = RN((2^(k/N) - H[k]) / H[k]): glibc's table is exactly these
 * (lib/math/gen-data.py asserts it), so it is computed here instead of carried (2.7 KB of base64),
 * and spec/math/exp.spec.ts checks it against glibc's checksum, bit for bit.
 */
export const EXP_TAB = /* @__PURE__ */ expTable();
/** EXP_TAB's 32-bit words: the scale bits of row k are words 4k + 2 (low) and 4k + 3 (high). */
const EXP_TAB32 = /* @__PURE__ */ new Int32Array(EXP_TAB.buffer);
/** The scales as doubles: the bits of row k plus k << 45, the double nearest 2^(k/N). */
const SCALE = /* @__PURE__ */ scales();

/**
 * The table from 2^(k/N) in 180-bit fixed point: 2^(1/N) by seven integer square roots (each
 * rounds down: at most 7 units of 2^-180 below the true root), then its powers (at most 8 units
 * more per multiplication), so every 2^(k/N) here is below the true value by less than 2^-169.
 * The true values lie at least 2^-60 from a rounding boundary of H[k] and 2^-119 from one of T[k]
 * (lib/math/gen-data.py computes both distances with mpmath), so Number(), which rounds a bigint to
 * nearest, gives glibc's H[k] and T[k]. About 0.3 ms, once, when the module loads.
 */
function expTable(): Float64Array {
  const table = new Float64Array(256);
  const words = new Int32Array(table.buffer);
  let root = 2n << 180n; // 2^(1/2^j) * 2^180 for j = 0..7
  for (let j = 0; j < 7; j++) root = isqrt(root << 180n);
  let power = 1n << 180n; // 2^(k/N) * 2^180, rounded down
  for (let k = 0; k < 128; k++) {
    const scale = Number(power) * 2 ** -180; // RN(2^(k/N)): * 2^-180 is exact
    const scaled = BigInt(scale * 2 ** 180); // scale * 2^180, an integer
    table[2 * k] = Number(((power - scaled) << 240n) / scaled) * 2 ** -240; // RN(T[k])
    table[2 * k + 1] = scale;
    words[4 * k + 3] -= k << 13;
    power = (power * root) >> 180n;
  }
  return table;
}

function scales(): Float64Array {
  const out = new Float64Array(128);
  for (let k = 0; k < 128; k++) {
    I32[0] = EXP_TAB32[4 * k + 2];
    I32[1] = EXP_TAB32[4 * k + 3] + (k << 13);
    out[k] = F64[0];
  }
  return out;
}

/** The integer square root of n (Newton's method, from above, started from the double square root). */
function isqrt(n: bigint): bigint {
  let x = BigInt(Math.sqrt(Number(n)) * (1 + 2 ** -40));
  for (;;) {
    const next = (x + n / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}

const INV_LN2N = 184.6649652337873; // N / ln2 = 0x1.71547652b82fep0 * 128
const SHIFT = 6755399441055744; // 0x1.8p52
const NEG_LN2_HI_N = -0.005415212348111709; // -0x1.62e42fefa0000p-8 (36 bits)
const NEG_LN2_LO_N = -1.2864023111638346e-14; // -0x1.cf79abc9e3b3ap-47
const C2 = 0.49999999999996786; // 0x1.ffffffffffdbdp-2
const C3 = 0.16666666666665886; // 0x1.555555555543cp-3
const C4 = 0.0416666808410674; // 0x1.55555cf172b91p-5
const C5 = 0.008333335853059549; // 0x1.1111167a4d017p-7
// NEG_LN2_HI_N in parts of 26 and 10 bits: kd times each is exact for |kd| < 2^18
const HI_A = /* @__PURE__ */ hi26(NEG_LN2_HI_N);
const HI_B = NEG_LN2_HI_N - HI_A;
const TINY = 5.551115123125783e-17; // 2^-54

/** glibc's results for |x| < 2^-54 and |x| >= 1024 (overflow to Infinity, underflow to 0). */
function expOutside(x: number, ax: number): number {
  if (ax < TINY) return 1 + x;
  return x === -Infinity ? 0 : !(ax < Infinity) ? 1 + x : x < 0 ? 0 : Infinity;
}

/**
 * glibc's exp_inline(x, xtail, sign_bias = 0), i.e. exp(x) for xtail = 0, with every fused step
 * emulated exactly; |xtail| < 2^-8/N.
 */
export function expExact(x: number, xtail: number): number {
  EXP_IN[0] = x;
  EXP_IN[1] = xtail;
  expExactIn();
  return OUT[0];
}

/**
 * expExact(EXP_IN[0], EXP_IN[1]) into OUT[0]: the exact paths of exp and pow run it for a few
 * calls in a hundred, and through arrays no double is boxed (V8 boxes a double passed to or
 * returned from a call it does not inline, and one merged with a call's result).
 */
export function expExactIn(): void {
  const x = EXP_IN[0];
  const xtail = EXP_IN[1];
  const ax = Math.abs(x);
  if (!(ax >= TINY && ax < 1024)) {
    OUT[0] = expOutside(x, ax);
    return;
  }
  // kd = round(x N/ln2), fused: the exact product rounded to an integer, ties to even
  const z = INV_LN2N * x;
  let kd = z + SHIFT - SHIFT;
  const dz = z - kd;
  if (dz === 0.5 || dz === -0.5) {
    // z is a tie: the sign of the product's rounding error decides
    const ze = fma(x, INV_LN2N, -z);
    if (ze !== 0 && ze > 0 === dz > 0) kd += 2 * dz;
  }
  const k = kd | 0;
  // r = x + kd NegLn2hiN + kd NegLn2loN, both fused. The first rounds the exact sum once here:
  // kd HI_A is exact (26 + 18 bits), and so is x + kd HI_A (below 2^-8 in magnitude and a multiple
  // of ulp(x) when kd is not 0, which needs |x| >= 2^-9), so adding kd HI_B is the one rounding
  // (the fused steps through FMA and fmaIO, see ./fma)
  FMA[0] = kd;
  FMA[1] = NEG_LN2_LO_N;
  FMA[2] = x + kd * HI_A + kd * HI_B;
  fmaIO();
  const r = FMA[3] + xtail;
  const j = k & 127;
  const r2 = r * r;
  // tmp = tail + r + r2 (C2 + r C3) + r2^2 (C4 + r C5), four steps fused:
  // fma(r2 * r2, fma(r, C5, C4), fma(r2, fma(r, C3, C2), tail + r))
  FMA[0] = r;
  FMA[1] = C3;
  FMA[2] = C2;
  fmaIO();
  FMA[0] = r2;
  FMA[1] = FMA[3];
  FMA[2] = EXP_TAB[2 * j] + r;
  fmaIO();
  const low = FMA[3];
  FMA[0] = r;
  FMA[1] = C5;
  FMA[2] = C4;
  fmaIO();
  FMA[0] = r2 * r2;
  FMA[1] = FMA[3];
  FMA[2] = low;
  fmaIO();
  const tmp = FMA[3];
  if (!(ax < 512)) {
    OUT[0] = expSpecialCase(tmp, k, j);
    return;
  }
  // scale + scale * tmp, fused
  const scale = SCALE[j] * POW2[1074 + (k >> 7)];
  FMA[0] = scale;
  FMA[1] = tmp;
  FMA[2] = scale;
  fmaIO();
  OUT[0] = FMA[3];
}

/**
 * glibc's specialcase: scale (1 + tmp) for 512 <= |x| < 1024, where scale's exponent may
 * overflow (k > 0) or the result be subnormal (k < 0).
 */
function expSpecialCase(tmp: number, k: number, j: number): number {
  // the bits of scale: the table's plus k << 45 (k << 13 in the high word)
  I32[0] = EXP_TAB32[4 * j + 2];
  I32[1] = EXP_TAB32[4 * j + 3] + (k << 13);
  if (k >= 0) {
    I32[1] -= 1009 << 20;
    const scale = F64[0];
    return POW2[1074 + 1009] * fma(scale, tmp, scale); // 2^1009 (scale 2^-1009 (1 + tmp)), fused
  }
  I32[1] += 1022 << 20;
  return belowOne(F64[0], tmp);
}

/**
 * The end of glibc's specialcase for k < 0: scale (1 + tmp) 2^-1022, scale already multiplied by
 * 2^1022. Nothing here is fused in this build (GCC computes scale * tmp once for both uses), so
 * plain arithmetic is glibc's.
 */
function belowOne(scale: number, tmp: number): number {
  const st = scale * tmp;
  let y = scale + st;
  if (y < 1) {
    // round y before scaling it into the subnormal range, as glibc does
    let lo = scale - y + st;
    const hi = 1 + y;
    lo = 1 - hi + y + lo;
    y = hi + lo - 1;
    if (y === 0) y = 0;
  }
  return POW2[1074 - 1022] * y; // 2^-1022
}

/**
 * expExact(x, xtail) in plain double arithmetic: writes glibc's result to OUT[0] and returns
 * true when it is certain, else returns false. xtailErr bounds the caller's error in xtail.
 *
 * The bound: a fused step G = RN(a b + c) evaluated as F = RN(RN(a b) + c) satisfies
 * |F - G| <= u |a b| + 2u |F| (u = 2^-53), plus |a| d(b) + |b| d(a) + d(c) for operands already
 * off by d; the steps glibc does not fuse add 2u |result| once their operands are off. Summed
 * over the steps below (|r| < 2^-8, C2 ~ 1/2) this stays under 1.01 d(r) + 8u (|tmp| + r^2),
 * with d(r) <= u (|kd NegLn2loN| + 2 |r0| + 2 |r|) + xtailErr. The largest error seen in 2
 * million random arguments was 0.17 of this bound.
 */
export function expFast(x: number, xtail: number, xtailErr: number): boolean {
  EXP_IN[0] = x;
  EXP_IN[1] = xtail;
  EXP_IN[2] = xtailErr;
  return expFastIn();
}

/**
 * The arguments of expFastIn: x, xtail, xtailErr. (./pow passes them this way: doubles passed
 * to a call V8 does not inline are boxed, which allocates.)
 */
export const EXP_IN = /* @__PURE__ */ new Float64Array(3);

/** expFast(EXP_IN[0], EXP_IN[1], EXP_IN[2]). */
export function expFastIn(): boolean {
  const x = EXP_IN[0];
  const ax = Math.abs(x);
  // glibc's specialcase (512 <= |x| < 1024) decides below too, except where the result is certain:
  // Infinity above 711, 0 below -747 (e^-747 < 2^-1077, a quarter of the smallest subnormal)
  const special = ax >= 512;
  if (!(ax >= TINY && x < 711 && x > -747)) {
    OUT[0] = x >= 711 ? Infinity : x <= -747 ? 0 : expOutside(x, ax);
    return true;
  }
  const z = INV_LN2N * x;
  const kd = z + SHIFT - SHIFT;
  const dz = z - kd;
  if (dz === 0.5 || dz === -0.5) return false;
  const k = kd | 0;
  const j = k & 127;
  const p0 = kd * NEG_LN2_LO_N;
  const r0 = x + kd * HI_A + kd * HI_B + p0; // (x + kd NegLn2hiN rounded once, as above) + p0
  const r = r0 + EXP_IN[1];
  const r2 = r * r;
  const tmp = r2 * r2 * (C4 + r * C5) + (r2 * (C2 + r * C3) + (EXP_TAB[2 * j] + r));
  const dr = U * (Math.abs(p0) + 2 * Math.abs(r0) + 2 * Math.abs(r)) + EXP_IN[2];
  const dtmp = 1.01 * dr + 8 * U * (Math.abs(tmp) + r2) + 1e-27;
  if (special && k < 0) {
    // A result below 2^-1022 (e^-747 < x <= e^-512): glibc's plain-arithmetic end of the
    // specialcase, at both ends of tmp's bound. It rounds scale (1 + tmp), a monotonic function of
    // tmp, to a fixed grid (the subnormals', or y's ulp when y >= 1), so equal ends decide.
    const scaled = SCALE[j] * POW2[1074 + (k >> 7) + 1022];
    const low = belowOne(scaled, tmp - dtmp);
    if (low !== belowOne(scaled, tmp + dtmp)) return false;
    OUT[0] = low;
    return true;
  }
  // glibc's value scale (1 + tmp_glibc) = s + sl + (scale tmp - p) + scale (tmp_glibc - tmp);
  // for 512 <= x < 711 glibc computes it with scale 2^-1009, then multiplies by 2^1009 (exact)
  const scale = SCALE[j] * POW2[1074 + (k >> 7) - (special ? 1009 : 0)];
  const p = scale * tmp;
  const s = scale + p;
  const sl = p - (s - scale);
  const b = scale * dtmp + U * Math.abs(p);
  const bb = b + 2 * U * (Math.abs(sl) + b);
  const lo = s + (sl - bb);
  if (lo !== s + (sl + bb)) return false;
  OUT[0] = special ? POW2[1074 + 1009] * lo : lo;
  return true;
}

/** glibc's exp(x) for any double x (0 on underflow, Infinity on overflow). */
export function glibcExp(x: number): number {
  if (!expFast(x, 0, 0)) expExactIn(); // expFast left x, 0 in EXP_IN
  return OUT[0];
}

// The warm-up (as ./sin-cos's): every branch of glibcExp runs at load (overflow, underflow, tiny
// and non-finite x, glibc's specialcase above and below 1, subnormal results, and arguments whose
// fast path cannot decide, in each range: expExactIn's branches that glibcExp can reach), 10
// rounds (V8 allocates a function's feedback vector after several calls). Without it, the first
// argument to take a branch that has never run (a schedule reaching 0.95 ** 10000, below 2^-738,
// after 10,000 steps) deoptimizes the compiled function and its callers into the interpreter,
// which boxes every double, until V8 compiles them again: microseconds per step for thousands of
// steps. With ./pow's and ./fma's, about 2 ms at load (pow.mjs alone: 4.2 ms without, 6.2 with).
const EXP_WARM_UP = [0, 1e-20, -0.5, 1, -1.96875, 100, -100, 600, 600.34375, -600, -699.5, -740, -746, -800, 710, 720, Infinity, NaN];
for (let round = 0; round < 10; round++) {
  for (let i = 0; i < EXP_WARM_UP.length; i++) glibcExp(EXP_WARM_UP[i]);
}
