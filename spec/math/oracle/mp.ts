/**
 * Slow, exact-enough multiprecision evaluation (BigInt fixed point, W fractional bits) used
 * only when the fast double-double paths cannot decide the rounding. Also exact rounding of
 * rationals to doubles (ties to even, subnormals included).
 */

const W = 360;
const WB = BigInt(W);
const ONE = 1n << WB;

/** 2^k for k = -1074..1023 (exact), indexed by k + 1074. */
const POW2 = new Float64Array(2098);
{
  let v = 1;
  for (let k = 0; k <= 1023; k++, v *= 2) POW2[k + 1074] = v;
  v = 1;
  for (let k = 0; k >= -1074; k--, v /= 2) POW2[k + 1074] = v;
}

/** Exact power of two 2^k as a double (0 or Infinity outside the range). */
export function pow2(k: number): number {
  if (k > 1023) return Infinity;
  if (k < -1074) return 0;
  return POW2[k + 1074];
}

/** x * 2^k, exact whenever the result is representable. */
export function ldexp(x: number, k: number): number {
  while (k > 1000) {
    x *= POW2[1000 + 1074];
    k -= 1000;
  }
  while (k < -1000) {
    x *= POW2[-1000 + 1074];
    k += 1000;
  }
  return x * POW2[k + 1074];
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Exact decomposition of a finite nonzero |x| = M * 2^E with M an integer (M < 2^53). */
let decM = 0n;
let decE = 0;
function decompose(x: number): void {
  f64[0] = x;
  const hi = u32[1] & 0x7fffffff;
  const lo = u32[0];
  const be = hi >>> 20;
  const frac = BigInt(hi & 0xfffff) * 4294967296n + BigInt(lo);
  if (be === 0) {
    decM = frac;
    decE = -1074;
  } else {
    decM = frac + (1n << 52n);
    decE = be - 1075;
  }
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Floor division for BigInt (rounding toward negative infinity). */
function fdiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/**
 * Round num/den * 2^e2 (num, den > 0) to the nearest double, ties to even.
 */
export function roundRatio(num: bigint, den: bigint, e2: number): number {
  let s = 56 + bitLength(den) - bitLength(num);
  if (s < 0) s = 0;
  const n = num << BigInt(s);
  const q = n / den;
  const sticky = n - q * den !== 0n;
  const L = bitLength(q);
  const base = e2 - s;
  let qe = L - 1 + base - 52;
  if (qe < -1074) qe = -1074;
  const drop = qe - base;
  if (drop <= 0) return ldexp(Number(q), base);
  const db = BigInt(drop);
  let keep = q >> db;
  const rem = q - (keep << db);
  const half = 1n << (db - 1n);
  if (rem > half || (rem === half && (sticky || (keep & 1n) === 1n))) keep += 1n;
  if (qe + bitLength(keep) > 1024) return Infinity;
  return ldexp(Number(keep), qe);
}

/** How often the slow path ran (diagnostics for spec/math/agreement.ts). */
export const slowPathCalls = { count: 0 };

/** Set by roundApprox: whether the approximation was too close to a rounding boundary. */
export let ambiguous = false;

/** Round a signed fixed-point value v * 2^e2 known to within ±err units; sets `ambiguous`. */
function roundApprox(v: bigint, e2: number, err: bigint): number {
  slowPathCalls.count++;
  const neg = v < 0n;
  const a = neg ? -v : v;
  if (a <= err) {
    ambiguous = true;
    return 0;
  }
  const r1 = roundRatio(a - err, 1n, e2);
  const r2 = roundRatio(a + err, 1n, e2);
  ambiguous = r1 !== r2;
  const r = roundRatio(a, 1n, e2);
  return neg ? -r : r;
}

function atanhInv(n: bigint, one: bigint): bigint {
  // sum_{k>=0} 1 / ((2k+1) n^(2k+1))
  const n2 = n * n;
  let term = one / n;
  let sum = term;
  for (let k = 3n; term !== 0n; k += 2n) {
    term /= n2;
    sum += term / k;
  }
  return sum;
}

function atanInv(n: bigint, one: bigint): bigint {
  const n2 = n * n;
  let term = one / n;
  let sum = term;
  let sign = -1n;
  for (let k = 3n; term !== 0n; k += 2n, sign = -sign) {
    term /= n2;
    sum += sign * (term / k);
  }
  return sum;
}

const GUARD = 64n;
let ln2Cache: bigint | null = null;
/** ln 2 with W fractional bits. */
function ln2(): bigint {
  if (ln2Cache === null) ln2Cache = (2n * atanhInv(3n, ONE << GUARD)) >> GUARD;
  return ln2Cache;
}

const PIQ = 1200 + W + 64;
let halfPiCache: bigint | null = null;
/** pi/2 with PIQ fractional bits. */
function halfPi(): bigint {
  if (halfPiCache === null) {
    const one = 1n << BigInt(PIQ + 64);
    const pi = 16n * atanInv(5n, one) - 4n * atanInv(239n, one);
    halfPiCache = pi >> 65n;
  }
  return halfPiCache;
}

/** exp(t) for fixed-point t (W bits); returns mantissa, sets expE so value = mant * 2^expE. */
let expE = 0;
function expFixed(t: bigint): bigint {
  const l2 = ln2();
  const k = fdiv(t + (l2 >> 1n), l2);
  const r = (t - k * l2) >> 12n; // |r| <= ln2/2 / 4096
  let sum = ONE;
  let term = ONE;
  for (let n = 1n; term !== 0n; n++) {
    term = (term * r) / (n << WB);
    sum += term;
  }
  for (let i = 0; i < 12; i++) sum = (sum * sum) >> WB;
  expE = Number(k) - W;
  return sum;
}

/** log(x) for finite x > 0, fixed point with W fractional bits. */
function logFixed(x: number): bigint {
  decompose(x);
  const L = bitLength(decM);
  let e = decE + L - 1;
  let m = decM << BigInt(W - (L - 1)); // in [1, 2)
  // 1.4142135623730951 * 2^W, roughly; the split point need not be exact.
  if (m > (ONE * 14142135623730951n) / 10000000000000000n) {
    m >>= 1n;
    e += 1;
  }
  const neg = m < ONE;
  const z = ((neg ? ONE - m : m - ONE) << WB) / (m + ONE);
  const z2 = (z * z) >> WB;
  let term = z;
  let sum = z;
  for (let k = 3n; term !== 0n; k += 2n) {
    term = (term * z2) >> WB;
    sum += term / k;
  }
  return BigInt(e) * ln2() + (neg ? -2n : 2n) * sum;
}

/** Correctly rounded exp(x) (x finite). */
export function mpExp(x: number): number {
  if (x === 0) return 1;
  if (x > 710) return Infinity;
  if (x < -746) return 0;
  decompose(x);
  const sh = decE + W;
  let t = sh >= 0 ? decM << BigInt(sh) : decM >> BigInt(-sh);
  if (x < 0) t = -t;
  const m = expFixed(t);
  return roundApprox(m, expE, 1n << 20n);
}

/** Correctly rounded log(x) (x finite, > 0). */
export function mpLog(x: number): number {
  if (x === 1) return 0;
  const v = logFixed(x);
  return roundApprox(v, -W, 1n << 16n);
}

/** Correctly rounded cos(x) or sin(x) (x finite). */
export function mpCosSin(x: number, wantSin: boolean): number {
  if (x === 0) return wantSin ? x : 1;
  decompose(x);
  const hp = halfPi();
  // |x| = k*pi/2 + r with |r| <= pi/4; decE >= -1074 and PIQ > 1074, so the shift is >= 0.
  const X = decM << BigInt(decE + PIQ);
  const k = fdiv(2n * X + hp, 2n * hp);
  const r = (X - k * hp) >> BigInt(PIQ - W);
  const r2 = (r * r) >> WB;
  // sin(r), cos(r) by Taylor series
  let s = r;
  let term = r;
  for (let n = 2n; term !== 0n; n += 2n) {
    term = -(term * r2) / ((n * (n + 1n)) << WB);
    s += term;
  }
  let c = ONE;
  term = ONE;
  for (let n = 1n; term !== 0n; n += 2n) {
    term = -(term * r2) / ((n * (n + 1n)) << WB);
    c += term;
  }
  // sin(-y) = -sin(y), cos(-y) = cos(y)
  const q = Number(k % 4n);
  let v: bigint;
  if (wantSin) v = q === 0 ? s : q === 1 ? c : q === 2 ? -s : -c;
  else v = q === 0 ? c : q === 1 ? -s : q === 2 ? -c : s;
  if (wantSin && x < 0) v = -v;
  return roundApprox(v, -W, 1n << 16n);
}

/** Correctly rounded x^y for finite x > 0, finite y != 0 (no exact-midpoint handling). */
export function mpPow(x: number, y: number): number {
  const lx = logFixed(x);
  decompose(y);
  let t = decM * lx;
  t = decE >= 0 ? t << BigInt(decE) : t >> BigInt(-decE);
  if (y < 0) t = -t;
  if (t > 710n * ONE) return Infinity;
  if (t < -746n * ONE) return 0;
  const m = expFixed(t);
  const res = roundApprox(m, expE, 1n << 40n);
  if (ambiguous && Number.isInteger(y) && Math.abs(y) <= 4096) {
    // Possibly an exact midpoint: evaluate x^y exactly as a rational.
    decompose(x);
    const n = Math.abs(y);
    const p = decM ** BigInt(n);
    const e2 = decE * n;
    return y > 0 ? roundRatio(p, 1n, e2) : roundRatio(1n, p, -e2);
  }
  return res;
}
