/*! tfjs-lr-scheduler lib/math/sin-cos: follows glibc's s_sin.c (IBM Accurate Mathematical Library), Copyright (C) 2001-2022 Free Software Foundation, Inc.; LGPL-2.1-or-later */
/**
 * sin and cos exactly as glibc's libm computes them on x86-64 with FMA and AVX2 (`__sin_fma`,
 * `__cos_fma`, glibc 2.29 to 2.42), which is what CPython's math.sin and math.cos return on
 * x86-64 Linux. This file follows the IBM Accurate Mathematical Library's
 * sysdeps/ieee754/dbl-64/s_sin.c (with usncs.h's constants) operation for operation: `__sin`,
 * `__cos`, `do_sin`, `do_cos`, `reduce_sincos`, `do_sincos` and `TAYLOR_SIN` keep their names
 * (in camelCase) and their order of operations; the table is ./sincostab, the reduction of huge
 * arguments ./branred.
 *
 * glibc builds the `_fma` variant with -mfma -mavx2 and GCC's default -ffp-contract=fast, so GCC
 * fuses some `a * b + c` into one fused multiply-add, rounded once. Which ones was read off
 * libm.so.6 of Debian's glibc 2.36 (objdump -d of `__sin_fma` and `__cos_fma`: 70
 * vfmadd/vfmsub/vfnmadd each; every inlined copy of do_sin, do_cos and TAYLOR_SIN fuses the same
 * sites). Each fused site is marked `fma(a, b, c)` below and yields RN(a * b + c), rounded once
 * (RN: round to nearest, ties to even; u = 2^-53; ulp(v): the spacing of doubles at v):
 *
 * - Exact product: where a * b is exact in doubles (reduce_sincos's products of the 26-bit integer
 *   xn with its 26- and 27-bit constants), the fma is the plain expression.
 * - Dominant addend ("DA"), where |c| >= 5 |p| with p = RN(a * b), proven or checked: then
 *   s = RN(p + c) is RN(a * b + c) unless p + c lies exactly on a midpoint between two doubles.
 *   Proof: p and c are multiples of q = ulp(p), and so are the midpoints next to s (|s| > 2 |p|);
 *   the product's error e = a * b - p is at most q / 2, so it cannot carry p + c across a
 *   midpoint unless p + c sits on it. The exact error t = p + c - s (fast two-sum) shows a
 *   midpoint: t != 0 and s + 2t is a double (or, where the spacing is fixed, |t| is its half).
 *   Then, rarely, the exact evaluation (`fma`) decides.
 * - Plain operations and a rounding test, for the last steps of do_cos, do_sin and TAYLOR_SIN
 *   (three or four fused sites before the final sum R = RN(T + cor)): they are first evaluated
 *   unfused, f = RN(RN(a * b) + c'), where c' is the unfused value of an earlier site. Each such
 *   f is within (E(c) + |a| E(b)) (1 + u) + 3u (1 + 2u) (|RN(a * b)| + |c'|) of glibc's value
 *   (E: the bound carried by an operand; from |RN(v) - v| <= u |v| four times), which adds up to
 *   a bound D on |cor - glibc's cor|, below 4u times a few of the computed magnitudes (derived at
 *   each site). Then RN(T + RN(cor - D)) = RN(T + RN(cor + D)) is glibc's result, since RN is
 *   monotonic. Otherwise (on random arguments 0.6% of do_cos's calls, 1.1% of TAYLOR_SIN's with
 *   dx != 0, 2.9% of do_sin's table branch) the exact evaluation below decides.
 * - Exact (`fma`, for the rare paths): a * b = p + e exactly (Veltkamp/Dekker splitting),
 *   p + c = h + t exactly (two-sum), u = RN(t + e), r = RN(h + u).
 *   This is RN(a * b + c) unless h + u lies exactly on a midpoint (r + 2w is a double,
 *   w = h + u - r) while u is inexact; its error v then decides. Proof: if t = 0, r = RN(h + e)
 *   directly; else |h| >= |p| / 2, so |u| <= 1.5 ulp(h), and h + u (a multiple of ulp(u), as are
 *   the midpoints next to r) is on a midpoint or at least ulp(u) away from all, more than
 *   |v| <= ulp(u) / 2.
 *
 * No operation here overflows or underflows (the smallest products are above 2^-200), so the
 * splittings are exact; zero results of fused sites may differ in sign from glibc's, which
 * cannot reach a result (each result adds a nonzero table value or argument). The hot paths
 * allocate nothing: arguments and results pass through the Float64Array IO, because V8 boxes a
 * double passed to or returned from a call it does not inline, and TurboFan may box a value
 * shared by several such calls ahead of the branches that make them.
 *
 * IBM Accurate Mathematical Library
 * written by International Business Machines Corp.
 * Copyright (C) 2001-2022 Free Software Foundation, Inc.
 *
 * This program is free software; you can redistribute it and/or modify it under the terms of the
 * GNU Lesser General Public License as published by the Free Software Foundation; either version
 * 2.1 of the License, or (at your option) any later version. It is distributed in the hope that it
 * will be useful, but WITHOUT ANY WARRANTY; without even the implied warranty of MERCHANTABILITY
 * or FITNESS FOR A PARTICULAR PURPOSE. See the GNU Lesser General Public License for more details
 * (<https://www.gnu.org/licenses/>).
 */
