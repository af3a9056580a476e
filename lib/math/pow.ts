/*! tfjs-lr-scheduler lib/math/pow: follows ARM optimized-routines' pow (math/pow.c, glibc's e_pow.c), Copyright (c) 2018 Arm Limited; MIT */
/**
 * x ** y exactly as glibc 2.29 and later computes it on x86-64 with FMA (`__ieee754_pow_fma`,
 * which CPython's `**` on floats calls): a port, operation for operation, of ARM
 * optimized-routines' pow (math/pow.c; glibc's sysdeps/ieee754/dbl-64/e_pow.c and
 * e_pow_log_data.c). The table and coefficients are optimized-routines' (`__pow_log_data`,
 * N = 128); the exp part is ./exp's.
 *
 * x^y = exp(y log x): log x as hi + lo with about 15 bits beyond double precision (x = 2^k z,
 * log(x) = k ln2 + log(c) + log1p(z/c - 1), 1/c having so few bits that z/c - 1 is exact), then
 * y (hi + lo) as ehi + elo and exp(ehi + elo).
 *
 * glibc's FMA build fuses ten steps of log_inline (two of them explicit fma calls) and two of
 * y * (hi + lo) (one an explicit fma), read off libm's disassembly; exp_inline is ./exp's. powExact follows the C with
 * each fused step emulated exactly (./fma). powFast, the usual path, evaluates them in plain
 * double arithmetic with a bound on how far that moves lo from glibc's; it checks that glibc's
 * rounding of hi + lo is certain, carries the bound through y * lo into ./exp's expFast, and
 * leaves the rare undecided cases to powExact (see ./exp for the form of the bound).
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
import { F64, I32, OUT, POW2, SPLIT, U } from './bits';
import { EXP_IN, expExactIn, expFastIn } from './exp';
import { FMA, fma, fmaIO } from './fma';

/**
 * __pow_log_data.tab, as rows invc, logc, logctail (its unused pad field left out): for the
 * subinterval i of z (bits OFF + i << 45 up to OFF + (i + 1) << 45, OFF = 0x3fe6955500000000),
 * invc is 1/c for c its midpoint, rounded to 8 significant bits, logc is -log(invc) rounded to a
 * multiple of 2^-43 and logctail the rest, rounded. glibc's table is exactly these
 * (lib/math/gen-data.py asserts it), so it is computed here instead of carried (2.6 KB of base64),
 * and spec/math/pow.spec.ts checks it against glibc's checksum, bit for bit.
 */
export const POW_TAB = /* @__PURE__ */ powTable();

/**
 * The table, with -log(invc) in 128-bit fixed point (`logScaled`): off by less than 2^-120, where
 * the true values lie at least 2^-49 from a rounding boundary of logc and 2^-106 from one of
 * logctail (lib/math/gen-data.py computes both with mpmath); 1/c is computed in doubles, at least
 * 2^-10 of its last kept bit from a tie. About 0.7 ms, once, when the module loads.
 */
function powTable(): Float64Array {
  const table = new Float64Array(384);
  for (let i = 0; i < 128; i++) {
    I32[0] = 0;
    I32[1] = 0x3fe69555 + (i << 13);
    const start = F64[0];
    I32[1] += 1 << 13;
    const inverse = 2 / (start + F64[0]); // 1/c for the subinterval's midpoint c
    const unit = inverse >= 1 ? 128 : 256; // 8 significant bits
    const units = Math.round(inverse * unit);
    const logc = -logScaled(BigInt(units), BigInt(unit)); // -log(invc) * 2^128
    const logcGrid = (logc + (1n << 84n)) >> 85n; // to the nearest multiple of 2^-43
    table[3 * i] = units / unit;
    table[3 * i + 1] = Number(logcGrid) * 1.1368683772161603e-13; // * 2^-43, exact
    table[3 * i + 2] = Number(logc - (logcGrid << 85n)) * 2.938735877055719e-39; // RN(rest): * 2^-128
  }
  return table;
}

/**
 * log(num / den) * 2^128, rounded toward zero at each step, for num / den in [0.7, 1.5]:
 * 2 atanh(a / b) with a = num - den, b = num + den, summed term by term (|a / b| < 0.18: five bits
 * a term).
 */
