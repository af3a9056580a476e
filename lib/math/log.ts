/*! tfjs-lr-scheduler lib/math/log: follows ARM optimized-routines' log (math/log.c, glibc's e_log.c), Copyright (c) 2018 Arm Limited; MIT */
/**
 * The natural logarithm exactly as glibc 2.29 and later computes it on x86-64 with FMA
 * (`__ieee754_log_fma`, which CPython's `math.log` calls): a port, operation for operation, of
 * ARM optimized-routines' log (math/log.c; glibc's sysdeps/ieee754/dbl-64/e_log.c and
 * e_log_data.c). The table and coefficients are optimized-routines' (`__log_data`, N = 128; its
 * tab2 serves only builds without FMA).
 *
 * x = 2^k z, z in [0x1.6p-1, 0x1.6p0) split into N subintervals around centres c:
 * log(x) = k ln2 + log(c) + log1p(z/c - 1), the last by a degree-6 polynomial; inputs in
 * [1 - 2^-4, 1 + 0x1.09p-4) take a degree-12 polynomial in x - 1 instead.
 *
 * glibc's FMA build fuses 8 steps of the first path and 15 of the second (read off libm's
 * disassembly), one of them an explicit fma(z, invc, -1). logExact follows the C with each
 * fused step emulated exactly (./fma). logFast, the usual path, computes r exactly and the rest
 * in plain double arithmetic, with a bound on how far that can move the last addend from
 * glibc's; when the final rounding comes out the same at both ends of the bound, that is glibc's
 * result, otherwise logExact decides (see ./exp for the form of the bound).
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
import { F64, float64s, I32, OUT, POW2, SPLIT, U } from './bits';
import { fma } from './fma';

/** __log_data.tab (lib/math/gen-data.py): invc, logc for each of the 128 subintervals. */
const DATA = 'n97gw/A09z8AkOZ5f8zXvx/pLGp4E/c/AAANwu5v17+gtfoIYPL2PwDgURPjE9e/fYwTH6bR9j8AeCg4W7jWv9G0xQtJsfY/AHiAkFVd1r+6DC8zR5H2PwAAGHbQAta/I0IiGJ9x9j8AkJCGyqjVv9kepZlPUvY/AFADVkNP1b/EJI+qVjP2PwBAa8M39tS/FNyda7MU9j8AUKj9p53Uv0xcxlJk9vU/AKiJOZJF1L9PLJG1Z9j1PwC4sDn07dO/3pBby7y69T8AcI9EzpbTv3ga2fJhnfU/AKC9Fx5A07+HVkYSVoD1PwCARu/i6dK/02vnzpdj9T8A4DA4G5TSv5N/p+IlR/U/AIjajMU+0r+DRQZC/yr1PwCQJynh6dG/372y2yIP9T8A+EgrbZXRv9feNEeP8/Q/APi5mmdB0b9AKN7PQ9j0PwCY75TQ7dC/yKN4wD699D8AENsYpZrQv4ol4MN/ovQ/ALhjUuZH0L80hNQkBYj0PwDwhkUi68+/Cy0ZG85t9D8AsBd1SkfPv1QYOdPZU/Q/ADAQPUSkzr9ahLREJzr0PwCw6UQNAs6/+/gVQbUg9D8A8HcpomDNv7H0PtqCB/Q/AJCVBAHAzL+P/lddj+7zPwAQiVYpIMy/6UwLoNnV8z8AEIGNF4HLvyvBEMBgvfM/ANDTzMniyr+42nUrJKXzPwCQEi5ARcq/AtCfzSKN8z8A8B1od6jJvxx6hMVbdfM/ADBIaW0Myb/iNq1Jzl3zPwDARaYgcci/QNRNmHlG8z8AMBS0j9bHvyTL/85cL/M/AHBiPLg8x79JDaF1dxjzPwBgN5uao8a/kDk+N8gB8z8AoLdUMQvGv0H4lbtO6/I/ADAkdn1zxb/RqRkCCtXyPwAwwo973MS/Kv23qPm+8j8AANJRLEbEv6sbDHocqfI/AACDvIqww78wtRRgcpPyPwAASWuZG8O/9aFXV/p98j8AQKSQVIfCv787HZuzaPI/AKB5+Lnzwb+99Y+DnVPyPwCgLCXIYMG/OwjJqrc+8j8AIPdXf87Av7ZAqSsBKvI/AKD+Sdw8wL8yQcyWeRXyPwCAS7y9V7+/m/zSHSAB8j8AQECWCDe+vwtITUn07PE/AED5PpgXvb9pZY9S9djxPwCg2E5n+bu/fH5XESPF8T8AYC8gedy6v+kmy3R8sfE/AIAo58PAub+2GiwMAZ7xPwDAcrNGpri/vXC2e7CK8T8AAKyzAY23v7a87yWKd/E/AAA4RfF0tr/aMUw1jWTxPwCAh20OXrW/3V8nkLlR8T8A4KHeXEi0v0zSMqQOP/E/AKBqTdkzs7/a+RByiyzxPwBgxfh5ILK/MbXsKDAa8T8AIGKYRg6xv680hNr7B/E/AADSamz6r7+za04P7vXwPwBAd0qN2q2/zp8qXQbk8D8AAIXk7LyrvyGlLGNE0vA/AMASQImhqb8amOJ8p8DwPwDAAjNYiKe/0TbGgy+v8D8AgNZnXnGlvzkToJjbnfA/AIBlSYpco7/f51Kvq4zwPwBAFWTjSaG/+yhOL5978D8AgOuCwHKevxmPNYy1avA/AIBSUvFVmr8s+eyl7lnwPwCAgc9iPZa/kCzRzUlJ8D8AAKqM+yiSv6mt8MbGOPA/AAD5IHsxjL+pMnkTZSjwPwAAql01GYS/SHPqJyQY8D8AAOzCAxJ4v5WxFAYECPA/AAAkeQkEYL8a+ib3H+DvPwAAkITz728/dOphwhyh7z8AAD01QdyHPy6ZgbAQY+8/AIDCxKPOkz/Nre489iXvPwAAiRTBn5s/5xORA8jp7j8AABHO2LChP6uxy3iAru4/AMAB0FuKpT+bDJ2iGnTuPwCA2ECDXKk/tZkKg5E67j8AgFfvaietP1aaYAngAe4/AMCY5Zh1sD+Yu3flAcrtPwAgDeP1U7I/A5F8C/KS7T8AADiL3S60P85c+2asXO0/AMBXh1kGtj+d3l6qLCftPwAAajV22rc/zSxrPm7y7D8AYBxOQ6u5PwJ5p6Jtvuw/AGANu8d4uz9tCDdtJovsPwAg5zITQ70/BFhdvZRY7D8AYN5xMQq/P4yfuzO1Juw/AECRKxVnwD8/5+zug/XrPwCwkoKFR8E/wZbbdf3E6z8AMMrNbibCPyhKhgweles/AFDFptcDwz8sPu/F4mXrPwAQMzzD38M/i4jJZ0g36z8AgHprNrrEP0owHSFLCes/APDRKDmTxT9+7/KF6NvqPwDwGCTNasY/oj1gMR2v6j8AkGbs+EDHP6dY0z/mguo/APAa9cAVyD+LcwnvQFfqPwCA9lQp6cg/J0urkCos6j8AQPgCNrvJP9HykxOgAeo/AAAsHO2Lyj8bPNskn9fpPwDQAVxRW8s/kLHHBSWu6T8AwLzMZynMPy/Ol/Iuhek/AGBI1TX2zD91S6TuulzpPwDARjS9wc0/OEjnncY06T8A4M+4AYzOP+ZSZy9PDek/AJAXwAlVzz+d1/+OUuboPwC4HxJsDtA/fADMn86/6D8A0JMOuHHQPw7DvtrAmeg/AHCGnmvU0D/7FyOqJ3ToPwDQSzOHNtE/CJqzrABP6D8ASCNnDZjRP1U+ZehJKug/AIDM4P/40T9gAvSVAQboPwBoY9dfWdI/KaPgYyXi5z8AqBQJMLnSP6213Hezvuc/AGBDEHIY0z/CJZdnqpvnPwAY7G0md9M/VwYX8gd55z8AMK/7T9XTPwwT1tvKVuc/AOAv4+4y1D8=';
export const LOG_TAB = /* @__PURE__ */ float64s(DATA);