import { branred } from './branred';
import { SINCOSTAB } from './sincostab';

// The numeric constants are declared inside the functions that use them (V8 would load
// module-level ones from the module's context on every use); their values are usncs.h's and
// s_sin.c's (sn3 ... cs6 are s_sin.c's decimal constants rounded to double: cs2 is 0.5).

/** Veltkamp's splitter 2^27 + 1: a = hi + lo with hi = g - (g - a), g = SPLIT * a, 26 bits each. */
const SPLIT = 134217729;

/** Slots of IO: argument, reduced argument a + da, result, and the operands of the rare paths. */
const enum Io {
  X = 0,
  A = 1,
  DA = 2,
  RES = 3,
  /** fmaIO's operands and result */
  FMA_A = 4,
  FMA_B = 5,
  FMA_C = 6,
  FMA = 7,
  /** operands of the exact evaluations: x or s, dx or c, xx, polynomial, m2, table index */
  E0 = 8,
  E1 = 9,
  E2 = 10,
  E3 = 11,
  E4 = 12,
  E5 = 13,
}
const IO = new Float64Array(14);

/**
 * 1 in every other round of this module's warm-up (at its end), 0 after: every rare path below
 * runs as if its test had failed. Each rare path computes glibc's value for any argument, only
 * more slowly, so the results are the same; what it changes is V8's: code that has never run has
 * no type feedback, and TurboFan compiles it as a deoptimization, so the first argument to take a
 * rare path (a tie, a failed rounding test: from once in 40 calls to once in billions) would throw
 * the optimized sin and cos back to the interpreter, which boxes every number (about 10 MB of
 * garbage each time, measured over 10^7 schedule steps), until V8 optimizes them again.
 */
let warming = 1;
const BRANRED_IO = new Float64Array(2);

/**
 * RN(a * b + c), exactly, for the rare paths: a * b = p + e (Veltkamp/Dekker), p + c = h + t
 * (two-sum), r = RN(h + RN(t + e)), corrected on a midpoint (see the header). a, b, c from
 * IO[FMA_A], IO[FMA_B], IO[FMA_C]; r to IO[FMA].
 */
function fmaIO(): void {
  const a = IO[Io.FMA_A];
  const b = IO[Io.FMA_B];
  const c = IO[Io.FMA_C];
  let g = SPLIT * a;
  const ah = g - (g - a);
  const al = a - ah;
  g = SPLIT * b;
  const bh = g - (g - b);
  const bl = b - bh;
  const p = a * b;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  const h = p + c;
  let z = h - p;
  const t = p - (h - z) + (c - z);
  const u = t + e;
  let r = h + u;
  const w = u - (r - h);
  if (w !== 0 && r + 2 * w - r === 2 * w) {
    z = u - t;
    const v = t - (u - z) + (e - z);
    if (v !== 0 && v > 0 === w > 0) r += 2 * w;
  }
  IO[Io.FMA] = r;
}

/** fmaIO as a function of a, b, c: small enough for V8 to inline, so that no double is boxed. */
function fma(a: number, b: number, c: number): number {
  IO[Io.FMA_A] = a;
  IO[Io.FMA_B] = b;
  IO[Io.FMA_C] = c;
  fmaIO();
  return IO[Io.FMA];
}

