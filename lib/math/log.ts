/**
 * The natural logarithm exactly as glibc 2.29 and later computes it on x86-64 with FMA
 * (`__ieee754_log_fma`, which CPython's `math.log` calls): a port, operation for operation, of
 * ARM optimized-routines' log (math/log.c; glibc's sysdeps/ieee754/dbl-64/e_log.c and
 * e_log_data.c), with the steps GCC fuses into `vfmadd` instructions in that build (read off
 * libm's disassembly) emulated exactly (see ./fma). The table and coefficients are
 * optimized-routines' (`__log_data`, N = 128; its tab2 serves only builds without FMA).
 *
 * x = 2^k z, z in [0x1.6p-1, 0x1.6p0) split into N subintervals around centres c:
 * log(x) = k ln2 + log(c) + log1p(z/c - 1), the last by a degree-6 polynomial; inputs within
 * [1 - 2^-4, 1 + 0x1.09p-4) take a degree-12 polynomial in x - 1 instead.
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
import { F64, float64s, hi26, I32, OUT, POW2, SPLIT } from './bits';

/** __log_data.tab (lib/math/gen-data.py): invc, logc for each of the 128 subintervals. */
const DATA = 'n97gw/A09z8AkOZ5f8zXvx/pLGp4E/c/AAANwu5v17+gtfoIYPL2PwDgURPjE9e/fYwTH6bR9j8AeCg4W7jWv9G0xQtJsfY/AHiAkFVd1r+6DC8zR5H2PwAAGHbQAta/I0IiGJ9x9j8AkJCGyqjVv9kepZlPUvY/AFADVkNP1b/EJI+qVjP2PwBAa8M39tS/FNyda7MU9j8AUKj9p53Uv0xcxlJk9vU/AKiJOZJF1L9PLJG1Z9j1PwC4sDn07dO/3pBby7y69T8AcI9EzpbTv3ga2fJhnfU/AKC9Fx5A07+HVkYSVoD1PwCARu/i6dK/02vnzpdj9T8A4DA4G5TSv5N/p+IlR/U/AIjajMU+0r+DRQZC/yr1PwCQJynh6dG/372y2yIP9T8A+EgrbZXRv9feNEeP8/Q/APi5mmdB0b9AKN7PQ9j0PwCY75TQ7dC/yKN4wD699D8AENsYpZrQv4ol4MN/ovQ/ALhjUuZH0L80hNQkBYj0PwDwhkUi68+/Cy0ZG85t9D8AsBd1SkfPv1QYOdPZU/Q/ADAQPUSkzr9ahLREJzr0PwCw6UQNAs6/+/gVQbUg9D8A8HcpomDNv7H0PtqCB/Q/AJCVBAHAzL+P/lddj+7zPwAQiVYpIMy/6UwLoNnV8z8AEIGNF4HLvyvBEMBgvfM/ANDTzMniyr+42nUrJKXzPwCQEi5ARcq/AtCfzSKN8z8A8B1od6jJvxx6hMVbdfM/ADBIaW0Myb/iNq1Jzl3zPwDARaYgcci/QNRNmHlG8z8AMBS0j9bHvyTL/85cL/M/AHBiPLg8x79JDaF1dxjzPwBgN5uao8a/kDk+N8gB8z8AoLdUMQvGv0H4lbtO6/I/ADAkdn1zxb/RqRkCCtXyPwAwwo973MS/Kv23qPm+8j8AANJRLEbEv6sbDHocqfI/AACDvIqww78wtRRgcpPyPwAASWuZG8O/9aFXV/p98j8AQKSQVIfCv787HZuzaPI/AKB5+Lnzwb+99Y+DnVPyPwCgLCXIYMG/OwjJqrc+8j8AIPdXf87Av7ZAqSsBKvI/AKD+Sdw8wL8yQcyWeRXyPwCAS7y9V7+/m/zSHSAB8j8AQECWCDe+vwtITUn07PE/AED5PpgXvb9pZY9S9djxPwCg2E5n+bu/fH5XESPF8T8AYC8gedy6v+kmy3R8sfE/AIAo58PAub+2GiwMAZ7xPwDAcrNGpri/vXC2e7CK8T8AAKyzAY23v7a87yWKd/E/AAA4RfF0tr/aMUw1jWTxPwCAh20OXrW/3V8nkLlR8T8A4KHeXEi0v0zSMqQOP/E/AKBqTdkzs7/a+RByiyzxPwBgxfh5ILK/MbXsKDAa8T8AIGKYRg6xv680hNr7B/E/AADSamz6r7+za04P7vXwPwBAd0qN2q2/zp8qXQbk8D8AAIXk7LyrvyGlLGNE0vA/AMASQImhqb8amOJ8p8DwPwDAAjNYiKe/0TbGgy+v8D8AgNZnXnGlvzkToJjbnfA/AIBlSYpco7/f51Kvq4zwPwBAFWTjSaG/+yhOL5978D8AgOuCwHKevxmPNYy1avA/AIBSUvFVmr8s+eyl7lnwPwCAgc9iPZa/kCzRzUlJ8D8AAKqM+yiSv6mt8MbGOPA/AAD5IHsxjL+pMnkTZSjwPwAAql01GYS/SHPqJyQY8D8AAOzCAxJ4v5WxFAYECPA/AAAkeQkEYL8a+ib3H+DvPwAAkITz728/dOphwhyh7z8AAD01QdyHPy6ZgbAQY+8/AIDCxKPOkz/Nre489iXvPwAAiRTBn5s/5xORA8jp7j8AABHO2LChP6uxy3iAru4/AMAB0FuKpT+bDJ2iGnTuPwCA2ECDXKk/tZkKg5E67j8AgFfvaietP1aaYAngAe4/AMCY5Zh1sD+Yu3flAcrtPwAgDeP1U7I/A5F8C/KS7T8AADiL3S60P85c+2asXO0/AMBXh1kGtj+d3l6qLCftPwAAajV22rc/zSxrPm7y7D8AYBxOQ6u5PwJ5p6Jtvuw/AGANu8d4uz9tCDdtJovsPwAg5zITQ70/BFhdvZRY7D8AYN5xMQq/P4yfuzO1Juw/AECRKxVnwD8/5+zug/XrPwCwkoKFR8E/wZbbdf3E6z8AMMrNbibCPyhKhgweles/AFDFptcDwz8sPu/F4mXrPwAQMzzD38M/i4jJZ0g36z8AgHprNrrEP0owHSFLCes/APDRKDmTxT9+7/KF6NvqPwDwGCTNasY/oj1gMR2v6j8AkGbs+EDHP6dY0z/mguo/APAa9cAVyD+LcwnvQFfqPwCA9lQp6cg/J0urkCos6j8AQPgCNrvJP9HykxOgAeo/AAAsHO2Lyj8bPNskn9fpPwDQAVxRW8s/kLHHBSWu6T8AwLzMZynMPy/Ol/Iuhek/AGBI1TX2zD91S6TuulzpPwDARjS9wc0/OEjnncY06T8A4M+4AYzOP+ZSZy9PDek/AJAXwAlVzz+d1/+OUuboPwC4HxJsDtA/fADMn86/6D8A0JMOuHHQPw7DvtrAmeg/AHCGnmvU0D/7FyOqJ3ToPwDQSzOHNtE/CJqzrABP6D8ASCNnDZjRP1U+ZehJKug/AIDM4P/40T9gAvSVAQboPwBoY9dfWdI/KaPgYyXi5z8AqBQJMLnSP6213Hezvuc/AGBDEHIY0z/CJZdnqpvnPwAY7G0md9M/VwYX8gd55z8AMK/7T9XTPwwT1tvKVuc/AOAv4+4y1D8=';
const TAB = /* @__PURE__ */ float64s(DATA);

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