const LN2_HI = 0.6931471805598903; // 0x1.62e42fefa3800p-1 (42 bits: k * LN2_HI is exact)
const LN2_LO = 5.497923018708371e-14; // 0x1.ef35793c76730p-45
// poly: log1p(r) - r for |r| < 0x1.fp-9
const A0 = -0.5000000000000001; // -0x1.0000000000001p-1
const A1 = 0.33333333331825593; // 0x1.555555551305bp-2
const A2 = -0.2499999999622955; // -0x1.fffffffeb459p-3
const A3 = 0.20000304511814496; // 0x1.999b324f10111p-3
const A4 = -0.16667054827627667; // -0x1.55575e506c89fp-3
// poly1: log1p(r) - r for -0x1p-4 <= r < 0x1.09p-4 (B0 = -0.5)
const B1 = 0.3333333333333352; // 0x1.5555555555577p-2
const B2 = -0.24999999999998432; // -0x1.ffffffffffdcbp-3
const B3 = 0.19999999999320328; // 0x1.999999995dd0cp-3
const B4 = -0.16666666669929706; // -0x1.55555556745a7p-3
const B5 = 0.14285715076560868; // 0x1.24924a344de3p-3
const B6 = -0.12499997863982555; // -0x1.fffffa4423d65p-4
const B7 = 0.11110712032936046; // 0x1.c7184282ad6cap-4
const B8 = -0.10000486757818193; // -0x1.999eb43b068ffp-4
const B9 = 0.09181994006195467; // 0x1.78182f7afd085p-4
const B10 = -0.08328363062289341; // -0x1.5521375d145cdp-4
const MIN_NORMAL = 2.2250738585072014e-308;

