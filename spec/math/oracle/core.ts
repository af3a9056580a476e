/**
 * The test oracle of spec/math: correctly rounded exp, log, pow, cos and sin (round to nearest,
 * ties to even). It was pymath's implementation before pymath followed glibc (issue 11); now
 * spec/math/check.ts uses it to count the inputs where glibc is not correctly rounded.
 *
 * Each function evaluates a double-double approximation h + l together with a bound e on its
 * absolute error, then applies Ziv's rounding test: if h + (l + e) and h + (l - e) round to
 * the same double, that double is the correctly rounded result. Otherwise (about one call in
 * 10^4 or fewer) the BigInt evaluation in ./mp decides. The fast paths allocate nothing:
 * intermediate pairs and results travel through the Float64Array R.
 *
 * The error bounds follow from the operation counts (commented at each bound) and were checked
 * against mpmath on a few hundred thousand arguments: the largest observed error is below 0.2
 * of its bound.
 */
import { EXP2_TABLE, LOG_IMIN, LOG_TABLE, TRIG_ODD, TRIG_TABLE } from './tables';
import { mpCosSin, mpExp, mpLog, mpPow, pow2 } from './mp';

const SPLIT = 134217729; // 2^27 + 1, Veltkamp splitter
const SHIFT = 6755399441055744; // 1.5 * 2^52: (v + SHIFT) - SHIFT rounds v to an integer

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

// ---------------------------------------------------------------------------------------------
// exp

const INV_LN2_512 = 738.6598609351493; // 512 / ln 2
// ln2/512 = C1 + C2 + C3; C1, C2 have 33 significant bits so k*C1, k*C2 are exact for |k| < 2^20.
const C1 = 0.0013538030868858186;
const C2 = 1.4532455292583944e-13;
const C3 = 4.09018443216811e-24;

// Results of the cores. A Float64Array, not `let` variables: V8 boxes doubles stored in
// module-scope variables, and doubles returned from functions it does not inline, which would
// allocate on every call. So each large function stores its result in R[OUT] and a tiny
// exported wrapper (which V8 inlines into callers) reads it.
const R = new Float64Array(11);
const EH = 0;
const EL = 1;
const EM = 2;
const EERR = 3;
const LH = 4;
const LLO = 5;
const LERR = 6;
const TRH = 7;
const TRL = 8;
const TERR = 9;
const OUT = 10;

/**
 * exp(xh + xl) = (EH + EL) * 2^EM with relative error below EERR (|xh| < 760, |xl| < 2^-40).
 */
function expCore(xh: number, xl: number): void {
  const kd = xh * INV_LN2_512 + SHIFT - SHIFT;
  const k = kd | 0;
  const j = k & 511;
  R[EM] = (k - j) / 512;
  // r = x - k ln2/512 as rh + rl; x - k*C1 is exact (Sterbenz), k*C2 is exact.
  const r1 = xh - kd * C1;
  const w = -kd * C2;
  const rh = r1 + w;
  const bb = rh - r1;
  const rl = r1 - (rh - bb) + (w - bb) + xl - kd * C3;
  // exp(rh) - 1 - rh = q, |r| <= 2^-10.5; Taylor to degree 6 (remainder < 2^-86).
  const r2 = rh * rh;
  const q =
    r2 * (0.5 + rh * 0.16666666666666666) +
    r2 * r2 * (0.041666666666666664 + rh * 0.008333333333333333 + r2 * 0.001388888888888889);
  // exp(rh + rl) = (1 + rh + q) * (1 + rl + ...); rl is up to 2^-44 when xl comes from pow
  const s = q + (rl + (rh + q) * rl);
  const th = EXP2_TABLE[2 * j];
  const tl = EXP2_TABLE[2 * j + 1];
  // th * rh exactly (Dekker)
  const ph = th * rh;
  let t = SPLIT * th;
  const ah = t - (t - th);
  const al = th - ah;
  t = SPLIT * rh;
  const bh = t - (t - rh);
  const bl = rh - bh;
  const pe = ah * bh - ph + ah * bl + al * bh + al * bl;
  const h = th + ph;
  const e1 = th - h + ph;
  R[EH] = h;
  R[EL] = e1 + (pe + (tl + th * s + tl * rh));
  // rounding errors of q, th*s and the sums in EL: a few ulps of q
  R[EERR] = q * 7.105427357601002e-15 + 8.271806125530277e-25; // q * 2^-47 + 2^-80
}