/**
 * do_cos: cos(x + dx) from the table entry nearest |x| and polynomials in the remainder
 * (|x| < 0.855469, |dx| <= 2^-52 as every caller's). Reads x from IO[A], dx from IO[DA];
 * writes IO[RES].
 */
function doCos(): void {
  const BIG = 52776558133248; // 0x1.8p45: BIG + |x| rounds |x| to a multiple of 1/128
  const SN3 = -0.16666666666666488;
  const SN5 = 0.008333332142857223;
  const CS4 = -0.04166666666666644;
  const CS6 = 0.001388888740079376;
  const x = IO[Io.A];
  let dx = IO[Io.DA];
  if (x < 0) dx = -dx;
  const ax = Math.abs(x);
  const ub = BIG + ax;
  const xb = ub - BIG;
  const k = (xb * 512) | 0; // u.i[LOW_HALF] << 2
  const y = ax - xb + dx; // |y| <= 2^-8 + 2^-52
  const xx = y * y;
  let p: number, t: number;

  // s = y + y * xx * (sn3 + xx * sn5) = fma(y * xx, fma(sn5, xx, sn3), y): DA twice
  // (|xx * sn5| < 2^-22 next to sn3 in [2^-3, 2^-2), half spacing 2^-56; |y * xx * q| < |y| 2^-18)
  p = SN5 * xx;
  let q = SN3 + p;
  t = p - (q - SN3);
  if (Math.abs(t) === 1.3877787807814457e-17 || warming) {
    IO[Io.FMA_A] = SN5; IO[Io.FMA_B] = xx; IO[Io.FMA_C] = SN3; fmaIO(); q = IO[Io.FMA];
  }
  const yxx = y * xx;
  p = yxx * q;
  let s = y + p;
  t = p - (s - y);
  if ((t !== 0 && s + 2 * t - s === 2 * t) || warming) {
    IO[Io.FMA_A] = yxx; IO[Io.FMA_B] = q; IO[Io.FMA_C] = y; fmaIO(); s = IO[Io.FMA];
  }

  // c = xx * (cs2 + xx * (cs4 + xx * cs6)) = xx * fma(fma(cs6, xx, cs4), xx, cs2): DA twice
  // (cs4 in [2^-5, 2^-4), half spacing 2^-58; 0.5 + xx * q in [0.25, 0.5], half spacing 2^-55)
  p = CS6 * xx;
  q = CS4 + p;
  t = p - (q - CS4);
  if (Math.abs(t) === 3.469446951953614e-18 || warming) {
    IO[Io.FMA_A] = CS6; IO[Io.FMA_B] = xx; IO[Io.FMA_C] = CS4; fmaIO(); q = IO[Io.FMA];
  }
  p = q * xx;
  let q2 = 0.5 + p;
  t = p - (q2 - 0.5);
  if (Math.abs(t) === 2.7755575615628914e-17 || warming) {
    IO[Io.FMA_A] = q; IO[Io.FMA_B] = xx; IO[Io.FMA_C] = 0.5; fmaIO(); q2 = IO[Io.FMA];
  }
  const c = xx * q2;

  // cor = (ccs - s * ssn - cs * c) - sn * s = fma(-sn, s, fma(-c, cs, fma(-s, ssn, ccs))), unfused
  // here. With |ccs| <= 2^-54 and |s * ssn| <= 2^-62 (table and |s| <= 2^-7.9), the bound of
  // the header sums to 3u (1 + 4u) (2^-52 + (2 + u) |p2| + |p3|), below D.
  const sn = SINCOSTAB[k];
  const cs = SINCOSTAB[k + 2];
  const p2 = -c * cs;
  const p3 = -sn * s;
  const cor = SINCOSTAB[k + 3] + -s * SINCOSTAB[k + 1] + p2 + p3;
  const d = (Math.abs(p2) * 2 + Math.abs(p3) + 2.220446049250313e-16) * 4.440892098500626e-16;
  const r = cs + (cor - d);
  if (r === cs + (cor + d) && !warming) {
    IO[Io.RES] = r;
    return;
  }
  IO[Io.E0] = s;
  IO[Io.E1] = c;
  IO[Io.E5] = k;
  cosTableExact();
}