/** glibc's results outside the paths below: -Infinity at 0, Infinity at Infinity, else NaN. */
function logOutside(x: number): number {
  return x === 0 ? -Infinity : x === Infinity ? x : NaN;
}

/** x = 2^k z with z in [0x1.6p-1, 0x1.6p0) for finite x > 0: writes z to Z[0], k and the table row to KI. */
const Z = /* @__PURE__ */ new Float64Array(1);
const KI = /* @__PURE__ */ new Int32Array(2);

function reduce(x: number): void {
  // a subnormal x is normalised, its exponent kept in the integer (ix = bits(x 2^52) - 52 << 52)
  const shift = x < MIN_NORMAL ? 52 : 0;
  const xn = shift === 0 ? x : x * 4503599627370496;
  F64[0] = xn;
  // tmp = ix - OFF, OFF = 0x3fe6000000000000 (high words only: OFF's low word is 0)
  const tmp = I32[1] - (shift << 20) - 0x3fe60000;
  const k = tmp >> 20;
  KI[0] = k;
  KI[1] = (tmp >>> 13) & 127;
  // z = asdouble(ix - (tmp & 0xfff << 52)) = x 2^-k, exactly
  Z[0] = xn * POW2[1074 - k - shift];
}

/** The last steps of the path near 1, -0x1p-4 <= x - 1 < 0x1.09p-4: every fused step emulated. */
function nearOneExact(x: number): number {
  const r = x - 1;
  const r2 = r * r;
  const r3 = r * r2;
  // r3 (B1 + r B2 + r2 B3 + r3 (B4 + r B5 + r2 B6 + r3 (B7 + r B8 + r2 B9 + r3 B10))), 9 steps fused
  const q = fma(
    r3,
    fma(r3, fma(r3, B10, fma(r2, B9, fma(r, B8, B7))), fma(r2, B6, fma(r, B5, B4))),
    fma(r2, B3, fma(r, B2, B1)),
  );
  // hi + lo = r - r^2 / 2 from the top 26 bits of r (the fused steps here have exact products)
  const w = r * 134217728;
  const rhi = r + w - w;
  const rlo = r - rhi;
  const hw = rhi * rhi * -0.5;
  const hi = r + hw;
  const lo = fma(-0.5 * rlo, rhi + r, r - hi + hw);
  return hi + fma(r3, q, lo);
}