/** e^x into R[OUT]. */
function expFast(x: number): void {
  if (!(x < 709.8)) {
    R[OUT] = x >= 709.8 ? Infinity : NaN;
    return;
  }
  if (x < -708.3) {
    R[OUT] = x < -746 ? 0 : mpExp(x);
    return;
  }
  expCore(x, 0);
  const h = R[EH];
  const l = R[EL];
  const m = R[EM];
  const e = h * R[EERR];
  const ru = h + (l + e);
  if (ru === h + (l - e)) {
    R[OUT] = m > 1000 ? ru * pow2(m - 100) * 1.2676506002282294e30 : ru * pow2(m);
    return;
  }
  R[OUT] = mpExp(x);
}

/** Correctly rounded e^x for finite x; Infinity on overflow, 0 on underflow. */
export function crExp(x: number): number {
  expFast(x);
  return R[OUT];
}

// ---------------------------------------------------------------------------------------------
// log

/** 2^-k for k = -1023..1023, indexed by k + 1023. */
const POW2_NEG = new Float64Array(2047);
for (let k = -1023; k <= 1023; k++) POW2_NEG[k + 1023] = pow2(-k);

const LN2H = 0.693147180559663; // 41 significant bits: E * LN2H is exact
const LN2L = 2.8235290563031577e-13;
const SQRT2 = 1.4142135623730951;

/** log(x) = LH + LLO with absolute error below LERR, for finite x > 0. */
function logCore(x: number): void {
  let E = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54
    E = -54;
  }
  f64[0] = x;
  const be = (u32[1] >>> 20) - 1023;
  E += be;
  let m = x * POW2_NEG[be + 1023]; // x * 2^-be, exact
  if (m > SQRT2) {
    m *= 0.5;
    E += 1;
  }
  const idx = 3 * ((((m - 1) * 512 + SHIFT - SHIFT) | 0) - LOG_IMIN);
  const inv = LOG_TABLE[idx];
  // r = m * inv - 1 exactly, as rh + rl
  const P = m * inv;
  let t = SPLIT * m;
  const ah = t - (t - m);
  const al = m - ah;
  t = SPLIT * inv;
  const bh = t - (t - inv);
  const bl = inv - bh;
  const pe = ah * bh - P + ah * bl + al * bh + al * bl;
  const r0 = P - 1;
  const rh = r0 + pe;
  const rl = pe - (rh - r0);
  // rh^2 = s + se exactly
  const s = rh * rh;
  t = SPLIT * rh;
  const ch = t - (t - rh);
  const cl = rh - ch;
  const se = ch * ch - s + 2 * ch * cl + cl * cl;
  // log1p(r) = r - r^2/2 + tail, |r| < 2^-9.4
  const tail =
    rh *
    s *
    (0.3333333333333333 +
      rh * (-0.25 + rh * (0.2 + rh * (-0.16666666666666666 + rh * (0.14285714285714285 + rh * -0.125)))));
  // high parts: E*LN2H (exact) + Lhi + rh - s/2, summed without error
  const A = E * LN2H;
  const B = LOG_TABLE[idx + 1];
  let h = A + B;
  const e1 = A - h + B;
  let h2 = h + rh;
  let z = h2 - h;
  const e2 = h - (h2 - z) + (rh - z);
  const d = -0.5 * s;
  h = h2 + d;
  z = h - h2;
  const e3 = h2 - (h - z) + (d - z);
  const l = e1 + e2 + e3 + (E * LN2L + LOG_TABLE[idx + 2] + rl - 0.5 * se - rh * rl + tail);
  h2 = h + l;
  R[LLO] = l - (h2 - h);
  R[LH] = h2;
  // tail's rounding and the sums in l (|tail| * 2^-48), everything else ((|h| + |E ln2|) * 2^-90)
  R[LERR] =
    Math.abs(tail) * 3.552713678800501e-15 +
    (Math.abs(h) + Math.abs(A)) * 8.077935669463161e-28 +
    1e-300;
}