/** do_cos's cs + cor evaluated exactly, from s, c and k in IO[E0], IO[E1], IO[E5]; to IO[RES]. */
function cosTableExact(): void {
  const s = IO[Io.E0];
  const c = IO[Io.E1];
  const k = IO[Io.E5] | 0;
  const f1 = fma(-s, SINCOSTAB[k + 1], SINCOSTAB[k + 3]);
  const f2 = fma(-c, SINCOSTAB[k + 2], f1);
  const cor = fma(-SINCOSTAB[k], s, f2);
  IO[Io.RES] = SINCOSTAB[k + 2] + cor;
}

/**
 * do_sin: sin(x + dx); TAYLOR_SIN for |x| < 0.126, else from the table entry nearest |x|
 * (|x| < 0.855469, |dx| <= 2^-52 as every caller's). Reads x from IO[A], dx from IO[DA];
 * writes IO[RES].
 */
function doSin(): void {
  const xold = IO[Io.A];
  let dx = IO[Io.DA];
  let p: number, t: number;

  if (xold < 0.126 && xold > -0.126) {
    // TAYLOR_SIN(x * x, x, dx) = x + ((POLYNOMIAL(xx) * x - 0.5 * dx) * xx + dx), where
    // POLYNOMIAL(xx) = (((s5 * xx + s4) * xx + s3) * xx + s2) * xx + s1: four DA fmas
    // (|xx| < 0.0159; s4, s3, s2, s1 stay in their binades, half spacings 2^-72, 2^-66, 2^-60, 2^-56)
    const S1 = -0.16666666666666666;
    const S2 = 0.008333333333332329;
    const S3 = -0.00019841269834414642;
    const S4 = 2.755729806860771e-6;
    const S5 = -2.5022014848318398e-8;
    const x = xold;
    const xx = x * x;
    p = S5 * xx;
    let q = S4 + p;
    t = p - (q - S4);
    if (Math.abs(t) === 2.117582368135751e-22 || warming) {
      IO[Io.FMA_A] = S5; IO[Io.FMA_B] = xx; IO[Io.FMA_C] = S4; fmaIO(); q = IO[Io.FMA];
    }
    p = q * xx;
    let q2 = S3 + p;
    t = p - (q2 - S3);
    if (Math.abs(t) === 1.3552527156068805e-20 || warming) {
      IO[Io.FMA_A] = q; IO[Io.FMA_B] = xx; IO[Io.FMA_C] = S3; fmaIO(); q2 = IO[Io.FMA];
    }
    p = q2 * xx;
    q = S2 + p;
    t = p - (q - S2);
    if (Math.abs(t) === 8.673617379884035e-19 || warming) {
      IO[Io.FMA_A] = q2; IO[Io.FMA_B] = xx; IO[Io.FMA_C] = S2; fmaIO(); q = IO[Io.FMA];
    }
    p = q * xx;
    q2 = S1 + p;
    t = p - (q2 - S1);
    if (Math.abs(t) === 1.3877787807814457e-17 || warming) {
      IO[Io.FMA_A] = q; IO[Io.FMA_B] = xx; IO[Io.FMA_C] = S1; fmaIO(); q2 = IO[Io.FMA];
    }

    // fma(POLYNOMIAL(xx), x, -0.5 * dx) = m, then fma(m, xx, dx) = tt: unfused here. For dx = 0
    // both are rounded products (sin of |x| < 0.126 itself), exactly glibc's. Else the bound of
    // the header sums to 3u (1 + 4u) ((|pm| + |0.5 dx|) xx + |ptt| + |dx|), below D.
    const hdx = -0.5 * dx;
    const pm = q2 * x;
    const ptt = (pm + hdx) * xx;
    const tt = ptt + dx;
    if (dx === 0) {
      IO[Io.RES] = x + tt;
      return;
    }
    const d = ((Math.abs(pm) + Math.abs(hdx)) * xx + Math.abs(ptt) + Math.abs(dx)) * 4.440892098500626e-16;
    const r = x + (tt - d);
    if (r === x + (tt + d) && !warming) {
      IO[Io.RES] = r;
      return;
    }
    IO[Io.E0] = x;
    IO[Io.E1] = dx;
    IO[Io.E2] = xx;
    IO[Io.E3] = q2;
    taylorExact();
    return;
  }

  const BIG = 52776558133248;
  const SN3 = -0.16666666666666488;
  const SN5 = 0.008333332142857223;
  const CS4 = -0.04166666666666644;
  const CS6 = 0.001388888740079376;
  if (xold <= 0) dx = -dx;
  const ax = Math.abs(xold);
  const ub = BIG + ax;
  const xb = ub - BIG;
  const k = (xb * 512) | 0; // u.i[LOW_HALF] << 2
  const x = ax - xb; // |x| <= 2^-8
  const xx = x * x;

  // s = x + (dx + x * xx * (sn3 + xx * sn5)) = x + fma(x * xx, fma(sn5, xx, sn3), dx): DA, then
  // unfused: |f - glibc's| <= 3u (1 + 2u) (|pf| + |dx|) < df, and s is glibc's when
  // RN(x + RN(f - df)) = RN(x + RN(f + df)) (fails with probability below 2^-16)
  p = SN5 * xx;
  let qs = SN3 + p;
  t = p - (qs - SN3);
  if (Math.abs(t) === 1.3877787807814457e-17 || warming) {
    IO[Io.FMA_A] = SN5; IO[Io.FMA_B] = xx; IO[Io.FMA_C] = SN3; fmaIO(); qs = IO[Io.FMA];
  }
  const pf = x * xx * qs;
  const f = pf + dx;
  const df = (Math.abs(pf) + Math.abs(dx)) * 4.440892098500626e-16;
  const s = x + f;

  // c = x * dx + xx * (cs2 + xx * (cs4 + xx * cs6)) = fma(x, dx, xx * fma(fma(cs6, xx, cs4), xx, cs2)):
  // DA twice (as in doCos), then unfused
  p = CS6 * xx;
  let q = CS4 + p;
  t = p - (q - CS4);
  if (Math.abs(t) === 3.469446951953614e-18 || warming) {
    IO[Io.FMA_A] = CS6; IO[Io.FMA_B] = xx; IO[Io.FMA_C] = CS4; fmaIO(); q = IO[Io.FMA];
  }
  p = q * xx;
  let q2 = 0.5 + p;
  t = p - (q2 - 0.5);
  if (Math.abs(t) === 2.7755575615628914e-17 || warming) {
    IO[Io.FMA_A] = q; IO[Io.FMA_B] = xx; IO[Io.FMA_C] = 0.5; fmaIO(); q2 = IO[Io.FMA];
  }
  const m2 = xx * q2;
  const px = x * dx;
  const c = m2 + px;

  // cor = (ssn + s * ccs - sn * c) + cs * s = fma(s, cs, fma(-c, sn, fma(s, ccs, ssn))), unfused.
  // With |ssn| <= 2^-54, |s * ccs| <= 2^-62 and |sn| < 1, the bound of the header (c carrying
  // its own) sums to 3u (1 + 4u) (2^-52 + (2 + u) |p2| + |p3| + |m2| + |px|), below D.
  const sn = SINCOSTAB[k];
  const p2 = -c * sn;
  const p3 = s * SINCOSTAB[k + 2];
  const cor = SINCOSTAB[k + 1] + s * SINCOSTAB[k + 3] + p2 + p3;
  const d =
    (Math.abs(p2) * 2 + Math.abs(p3) + Math.abs(m2) + Math.abs(px) + 2.220446049250313e-16) *
    4.440892098500626e-16;
  const r = sn + (cor - d);
  if (r === sn + (cor + d) && x + (f - df) === x + (f + df) && !warming) {
    IO[Io.RES] = xold < 0 ? -r : r; // copysign (sn + cor, xold); sn + cor > 0
    return;
  }
  IO[Io.E0] = x;
  IO[Io.E1] = dx;
  IO[Io.E2] = xx;
  IO[Io.E3] = qs;
  IO[Io.E4] = m2;
  IO[Io.E5] = k;
  sinTableExact();
  if (xold < 0) IO[Io.RES] = -IO[Io.RES];
}