// Veltkamp halves of the constant factors of fused products
const LN2_LO_H = /* @__PURE__ */ hi26(LN2_LO);
const LN2_LO_L = LN2_LO - LN2_LO_H;
const A0_H = /* @__PURE__ */ hi26(A0);
const A0_L = A0 - A0_H;
const A2_H = /* @__PURE__ */ hi26(A2);
const A2_L = A2 - A2_H;
const A4_H = /* @__PURE__ */ hi26(A4);
const A4_L = A4 - A4_H;
const B2_H = /* @__PURE__ */ hi26(B2);
const B2_L = B2 - B2_H;
const B3_H = /* @__PURE__ */ hi26(B3);
const B3_L = B3 - B3_H;
const B5_H = /* @__PURE__ */ hi26(B5);
const B5_L = B5 - B5_H;
const B6_H = /* @__PURE__ */ hi26(B6);
const B6_L = B6 - B6_H;
const B8_H = /* @__PURE__ */ hi26(B8);
const B8_L = B8 - B8_H;
const B9_H = /* @__PURE__ */ hi26(B9);
const B9_L = B9 - B9_H;
const B10_H = /* @__PURE__ */ hi26(B10);
const B10_L = B10 - B10_H;

/** log(x) for 0.9375 <= x < 1.064697265625, x != 1, into OUT[0]. */
function logNearOne(x: number): void {
  const r = x - 1;
  const r2 = r * r;
  const r3 = r * r2;
  const rh = SPLIT * r - (SPLIT * r - r);
  const rl = r - rh;
  const r2h = SPLIT * r2 - (SPLIT * r2 - r2);
  const r2l = r2 - r2h;
  const r3h = SPLIT * r3 - (SPLIT * r3 - r3);
  const r3l = r3 - r3h;
  // y = r3 * (B1 + r B2 + r2 B3 + r3 (B4 + r B5 + r2 B6 + r3 (B7 + r B8 + r2 B9 + r3 B10))),
  // each step fused; every addend outweighs its product (|r| < 0.065)
  let p1: number;
  {
    const p = r * B2;
    const e = rh * B2_H - p + rh * B2_L + rl * B2_H + rl * B2_L;
    const s = B1 + p;
    const sl = p - (s - B1);
    const u = sl + e;
    p1 = s + u;
    const d = 2 * (u - (p1 - s));
    if (p1 + d - p1 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) p1 += d;
    }
  }
  let p2: number;
  {
    const p = r * B5;
    const e = rh * B5_H - p + rh * B5_L + rl * B5_H + rl * B5_L;
    const s = B4 + p;
    const sl = p - (s - B4);
    const u = sl + e;
    p2 = s + u;
    const d = 2 * (u - (p2 - s));
    if (p2 + d - p2 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) p2 += d;
    }
  }
  let p3: number;
  {
    const p = r * B8;
    const e = rh * B8_H - p + rh * B8_L + rl * B8_H + rl * B8_L;
    const s = B7 + p;
    const sl = p - (s - B7);
    const u = sl + e;
    p3 = s + u;
    const d = 2 * (u - (p3 - s));
    if (p3 + d - p3 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) p3 += d;
    }
  }
  let q1: number;
  {
    const p = r2 * B3;
    const e = r2h * B3_H - p + r2h * B3_L + r2l * B3_H + r2l * B3_L;
    const s = p1 + p;
    const sl = p - (s - p1);
    const u = sl + e;
    q1 = s + u;
    const d = 2 * (u - (q1 - s));
    if (q1 + d - q1 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) q1 += d;
    }
  }
  let q2: number;
  {
    const p = r2 * B6;
    const e = r2h * B6_H - p + r2h * B6_L + r2l * B6_H + r2l * B6_L;
    const s = p2 + p;
    const sl = p - (s - p2);
    const u = sl + e;
    q2 = s + u;
    const d = 2 * (u - (q2 - s));
    if (q2 + d - q2 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) q2 += d;
    }
  }
  let q3: number;
  {
    const p = r2 * B9;
    const e = r2h * B9_H - p + r2h * B9_L + r2l * B9_H + r2l * B9_L;
    const s = p3 + p;
    const sl = p - (s - p3);
    const u = sl + e;
    q3 = s + u;
    const d = 2 * (u - (q3 - s));
    if (q3 + d - q3 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) q3 += d;
    }
  }
  let s3: number;
  {
    const p = r3 * B10;
    const e = r3h * B10_H - p + r3h * B10_L + r3l * B10_H + r3l * B10_L;
    const s = q3 + p;
    const sl = p - (s - q3);
    const u = sl + e;
    s3 = s + u;
    const d = 2 * (u - (s3 - s));
    if (s3 + d - s3 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) s3 += d;
    }
  }
  let s2: number;
  {
    const p = r3 * s3;
    let t = SPLIT * s3;
    const bh = t - (t - s3);
    const bl = s3 - bh;
    const e = r3h * bh - p + r3h * bl + r3l * bh + r3l * bl;
    const s = q2 + p;
    const sl = p - (s - q2);
    const u = sl + e;
    s2 = s + u;
    const d = 2 * (u - (s2 - s));
    if (s2 + d - s2 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) s2 += d;
    }
  }
  let s1: number;
  {
    const p = r3 * s2;
    let t = SPLIT * s2;
    const bh = t - (t - s2);
    const bl = s2 - bh;
    const e = r3h * bh - p + r3h * bl + r3l * bh + r3l * bl;
    const s = q1 + p;
    const sl = p - (s - q1);
    const u = sl + e;
    s1 = s + u;
    const d = 2 * (u - (s1 - s));
    if (s1 + d - s1 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) s1 += d;
    }
  }
  // hi + lo = r - r^2 / 2 with r^2 / 2 from the top 26 bits of r (w = r * 2^27; rhi = r + w - w)
  const w = r * 134217728;
  const rhi = r + w - w;
  const rlo = r - rhi;
  const hw = rhi * rhi * -0.5; // exact
  const hi = r + hw;
  const lo = r - hi + hw;
  // lo += B0 * rlo * (rhi + r); y = r3 * s1 + lo; both fused
  let lo2: number;
  {
    const fa = -0.5 * rlo;
    const fb = rhi + r;
    const p = fa * fb;
    let t = SPLIT * fa;
    const ah = t - (t - fa);
    const al = fa - ah;
    t = SPLIT * fb;
    const bh = t - (t - fb);
    const bl = fb - bh;
    const e = ah * bh - p + ah * bl + al * bh + al * bl;
    const s = p + lo;
    const v = s - p;
    const sl = p - (s - v) + (lo - v);
    const u = sl + e;
    lo2 = s + u;
    const d = 2 * (u - (lo2 - s));
    if (lo2 + d - lo2 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) lo2 += d;
    }
  }
  let y: number;
  {
    const p = r3 * s1;
    let t = SPLIT * s1;
    const bh = t - (t - s1);
    const bl = s1 - bh;
    const e = r3h * bh - p + r3h * bl + r3l * bh + r3l * bl;
    const s = p + lo2;
    const v = s - p;
    const sl = p - (s - v) + (lo2 - v);
    const u = sl + e;
    y = s + u;
    const d = 2 * (u - (y - s));
    if (y + d - y === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) y += d;
    }
  }
  OUT[0] = hi + y;
}