function logScaled(num: bigint, den: bigint): bigint {
  const a = num - den;
  const b = num + den;
  let term = (a << 128n) / b;
  let sum = 0n;
  for (let j = 1n; term !== 0n; j += 2n) {
    sum += term / j;
    term = (term * a * a) / (b * b);
  }
  return 2n * sum;
}

const LN2_HI = 0.6931471805598903; // 0x1.62e42fefa3800p-1
const LN2_LO = 5.497923018708371e-14; // 0x1.ef35793c76730p-45
// log1p(r) - r - A0 r^2 for |r| < 0x1.6bp-8, coefficients pre-scaled as glibc's (A0 = -0.5)
const A1 = -0.6666666666666679; // 0x1.555555555556p-2 * -2
const A2 = 0.5000000000000007; // -0x1.0000000000006p-2 * -2
const A3 = 0.7999999995323976; // 0x1.999999959554ep-3 * 4
const A4 = -0.6666666663487739; // -0x1.555555529a47ap-3 * 4
const A5 = -1.142909628459501; // 0x1.2495b9b4845e9p-3 * -8
const A6 = 1.0000415263675542; // -0x1.0002b8b263fc3p-3 * -8
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * glibc's results for |y| < 2^-65 (1 + y or 1 - y) and |y| >= 2^63 (overflow or underflow), or
 * NaN when y is neither.
 */
function powOutside(x: number, y: number): number {
  const ay = Math.abs(y);
  if (ay < 2.710505431213761e-20) return x > 1 ? 1 + y : 1 - y;
  if (ay >= 9223372036854775808) return x > 1 === y > 0 ? Infinity : 0;
  return NaN;
}

/** x = 2^k z, z in [0x1.69555p-1, 0x1.69555p0): writes z, the row's invc and log c to LOGX, k to KI[0], the row to KI[1]. */
const LOGX = /* @__PURE__ */ new Float64Array(1);
const KI = /* @__PURE__ */ new Int32Array(2);

function reduce(x: number): void {
  // a subnormal x is normalised, its exponent kept in the integer (ix = bits(x 2^52) - 52 << 52)
  const shift = x < MIN_NORMAL ? 52 : 0;
  const xn = shift === 0 ? x : x * 4503599627370496;
  F64[0] = xn;
  // tmp = ix - OFF, OFF = 0x3fe6955500000000 (high words only: OFF's low word is 0)
  const tmp = I32[1] - (shift << 20) - 0x3fe69555;
  const k = tmp >> 20;
  KI[0] = k;
  KI[1] = (tmp >>> 13) & 127;
  // z = asdouble(ix - (tmp & 0xfff << 52)) = x 2^-k, exactly
  LOGX[0] = xn * POW2[1074 - k - shift];
}

/** r = fma(z, invc, -1), exact: invc has at most 9 bits, so zh invc - 1 and zl invc are exact. */
function zOverCMinusOne(z: number, invc: number): number {
  const zh = SPLIT * z - (SPLIT * z - z);
  return zh * invc - 1 + (z - zh) * invc;
}

/**
 * glibc's log_inline(x) of the last x powExact took, exactly: x, logHi, logLo (x is NaN until the
 * first). A schedule raises one base to every epoch (gamma ** epoch, 0.95 ** e), so the exact path,
 * when the fast one cannot decide, mostly finds its logarithm here.
 */
const EXACT_LOG = /* @__PURE__ */ new Float64Array([NaN, 0, 0]);

/** log_inline(x) with every fused step emulated, for finite x > 0: into EXACT_LOG. */
function logInlineExact(x: number): void {
  reduce(x);
  const k = KI[0];
  const i = 3 * KI[1];
  const r = zOverCMinusOne(LOGX[0], POW_TAB[i]);
  const t1 = k * LN2_HI + POW_TAB[i + 1];
  const t2 = t1 + r;
  const lo1 = fma(k, LN2_LO, POW_TAB[i + 2]);
  const lo2 = t1 - t2 + r;
  const ar = -0.5 * r;
  const ar2 = r * ar;
  const ar3 = r * ar2;
  const hi = t2 + ar2;
  const lo3 = fma(ar, r, -ar2);
  const lo4 = t2 - hi + ar2;
  // p = ar3 (A1 + r A2 + ar2 (A3 + r A4 + ar2 (A5 + r A6))), five steps fused, and the sum lo
  const q = fma(ar2, fma(ar2, fma(r, A6, A5), fma(r, A4, A3)), fma(r, A2, A1));
  const lo = fma(ar3, q, lo1 + lo2 + lo3 + lo4);
  const logHi = hi + lo;
  EXACT_LOG[0] = x;
  EXACT_LOG[1] = logHi;
  EXACT_LOG[2] = hi - logHi + lo;
}