/** glibc's log(x) for any double x, every fused step emulated exactly. */
export function logExact(x: number): number {
  if (x >= 0.9375 && x < 1.064697265625) return x === 1 ? 0 : nearOneExact(x);
  if (!(x > 0 && x < Infinity)) return logOutside(x);
  reduce(x);
  const k = KI[0];
  const i = KI[1];
  const r = fma(Z[0], LOG_TAB[2 * i], -1);
  // hi + lo = r + log(c) + k ln2 (k LN2_HI + logc is exact by the table's design)
  const kw = k * LN2_HI + LOG_TAB[2 * i + 1];
  const hi = kw + r;
  const lo = fma(k, LN2_LO, kw - hi + r);
  // lo + r2 A0 + r r2 (A1 + r A2 + r2 (A3 + r A4)) + hi, five steps fused
  const r2 = r * r;
  return fma(r * r2, fma(r2, fma(r, A4, A3), fma(r, A2, A1)), fma(r2, A0, lo)) + hi;
}

/** hi + y with y known within b: glibc's result into OUT[0] if both ends round alike. */
function decide(hi: number, y: number, b: number): boolean {
  // a quarter more than the bound, as margin (the largest error seen in 2 million random
  // arguments was 0.75 of it)
  const bb = 1.25 * b + 2 * U * (Math.abs(y) + b);
  const v = hi + (y - bb);
  if (v !== hi + (y + bb)) return false;
  OUT[0] = v;
  return true;
}

/**
 * logExact(x) with r exact and everything after it in plain double arithmetic: writes glibc's
 * result to OUT[0] and returns true when that is certain, else returns false.
 */
export function logFast(x: number): boolean {
  if (x >= 0.9375 && x < 1.064697265625) {
    if (x === 1) {
      OUT[0] = 0;
      return true;
    }
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    const q = B1 + r * B2 + r2 * B3 + r3 * (B4 + r * B5 + r2 * B6 + r3 * (B7 + r * B8 + r2 * B9 + r3 * B10));
    const w = r * 134217728;
    const rhi = r + w - w;
    const hw = rhi * rhi * -0.5;
    const hi = r + hw;
    const pc = -0.5 * (r - rhi) * (rhi + r);
    const lo = r - hi + hw + pc;
    const y = r3 * q + lo;
    // the 11 fused steps: q within 2.2u, y within u (3 |r3| + |pc| + 2 |lo| + 2 |y|)
    return decide(hi, y, U * (3 * Math.abs(r3) + Math.abs(pc) + 2 * Math.abs(lo) + 2 * Math.abs(y)));
  }
  if (!(x > 0 && x < Infinity)) {
    OUT[0] = logOutside(x);
    return true;
  }
  reduce(x);
  const z = Z[0];
  const k = KI[0];
  const i = KI[1];
  // r = fma(z, invc, -1) exactly: z invc = ph + e (Dekker), and ph - 1 is exact (|r| < 2^-8)
  const invc = LOG_TAB[2 * i];
  const ph = z * invc;
  let t = SPLIT * z;
  const zh = t - (t - z);
  const zl = z - zh;
  t = SPLIT * invc;
  const ch = t - (t - invc);
  const cl = invc - ch;
  const r = ph - 1 + (zh * ch - ph + zh * cl + zl * ch + zl * cl);
  const kw = k * LN2_HI + LOG_TAB[2 * i + 1];
  const hi = kw + r;
  const pl = k * LN2_LO;
  const lo = kw - hi + r + pl;
  const r2 = r * r;
  const r3 = r * r2;
  const sA = lo + r2 * A0;
  const y = sA + r3 * (A1 + r * A2 + r2 * (A3 + r * A4));
  // the 7 fused steps after r: the polynomial within 1.35u, y within
  // u (|k LN2_LO| + 2 |lo| + 0.51 r2 + 2 |sA| + 1.7 |r3| + 2 |y|)
  return decide(
    hi,
    y,
    U * (Math.abs(pl) + 2 * (Math.abs(lo) + Math.abs(sA) + Math.abs(y) + Math.abs(r3)) + 0.6 * r2),
  );
}

/** glibc's log(x) for any double x (-Infinity at 0, NaN below 0). */
export function glibcLog(x: number): number {
  return logFast(x) ? OUT[0] : logExact(x);
}