/** glibc's log(x) into OUT[0], for any double x (-Infinity at 0, NaN below 0). */
export function logInto(x: number): void {
  if (x >= 0.9375 && x < 1.064697265625) {
    if (x === 1) OUT[0] = 0;
    else logNearOne(x);
    return;
  }
  // ix: the high word of x's bits; a subnormal x is normalised with the exponent kept in the
  // integer (ix = bits(x * 2^52) - 52 << 52), and xn * 2^-kn is then x * 2^-k exactly
  let xn = x;
  let shift = 0;
  if (!(x >= 2.2250738585072014e-308 && x < Infinity)) {
    if (!(x > 0 && x < Infinity)) {
      OUT[0] = x === 0 ? -Infinity : x === Infinity ? x : NaN;
      return;
    }
    xn = x * 4503599627370496;
    shift = 52;
  }
  F64[0] = xn;
  const ixHi = I32[1] - (shift << 20);
  // tmp = ix - OFF (OFF = 0x3fe6000000000000; its low word is 0)
  const tmp = ixHi - 0x3fe60000;
  const i = (tmp >>> 13) & 127;
  const k = tmp >> 20;
  // z = asdouble(ix - (tmp & 0xfff << 52)) = x * 2^-k
  const z = xn * POW2[1074 - k - shift];
  const invc = TAB[2 * i];
  const logc = TAB[2 * i + 1];
  // r = fma(z, invc, -1): z * invc = ph + pl exactly, and ph - 1 is exact (ph within 2^-8 of 1)
  let r: number;
  {
    const ph = z * invc;
    let t = SPLIT * z;
    const ah = t - (t - z);
    const al = z - ah;
    t = SPLIT * invc;
    const bh = t - (t - invc);
    const bl = invc - bh;
    r = ph - 1 + (ah * bh - ph + ah * bl + al * bh + al * bl);
  }
  // hi + lo = r + log(c) + k ln2; k * LN2_HI is exact, the sum kw is exact by the table's design
  const kw = k * LN2_HI + logc;
  const hi = kw + r;
  let lo: number;
  {
    const c = kw - hi + r;
    const p = k * LN2_LO;
    const e = k * LN2_LO_H - p + k * LN2_LO_L;
    const s = p + c;
    const v = s - p;
    const sl = p - (s - v) + (c - v);
    const u = sl + e;
    lo = s + u;
    const d = 2 * (u - (lo - s));
    if (lo + d - lo === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) lo += d;
    }
  }
  // y = lo + r2 A0 + r r2 (A1 + r A2 + r2 (A3 + r A4)) + hi, each step fused
  const r2 = r * r;
  const r3 = r * r2;
  const rh = SPLIT * r - (SPLIT * r - r);
  const rl = r - rh;
  const r2h = SPLIT * r2 - (SPLIT * r2 - r2);
  const r2l = r2 - r2h;
  let q12: number;
  {
    const p = r * A2;
    const e = rh * A2_H - p + rh * A2_L + rl * A2_H + rl * A2_L;
    const s = A1 + p;
    const sl = p - (s - A1);
    const u = sl + e;
    q12 = s + u;
    const d = 2 * (u - (q12 - s));
    if (q12 + d - q12 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) q12 += d;
    }
  }
  let q34: number;
  {
    const p = r * A4;
    const e = rh * A4_H - p + rh * A4_L + rl * A4_H + rl * A4_L;
    const s = A3 + p;
    const sl = p - (s - A3);
    const u = sl + e;
    q34 = s + u;
    const d = 2 * (u - (q34 - s));
    if (q34 + d - q34 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) q34 += d;
    }
  }
  let q: number;
  {
    const p = r2 * q34;
    let t = SPLIT * q34;
    const bh = t - (t - q34);
    const bl = q34 - bh;
    const e = r2h * bh - p + r2h * bl + r2l * bh + r2l * bl;
    const s = q12 + p;
    const sl = p - (s - q12);
    const u = sl + e;
    q = s + u;
    const d = 2 * (u - (q - s));
    if (q + d - q === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) q += d;
    }
  }
  let sA: number;
  {
    const p = r2 * A0;
    const e = r2h * A0_H - p + r2h * A0_L + r2l * A0_H + r2l * A0_L;
    const s = p + lo;
    const v = s - p;
    const sl = p - (s - v) + (lo - v);
    const u = sl + e;
    sA = s + u;
    const d = 2 * (u - (sA - s));
    if (sA + d - sA === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) sA += d;
    }
  }
  let y: number;
  {
    const p = r3 * q;
    let t = SPLIT * r3;
    const ah = t - (t - r3);
    const al = r3 - ah;
    t = SPLIT * q;
    const bh = t - (t - q);
    const bl = q - bh;
    const e = ah * bh - p + ah * bl + al * bh + al * bl;
    const s = p + sA;
    const v = s - p;
    const sl = p - (s - v) + (sA - v);
    const u = sl + e;
    y = s + u;
    const d = 2 * (u - (y - s));
    if (y + d - y === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) y += d;
    }
  }
  OUT[0] = y + hi;
}

/** glibc's log(x) for any double x. */
export function glibcLog(x: number): number {
  logInto(x);
  return OUT[0];
}