/**
 * glibc's pow(x, y) for finite x > 0, x != 1, finite y != 0 (Python's `**` settles the other
 * cases first), every fused step emulated: Infinity on overflow, 0 on underflow.
 */
export function powExact(x: number, y: number): number {
  POW_IN[0] = x;
  POW_IN[1] = y;
  powExactIn();
  return OUT[0];
}

/** powExact(POW_IN[0], POW_IN[1]) into OUT[0], through arrays (see ./exp's expExactIn). */
function powExactIn(): void {
  const x = POW_IN[0];
  const y = POW_IN[1];
  const outside = powOutside(x, y);
  if (outside === outside) {
    OUT[0] = outside;
    return;
  }
  if (x !== EXACT_LOG[0]) logInlineExact(x);
  const logHi = EXACT_LOG[1];
  const logLo = EXACT_LOG[2];
  // ehi + elo = y (logHi + logLo): elo = y logLo + fma(y, logHi, -ehi), fused
  const ehi = y * logHi;
  FMA[0] = y;
  FMA[1] = logHi;
  FMA[2] = -ehi;
  fmaIO();
  FMA[1] = logLo;
  FMA[2] = FMA[3];
  fmaIO();
  EXP_IN[0] = ehi;
  EXP_IN[1] = FMA[3];
  expExactIn();
}

/**
 * powExact(x, y) with the fused steps of log_inline in plain arithmetic: writes glibc's result
 * to OUT[0] and returns true when that is certain, else returns false.
 */
export function powFast(x: number, y: number): boolean {
  POW_IN[0] = x;
  POW_IN[1] = y;
  return powFastIn();
}

/** The arguments of powFastIn, x and y (doubles passed to a call V8 does not inline are boxed). */
const POW_IN = /* @__PURE__ */ new Float64Array(2);

/**
 * log_inline(x) of the last x whose logarithm powFast worked out, for the next calls with the
 * same base (gamma ** epoch, 0.95 ** e): x, log_inline's hi, its results logHi and logLo, a bound
 * on logLo's distance from glibc's, and the Veltkamp halves of logHi. x is NaN until the first.
 */
const LOG_OF = /* @__PURE__ */ new Float64Array([NaN, 0, 0, 0, 0, 0, 0]);

/**
 * log_inline(POW_IN[0]) with its fused steps in plain arithmetic: into LOG_OF when glibc's
 * logHi = RN(hi + lo) is certain, else returns false.
 */
function logInlineFast(): boolean {
  const x = POW_IN[0];
  // reduce(x), inline
  const shift = x < MIN_NORMAL ? 52 : 0;
  const xn = shift === 0 ? x : x * 4503599627370496;
  F64[0] = xn;
  const tmp = I32[1] - (shift << 20) - 0x3fe69555;
  const k = tmp >> 20;
  const i = 3 * ((tmp >>> 13) & 127);
  const z = xn * POW2[1074 - k - shift];
  const zh = SPLIT * z - (SPLIT * z - z);
  const r = zh * POW_TAB[i] - 1 + (z - zh) * POW_TAB[i];
  const t1 = k * LN2_HI + POW_TAB[i + 1];
  const t2 = t1 + r;
  const p1 = k * LN2_LO;
  const lo1 = p1 + POW_TAB[i + 2];
  const lo2 = t1 - t2 + r;
  const r2 = r * r;
  const ar2 = -0.5 * r2; // = r * (-0.5 r), both exact scalings of one rounding
  const ar3 = r * ar2;
  const hi = t2 + ar2;
  // lo3 = fma(ar, r, -ar2) = -0.5 (r r - r2): the exact error of r2 (Dekker's square), halved
  const rh = SPLIT * r - (SPLIT * r - r);
  const rl = r - rh;
  const lo3 = -0.5 * (rh * rh - r2 + 2 * rh * rl + rl * rl);
  const lo4 = t2 - hi + ar2;
  const s12 = lo1 + lo2;
  const s123 = s12 + lo3;
  const s = s123 + lo4;
  const lo = s + ar3 * (A1 + r * A2 + ar2 * (A3 + r * A4 + ar2 * (A5 + r * A6)));
  // |r| < 2^-7: the polynomial is within 2.7u of glibc's, lo within
  // u (|k LN2_LO| + 2 |lo1| + 2 (|s12| + |s123| + |s|) + 3.4 |ar3| + 2 |lo|) (the largest error
  // seen in 2 million random arguments was 0.49 of that)
  const blo =
    U *
    (Math.abs(p1) +
      2 * (Math.abs(lo1) + Math.abs(s12) + Math.abs(s123) + Math.abs(s) + Math.abs(lo)) +
      3.5 * Math.abs(ar3));
  // glibc's logHi = RN(hi + lo) is certain when both ends of lo's range round alike
  const bb = blo + 2 * U * (Math.abs(lo) + blo);
  const logHi = hi + (lo - bb);
  if (logHi !== hi + (lo + bb)) return false;
  const logLo = hi - logHi + lo;
  const lh = SPLIT * logHi - (SPLIT * logHi - logHi);
  LOG_OF[0] = x;
  LOG_OF[1] = hi;
  LOG_OF[2] = logHi;
  LOG_OF[3] = logLo;
  LOG_OF[4] = blo + 2 * U * Math.abs(logLo); // logLo's distance from glibc's
  LOG_OF[5] = lh;
  LOG_OF[6] = logHi - lh;
  return true;
}