/** log(x) into R[OUT]. */
function logFast(x: number): void {
  logCore(x);
  const h = R[LH];
  const l = R[LLO];
  const e = R[LERR];
  const ru = h + (l + e);
  if (ru === h + (l - e)) {
    R[OUT] = ru;
    return;
  }
  R[OUT] = mpLog(x);
}

/** Correctly rounded natural logarithm of finite x > 0. */
export function crLog(x: number): number {
  logFast(x);
  return R[OUT];
}

// ---------------------------------------------------------------------------------------------
// pow

/** x^y into R[OUT]. */
function powFast(x: number, y: number): void {
  logCore(x);
  const lh = R[LH];
  const th = y * lh;
  if (!(th < 709.8)) {
    R[OUT] = Infinity;
    return;
  }
  if (th < -708.3) {
    R[OUT] = th < -746 ? 0 : mpPow(x, y);
    return;
  }
  // y * lh exactly, plus y * llo
  let t = SPLIT * y;
  const ah = t - (t - y);
  const al = y - ah;
  t = SPLIT * lh;
  const bh = t - (t - lh);
  const bl = lh - bh;
  const te = ah * bh - th + ah * bl + al * bh + al * bl;
  const tl = te + y * R[LLO];
  const ay = Math.abs(y);
  const at = Math.abs(th);
  const lerr = R[LERR];
  expCore(th, tl);
  const h = R[EH];
  const l = R[EL];
  const m = R[EM];
  const e = h * (R[EERR] + ay * lerr + at * 7.888609052210118e-31);
  const ru = h + (l + e);
  if (ru === h + (l - e)) {
    R[OUT] = m > 1000 ? ru * pow2(m - 100) * 1.2676506002282294e30 : ru * pow2(m);
    return;
  }
  R[OUT] = mpPow(x, y);
}

/** Correctly rounded x^y for finite x > 0, x != 1, finite y != 0; Infinity on overflow. */
export function crPow(x: number, y: number): number {
  powFast(x, y);
  return R[OUT];
}

// ---------------------------------------------------------------------------------------------
// cos, sin

const TWO_OVER_PI = 0.6366197723675814;
// pi/2 = P1 + P2 + P3 + O(2^-105); P1, P2 have 26 significant bits so k*P1, k*P2 are exact
// for |k| < 2^27.
const P1 = 1.5707963109016418;
const P2 = 1.5893254712295857e-8;
const P3 = 6.123233995736766e-17;
// a finer split for x close to a multiple of pi/2: pi/2 = P1 + P2 + Q3 + Q4 + O(2^-131)
const Q3 = 6.123233932053594e-17; // 26 significant bits
const Q4 = 6.36831716351095e-25;

/**
 * The rarer reductions: |r| < 2^-14 (x close to a multiple of pi/2: carry pi/2 to 131 bits) and
 * |k| > 4 (k*P3 can be large next to rh: renormalise). Writes rh, rl and the error term to R.
 */
function reduceRare(kd: number, t1: number, w: number, rh: number, bb: number, rl: number, ak: number): void {
  let kerr = ak * 1.9721522630525295e-31 + 7.888609052210118e-31;
  if (rh < 6.103515625e-5 && rh > -6.103515625e-5) {
    const w3 = -kd * Q3; // exact
    const r2 = rh + w3;
    const z = r2 - rh;
    rl = t1 - (rh - bb) - (w + bb) + (rh - (r2 - z) + (w3 - z)) - kd * Q4;
    rh = r2 + rl;
    // pi/2 beyond Q4 and k*Q4's rounding (|k| * 2^-131), rounding in rl, and the roundings of
    // the low-order sum in cosSinFast, which holds terms up to 2^-27 |r| (|r| * 2^-78)
    kerr = ak * 3.6734198463196485e-40 + Math.abs(rl) * 4.440892098500626e-16 + Math.abs(rh) * 3.308722450212111e-24;
    rl = rl - (rh - r2);
  } else {
    const r2 = rh + rl;
    const z = r2 - rh;
    rl = rh - (r2 - z) + (rl - z);
    rh = r2;
  }
  R[TRH] = rh;
  R[TRL] = rl;
  R[TERR] = kerr;
}