/** TAYLOR_SIN's x + fma(fma(poly, x, -0.5 dx), xx, dx) exactly, from IO[E0 .. E3]; to IO[RES]. */
function taylorExact(): void {
  const x = IO[Io.E0];
  const dx = IO[Io.E1];
  const xx = IO[Io.E2];
  IO[Io.RES] = x + fma(fma(IO[Io.E3], x, -0.5 * dx), xx, dx);
}

/**
 * do_sin's table branch, sn + cor, evaluated exactly from x, dx (sign applied), xx, the
 * polynomial fma(sn5, xx, sn3), m2 and k in IO[E0 .. E5]; to IO[RES].
 */
function sinTableExact(): void {
  const x = IO[Io.E0];
  const dx = IO[Io.E1];
  const k = IO[Io.E5] | 0;
  const s = x + fma(x * IO[Io.E2], IO[Io.E3], dx);
  const c = fma(x, dx, IO[Io.E4]);
  const f1 = fma(s, SINCOSTAB[k + 3], SINCOSTAB[k + 1]);
  const f2 = fma(-c, SINCOSTAB[k], f1);
  const cor = fma(s, SINCOSTAB[k + 2], f2);
  IO[Io.RES] = SINCOSTAB[k] + cor;
}

/**
 * reduce_sincos's b = fma(-xn, pp4, t2) and fma(-xn, pp4, t2 - b), exactly, for |t2| < 5 |q|
 * and for the midpoint case of the DA shortcut: xn and t2 from IO[E0], IO[E1]; b to IO[E0], the
 * second to IO[E1].
 */