/** powFast(POW_IN[0], POW_IN[1]). */
function powFastIn(): boolean {
  const y = POW_IN[1];
  const ay = Math.abs(y);
  if (!(ay >= 2.710505431213761e-20 && ay < 9223372036854775808)) {
    OUT[0] = powOutside(POW_IN[0], y);
    return true;
  }
  if (POW_IN[0] !== LOG_OF[0] && !logInlineFast()) return false;
  // ehi = y (hi + lo) within 2^-12 of y hi: above 711 exp_inline overflows, below -747 it
  // underflows to 0 (e^-747 < 2^-1077, a quarter of the smallest subnormal)
  const yhi = y * LOG_OF[1];
  if (!(yhi < 711 && yhi > -747)) {
    OUT[0] = yhi > 0 ? Infinity : 0;
    return true;
  }
  const logHi = LOG_OF[2];
  const logLo = LOG_OF[3];
  const ehi = y * logHi;
  // ehi's exact error fma(y, logHi, -ehi) (Dekker's product)
  const yh = SPLIT * y - (SPLIT * y - y);
  const yl = y - yh;
  const lh = LOG_OF[5];
  const ll = LOG_OF[6];
  const err = yh * lh - ehi + yh * ll + yl * lh + yl * ll;
  const py = y * logLo;
  const elo = py + err;
  // elo = fma(y, logLo, err) evaluated unfused, from logLo within LOG_OF[4] of glibc's
  EXP_IN[0] = ehi;
  EXP_IN[1] = elo;
  EXP_IN[2] = 1.01 * (ay * LOG_OF[4] + U * (Math.abs(py) + 2 * Math.abs(elo)));
  return expFastIn();
}

/** glibc's pow(x, y) for finite x > 0, x != 1, finite y != 0 (see powExact). */
export function glibcPow(x: number, y: number): number {
  POW_IN[0] = x;
  POW_IN[1] = y;
  // Both results through OUT: with `fast ? OUT[0] : powExact(x, y)`, V8 may merge the unboxed fast
  // result with the slow call's boxed one as a boxed number, a heap number per call.
  if (!powFastIn()) powExactIn();
  return OUT[0];
}

// The warm-up (see ./exp's): every branch of glibcPow (tiny and huge y, overflow, underflow,
// subnormal x and results, glibc's specialcase, a new base and the same one, and arguments whose
// fast path cannot decide, 0.95 ** 5 among them, in each range), 10 rounds at load.
const POW_WARM_UP = [
  0.95, 10, 0.95, 5, 0.95, 10035, 0.95, 13900, 0.95, 20000, 2, 1030, 1.5, 1700, 1.5, 1309.7142857142858, 3, 0.5,
  1e-310, 0.5, 10, -3, 7, 1e-25, 1.0000001, 1e19, 1 - 1e-10, 1e12,
];
for (let round = 0; round < 10; round++) {
  for (let i = 0; i < POW_WARM_UP.length; i += 2) glibcPow(POW_WARM_UP[i], POW_WARM_UP[i + 1]);
}