/** cos or sin of |x| < 2^-27, |x| >= 1.05e8, or non-finite x. */
function cosSinEdge(x: number, wantSin: boolean): number {
  if (Math.abs(x) <= 7.450580596923828e-9) return wantSin ? x : 1; // cos rounds to 1, sin to x
  return mpCosSin(x, wantSin);
}

/** cos(x) or sin(x) into R[OUT]. */
function cosSinFast(x: number, wantSin: boolean): void {
  const ax = Math.abs(x);
  if (!(ax > 7.450580596923828e-9 && ax < 1.05e8)) {
    R[OUT] = cosSinEdge(x, wantSin);
    return;
  }
  const kd = x * TWO_OVER_PI + SHIFT - SHIFT;
  // r = x - k*pi/2 = rh + rl: x - k*P1 is exact (Sterbenz), k*P2 is exact.
  const t1 = x - kd * P1;
  const w = kd * P2;
  let rh = t1 - w;
  const bb = rh - t1;
  let rl = t1 - (rh - bb) - (w + bb) - kd * P3;
  // error of the reduction and tables: pi/2 beyond P3 (|k| * 2^-102), tables and sums (2^-100),
  // at most 2^-99 for |k| <= 4
  let kerr = 1.5777218104420236e-30;
  if (!(kd <= 4 && kd >= -4 && Math.abs(rh) >= 6.103515625e-5)) {
    reduceRare(kd, t1, w, rh, bb, rl, Math.abs(kd));
    rh = R[TRH];
    rl = R[TRL];
    kerr = R[TERR];
  }
  let q = (kd | 0) & 3;
  if (wantSin) q = (q + 3) & 3; // sin(x) = cos(x - pi/2)
  // the result is cos(r) for q = 0, -sin(r) for 1, -cos(r) for 2, sin(r) for 3
  const sign = 1 - ((q + 1) & 2);
  // r = a + d with a = j/512 and d = dh + rl, |dh| <= 2^-10 (a and dh are exact)
  const aj = rh + 13194139533312 - 13194139533312; // 1.5 * 2^43 rounds to a multiple of 2^-9
  const dh = rh - aj;
  const idx = (q & 1) * TRIG_ODD + 6 * ((aj * 512) | 0) + 2418; // 2418 = 6 * 403
  const uh = TRIG_TABLE[idx];
  const ul = TRIG_TABLE[idx + 1];
  const vh = TRIG_TABLE[idx + 2];
  const vl = TRIG_TABLE[idx + 3];
  const d2 = dh * dh;
  // V*dh = V1*dh1 + (V1*dh2 + V2*dh): V1 (from the table) and dh1 have 26 bits, so V1*dh1 is exact
  const v1 = TRIG_TABLE[idx + 4];
  const v2 = TRIG_TABLE[idx + 5];
  const t = SPLIT * dh;
  const dh1 = t - (t - dh);
  const p = v1 * dh1;
  // U + V*d + U*(cos d - 1) + V*(sin d - d) with (U, V) = (cos a, -sin a) or (sin a, cos a);
  // |U| >= |p| unless U = 0 (|dh| <= 2^-10), so the fast two-sum is exact.
  const h = uh + p;
  const poly =
    d2 * (uh * (-0.5 + d2 * (0.041666666666666664 - d2 * 0.001388888888888889)) +
      vh * dh * (-0.16666666666666666 + d2 * 0.008333333333333333));
  const l = uh - h + p + (v1 * (dh - dh1) + v2 * dh + (ul + vl * dh)) + (poly + (vh - uh * dh) * rl);
  // error bound: polynomial rounding, the sums in l and second-order rl terms (below d2 * 2^-50;
  // we take d2 * 2^-48), tables, sums and pi/2 beyond the split (kerr)
  const e = d2 * 3.552713678800501e-15 + kerr;
  const ru = h + (l + e);
  if (ru === h + (l - e)) {
    R[OUT] = sign * ru;
    return;
  }
  R[OUT] = mpCosSin(x, wantSin);
}

/** Correctly rounded cos(x) (wantSin false) or sin(x) (wantSin true) for finite x. */
export function crCosSin(x: number, wantSin: boolean): number {
  cosSinFast(x, wantSin);
  return R[OUT];
}