function reduceGeneral(): void {
  const PP4 = -1.9034889620193266e-25;
  const xn = IO[Io.E0];
  const t2 = IO[Io.E1];
  const b = fma(-xn, PP4, t2);
  IO[Io.E0] = b;
  IO[Io.E1] = fma(-xn, PP4, t2 - b);
}

/**
 * __sin (cosine = 0) or __cos (cosine = 1) of IO[X] into IO[RES], with reduce_sincos (for
 * 2.426265 <= |x| < 105414336: x = n * pi/2 + (a + da), |da| <= 2^-52) written in. One function
 * for both, too large for V8 to inline into sin and cos: these stay branch-free and inline into
 * their callers, so a branch taken for the first time deoptimizes this function only.
 */
function sinCos(cosine: number): void {
  const MP1 = 1.5707963407039642; // 26 bits
  const MP2 = -1.3909067564377153e-8; // 27 bits
  const PP3 = -4.97899623147991e-17; // 26 bits
  const PP4 = -1.9034889620193266e-25;
  const PP4H = -1.9034889470454776e-25; // PP4's Veltkamp split, 26 bits each: with |xn| < 2^26,
  const PP4L = -1.497384905065873e-33; // xn * PP4H and xn * PP4L are exact
  const HPINV = 0.6366197723675814;
  const TOINT = 6755399441055744; // 0x1.8p52
  const x = IO[Io.X];
  const ax = Math.abs(x);
  let n: number;
  if (ax < 0.85546875) {
    // k < 0x3feb6000
    if (cosine) {
      if (ax < 7.450580596923828e-9) {
        // k < 0x3e400000: cos(x) = 1 for |x| < 2^-27
        IO[Io.RES] = 1;
        return;
      }
      IO[Io.A] = x;
      IO[Io.DA] = 0;
      doCos();
      return;
    }
    if (ax < 1.4901161193847656e-8) {
      // k < 0x3e500000: sin(x) = x for |x| < 2^-26
      IO[Io.RES] = x;
      return;
    }
    IO[Io.A] = x;
    IO[Io.DA] = 0;
    doSin();
    return;
  }
  if (ax < 2.4262638092041016) {
    // k < 0x400368fd
    if (cosine) {
      // do_sin (hp0 - |x| + hp1 as a + da)
      const y = 1.5707963267948966 - ax;
      const a = y + 6.123233995736766e-17;
      IO[Io.A] = a;
      IO[Io.DA] = y - a + 6.123233995736766e-17;
      doSin();
      return;
    }
    // copysign (do_cos (hp0 - |x|, hp1), x)
    IO[Io.A] = 1.5707963267948966 - ax;
    IO[Io.DA] = 6.123233995736766e-17;
    doCos();
    if (x < 0) IO[Io.RES] = -IO[Io.RES];
    return;
  }
  if (ax < 105414336) {
    // k < 0x419921FB: reduce_sincos. t = fma(x, hpinv, toint): DA (|x * hpinv| < 2^26; t rounds it to an integer, half spacing 0.5)
    const p = x * HPINV;
    let t = TOINT + p;
    const te = p - (t - TOINT);
    if (Math.abs(te) === 0.5 || warming) {
      IO[Io.FMA_A] = x; IO[Io.FMA_B] = HPINV; IO[Io.FMA_C] = TOINT; fmaIO(); t = IO[Io.FMA];
    }
    const xn = t - TOINT;
    n = xn & 3; // v.i[LOW_HALF] & 3
    // y = (x - xn * mp1) - xn * mp2, t2 = y - xn * pp3 and (y - t2) - xn * pp3: fused, but
    // xn * mp1, xn * mp2 and xn * pp3 are exact
    const y = x - xn * MP1 - xn * MP2;
    const t1 = xn * PP3;
    const t2 = y - t1;
    let db = y - t2 - t1;

    // b = t2 - xn * pp4 = fma(-xn, pp4, t2), then db += (t2 - b) - xn * pp4 = fma(-xn, pp4, t2 - b).
    // -xn * pp4 = q + qe exactly (Dekker, with xn's split xn + 0).
    const q = -xn * PP4;
    const qe = -xn * PP4H - q + -xn * PP4L;
    // DA when |t2| >= 5 |q|: then b = RN(t2 + q) unless t2 + q = b + tb is a midpoint, t2 - b is
    // exact (Sterbenz) and fma(-xn, pp4, t2 - b) = RN((t2 + q - b) + qe) = RN(tb + qe).
    let b = t2 + q;
    const tb = q - (b - t2);
    if (Math.abs(t2) >= 5 * Math.abs(q) && (tb === 0 || b + 2 * tb - b !== 2 * tb) && !warming) {
      db += tb + qe;
    } else {
      IO[Io.E0] = xn;
      IO[Io.E1] = t2;
      reduceGeneral();
      b = IO[Io.E0];
      db += IO[Io.E1];
    }

    IO[Io.A] = b;
    IO[Io.DA] = db;
  } else if (ax < Infinity) {
    BRANRED_IO[0] = x;
    n = branred(BRANRED_IO);
    IO[Io.A] = BRANRED_IO[0];
    IO[Io.DA] = BRANRED_IO[1];
  } else {
    IO[Io.RES] = x - x; // NaN, as x / x
    return;
  }
  // do_sincos (a, da, n), and n + 1 for cos
  n += cosine;
  if (n & 1) doCos();
  else doSin();
  if (n & 2) IO[Io.RES] = -IO[Io.RES];
}

/** glibc's sin(x) (`__sin_fma`); NaN for infinite or NaN x. */
export function sin(x: number): number {
  IO[Io.X] = x;
  sinCos(0);
  return IO[Io.RES];
}

/** glibc's cos(x) (`__cos_fma`); NaN for infinite or NaN x. */
export function cos(x: number): number {
  IO[Io.X] = x;
  sinCos(1);
  return IO[Io.RES];
}

// The warm-up (see `warming`): every branch of both functions (each range, both signs of x and of
// the reduced argument, Taylor and table, dx zero and not, NaN), 12 rounds (V8 allocates a
// function's feedback vector after several calls and records types from then on), alternately
// with each rare path forced and with the tests as they fall, so that the common exits, skipped
// while forcing, have feedback too. Branred's arguments, slow before optimization, in the last 4
// rounds only: 700 calls, about 3 ms at load (importing this module alone: 3.6 ms without, 6.5 ms
// with).
const WARM_UP = [
  0, -5e-9, 1e-8, 2e-8, -2e-8, 0.05, -0.1, 0.5, -0.8, 1, -1, 1.5, -1.6, 2.4, -2.2, 3, -3.1, 3.2, 4.7, -4.8, 6.3,
  -7.25, 100.5, 3e6, -1e8, NaN, -Infinity, 2e8, -3e10, 1e22, 1e300,
];
for (let round = 0; round < 12; round++) {
  warming = (round + 1) & 1;
  for (let i = 0; i < (round < 8 ? WARM_UP.length - 4 : WARM_UP.length); i++) {
    cos(WARM_UP[i]);
    sin(WARM_UP[i]);
  }
}
warming = 0;
