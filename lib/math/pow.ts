/**
 * x ** y exactly as glibc 2.29 and later computes it on x86-64 with FMA (`__ieee754_pow_fma`,
 * which CPython's `**` on floats calls): a port, operation for operation, of ARM
 * optimized-routines' pow (math/pow.c; glibc's sysdeps/ieee754/dbl-64/e_pow.c and
 * e_pow_log_data.c), with the steps GCC fuses into `vfmadd`/`vfmsub` instructions in that
 * build (read off libm's disassembly) and its explicit `__builtin_fma` calls emulated exactly (see
 * ./fma). The table and coefficients are optimized-routines' (`__pow_log_data`, N = 128);
 * exp's part is ./exp's.
 *
 * x^y = exp(y log x): log x as hi + lo with about 15 bits beyond double precision (x = 2^k z,
 * log(x) = k ln2 + log(c) + log1p(z/c - 1), 1/c having so few bits that z/c - 1 is exact), then
 * y * (hi + lo) as ehi + elo and exp(ehi + elo) by ./exp.
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
import { base64Bytes, F64, hi26, I32, OUT, POW2, SPLIT } from './bits';
import { expInto } from './exp';

/**
 * __pow_log_data.tab (lib/math/gen-data.py) in rows of 15 bytes: invc * 256 - 182, logc * 2^43
 * (6 bytes, signed), logctail (a double), little-endian; decoded into TAB as invc, logc, logctail.
 */
const DATA = 'tMeooW86/YBWNygktPo8sv8USMhF/SD34NgIpRy9sFUXHTFR/W1QttWkYiO9rkEaT6pc/dVnsJ7khOa8rBFRDTRo/eA+KZNpGwS9qnS8h85z/cyETEgv2BM9qCsv73l//ToLgu3zQtw8ptdSdTaL/WCUUYbGsSA9pPCsTASX/ZKAxdRNWSU9otyjqOOi/dgrt5keeyY9oC+EvdSu/T+wz7YUyhU9oC+EvdSu/T+wz7YUyhU9nhGGwNe6/XbaUygkWha9nM3S5+zG/QRU52i8rx+9mouKahTT/fCogjPGHx89mDfKgE7f/WZaBf3EqCa9lo6xY5vr/Q4D9H7uawy9lGZpTfv3/X8t9J64NvC8lGZpTfv3/X8t9J64NvC8khwqeW4E/oc8masqVw09kDpCI/UQ/iSvhpy3Jis9jlEdiY8d/hD/P1RPLxe9jARL6T0q/htoyruRuiE9ilaGgwA3/jSEn2hPeSc9ilaGgwA3/jSEn2hPeSc9iCe9mNdD/o+3izGwThk9hvQXa8NQ/maQzT9jTro8hNUBPsRd/urBRtxkjCW9hNUBPsRd/urBRtxkjCW9grswVtpq/uPUwQTZ0Sq9gPOt+QV4/gn623+/vSs9fvLeb0eF/lhKU3KQ2ys9fvLeb0eF/lhKU3KQ2ys9fGOOAZ+S/mbisqNq5BC9eof1+Ayg/jlQEJ9Dnh69eof1+Ayg/jlQEJ9Dnh69eOXFoZGt/o9bB5CL3iC9dkgzSS27/jx4NWHBDBc9dkgzSS27/jx4NWHBDBc9dBf+PeDI/jpUJ02GePE8cgF+0KrW/gjEcRcwjSS9cAqtUo3k/pajERikgC69cAqtUo3k/pajERikgC69bvcyGIjy/vRb6IiWaQo9bvcyGIjy/vRb6IiWaQo9bCFxdpsA//Izo1xUdSW9aqiOxMcO/zwA8CosNCo9aqiOxMcO/zwA8CosNCo9aCKFWw0d/wa+X1hXDB29Zqktlmwr/8iqW+g1OSU9Zqktlmwr/8iqW+g1OSU9ZHNO0eU5/2hWL00pfBM9ZHNO0eU5/2hWL00pfBM9YtWoa3lI/9pzM8k3lya9YM8HxidX/1dexmFbAh89YM8HxidX/1dexmFbAh89XiFPQ/Fl/98T+czaXiw9XiFPQ/Fl/98T+czaXiw9XOSKSNZ0/wmjj3ZefBQ9Wrr/PNeD/5GONoOeWS09Wrr/PNeD/5GONoOeWS09WJo7ivSS/0xw1uV6ghw9WJo7ivSS/0xw1uV6ghw9VjUnnC6i/+6h8jRG/Cy9VjUnnC6i/+6h8jRG/Cy9VAUY4YWx/6r+JvW3AvU8VAUY4YWx/6r+JvW3AvU8UhDjyfrA/+QJfnwmgCm9UhDjyfrA/+QJfnwmgCm9UFXwyY3Q/zmm+pNUjSi9TgRPVz/g/5ym0/Z8Ht+8TgRPVz/g/5ym0/Z8Ht+8THjK6g/w/+RA2g0/4hm9THjK6g/w/+RA2g0/4hm9SgAAAAAAAAAAAAAAAAAASgAAAAAAAAAAAAAAAAAASIl1FRAQAOgrnZlrxxC9RiexrEAgANL34gZb3CO9RJJRSpIwADQMWjK6oCq9Qp0ndgVBAFPX8VzAEQE9QLhQu5pRACj9vXVzFiy9Pn9SqFJiAH0mWtCVeRm9PHc3zy1zAAco2EfyaBq9OxsAx6h7AHs7yU8+EQ69OTOK3rmMAJueDVZdMiW9N48+re+dANdO26VeyCw9Nb1s0kqvAB4dXTwGaSy9NFZXmAa4ADLtnamNHuw8Msrq8prJANpHvTpcESM9MGttRFbbAOVo9yuAkBO9L+INwELkANOsWsbRRiY9LVEYzDn2AOBF5q9owC29LN/OiUT/AP0KoU/WNCW9Kn4i6HgRAfIHLc547yE9KT/it6IaATSZOESOpyw9J2jIEBYtAaG0gctsnQM9JlkBy182AYlySyOoL8Y8JDsz2BNJAXi2/VR5gyU9IxtKXn5SAcd9aeXoMyY9IcHo63RlAXguPCyLzxk9IFe3KAFvAeEhnOWNESW9H0VU2Jh4AQVDkXAQZhy9HZCz/uqLAdEs6apUPQe9HHDPraWVAW//oFgo8gc9Gq7I0z6pAWkhVlBDcii9Gb11hR2zAarhrE6NNQy9GL6Dcwi9AbYSVFnESy29FwFvvP/GAdIrlsVy7PG8FUkN2xPbATWwFfcq/yq9FHH+7zDlATD0QWAnEsI8E9BN3lrvARGOu2UVIcq8EjvLxpH5ATDfDMrsyxs9EKsJDCcOApFO7RbbnPg8DyzsrIUYAunqPBaLGCc9Dv1E0PEiAhzwpWMOISy9DZ91mWstAoEWpffNmis9DE1rLPM3Are9R1Htpiw9C9ehrYhCAuq6Rrrehwo9CZKbD95XAvQEUEr6nCo9CGw6PJ5iArg8IdN64ii9B8LX7mxtAsh38bDNbhE9BmbmTkp4Aly9BrZUOxg9Bb16hDaDAp3gkOw25Ag9BDlOuDGOAnXWZwnOJy+9A+bCEzyZAqTYChuJIC69AhTnwFWkAlnHZIFwvi49ARp56n6vAu9AXe7trR89ACzru7e6AtxlpAgqCwq9';
const TAB = /* @__PURE__ */ decodeTable(DATA);

function decodeTable(text: string): Float64Array {
  const bytes = base64Bytes(text);
  const view = new DataView(bytes.buffer);
  const tab = new Float64Array(384);
  for (let i = 0; i < 128; i++) {
    const o = 15 * i;
    tab[3 * i] = (bytes[o] + 182) / 256;
    tab[3 * i + 1] = (view.getInt16(o + 5, true) * 4294967296 + view.getUint32(o + 1, true)) / 8796093022208;
    tab[3 * i + 2] = view.getFloat64(o + 7, true);
  }
  return tab;
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

// Veltkamp halves of the constant factors of fused products
const LN2_LO_H = /* @__PURE__ */ hi26(LN2_LO);
const LN2_LO_L = LN2_LO - LN2_LO_H;
const A2_H = /* @__PURE__ */ hi26(A2);
const A2_L = A2 - A2_H;
const A4_H = /* @__PURE__ */ hi26(A4);
const A4_L = A4 - A4_H;
const A6_H = /* @__PURE__ */ hi26(A6);
const A6_L = A6 - A6_H;

/**
 * glibc's pow(x, y) into OUT[0] for finite x > 0, x != 1, and finite y != 0 (Python's `**`
 * settles the other cases first): Infinity on overflow, 0 on underflow.
 */
export function powInto(x: number, y: number): void {
  const ay = Math.abs(y);
  if (!(ay >= 2.710505431213761e-20 && ay < 9223372036854775808)) {
    // |y| < 2^-65: x^y rounds to 1 +- y; |y| >= 2^63: x^y overflows or underflows
    if (ay < 2.710505431213761e-20) OUT[0] = x > 1 ? 1 + y : 1 - y;
    else OUT[0] = x > 1 === y > 0 ? Infinity : 0;
    return;
  }
  // ix: the high word of x's bits; a subnormal x is normalised with the exponent kept in the
  // integer (ix = bits(x * 2^52) - 52 << 52), and xn * 2^-kn is then x * 2^-k exactly
  let xn = x;
  let shift = 0;
  if (x < 2.2250738585072014e-308) {
    xn = x * 4503599627370496;
    shift = 52;
  }
  F64[0] = xn;
  const ixHi = I32[1] - (shift << 20);
  // log_inline: tmp = ix - OFF (OFF = 0x3fe6955500000000; its low word is 0)
  const tmp = ixHi - 0x3fe69555;
  const i = (tmp >>> 13) & 127;
  const k = tmp >> 20;
  // z = asdouble(ix - (tmp & 0xfff << 52)) = x * 2^-k
  const z = xn * POW2[1074 - k - shift];
  const invc = TAB[3 * i];
  const logc = TAB[3 * i + 1];
  const logctail = TAB[3 * i + 2];
  // r = fma(z, invc, -1), exact (1/c has at most 9 bits): zh * invc - 1 and zl * invc are exact
  const zh = SPLIT * z - (SPLIT * z - z);
  const r = zh * invc - 1 + (z - zh) * invc;
  // k ln2 + log(c) + r as t2 + lo1 + lo2; k * LN2_HI + logc is exact
  const t1 = k * LN2_HI + logc;
  const t2 = t1 + r;
  let lo1: number;
  {
    const p = k * LN2_LO;
    const e = k * LN2_LO_H - p + k * LN2_LO_L;
    const s = p + logctail;
    const v = s - p;
    const sl = p - (s - v) + (logctail - v);
    const u = sl + e;
    lo1 = s + u;
    const d = 2 * (u - (lo1 - s));
    if (lo1 + d - lo1 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) lo1 += d;
    }
  }
  const lo2 = t1 - t2 + r;
  // ar2 = A0 r^2 rounded, lo3 = fma(ar, r, -ar2) its exact error (Dekker's product)
  const rh = SPLIT * r - (SPLIT * r - r);
  const rl = r - rh;
  const ar = -0.5 * r;
  const ar2 = r * ar;
  const ar3 = r * ar2;
  const lo3 = -0.5 * rh * rh - ar2 + -0.5 * rh * rl + -0.5 * rl * rh + -0.5 * rl * rl;
  const hi = t2 + ar2;
  const lo4 = t2 - hi + ar2;
  // p = ar3 (A1 + r A2 + ar2 (A3 + r A4 + ar2 (A5 + r A6))), each step fused; the addends outweigh
  // the products (|r| < 2^-7)
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
  let q56: number;
  {
    const p = r * A6;
    const e = rh * A6_H - p + rh * A6_L + rl * A6_H + rl * A6_L;
    const s = A5 + p;
    const sl = p - (s - A5);
    const u = sl + e;
    q56 = s + u;
    const d = 2 * (u - (q56 - s));
    if (q56 + d - q56 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) q56 += d;
    }
  }
  const ar2h = SPLIT * ar2 - (SPLIT * ar2 - ar2);
  const ar2l = ar2 - ar2h;
  let q36: number;
  {
    const p = ar2 * q56;
    let t = SPLIT * q56;
    const bh = t - (t - q56);
    const bl = q56 - bh;
    const e = ar2h * bh - p + ar2h * bl + ar2l * bh + ar2l * bl;
    const s = q34 + p;
    const sl = p - (s - q34);
    const u = sl + e;
    q36 = s + u;
    const d = 2 * (u - (q36 - s));
    if (q36 + d - q36 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) q36 += d;
    }
  }
  let q16: number;
  {
    const p = ar2 * q36;
    let t = SPLIT * q36;
    const bh = t - (t - q36);
    const bl = q36 - bh;
    const e = ar2h * bh - p + ar2h * bl + ar2l * bh + ar2l * bl;
    const s = q12 + p;
    const sl = p - (s - q12);
    const u = sl + e;
    q16 = s + u;
    const d = 2 * (u - (q16 - s));
    if (q16 + d - q16 === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) q16 += d;
    }
  }
  // lo = lo1 + lo2 + lo3 + lo4 + p, the last step fused
  let lo: number;
  {
    const c = lo1 + lo2 + lo3 + lo4;
    const p = ar3 * q16;
    let t = SPLIT * ar3;
    const ah = t - (t - ar3);
    const al = ar3 - ah;
    t = SPLIT * q16;
    const bh = t - (t - q16);
    const bl = q16 - bh;
    const e = ah * bh - p + ah * bl + al * bh + al * bl;
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
  const logHi = hi + lo;
  const logLo = hi - logHi + lo;
  // ehi + elo = y (logHi + logLo): ehi = y logHi rounded, elo = y logLo + fma(y, logHi, -ehi),
  // the last sum fused; fma(y, logHi, -ehi) is the exact error of ehi (Dekker's product)
  const ehi = y * logHi;
  const yh = SPLIT * y - (SPLIT * y - y);
  const yl = y - yh;
  const lh = SPLIT * logHi - (SPLIT * logHi - logHi);
  const ll = logHi - lh;
  const eerr = yh * lh - ehi + yh * ll + yl * lh + yl * ll;
  let elo: number;
  {
    const p = y * logLo;
    let t = SPLIT * logLo;
    const bh = t - (t - logLo);
    const bl = logLo - bh;
    const e = yh * bh - p + yh * bl + yl * bh + yl * bl;
    const s = p + eerr;
    const v = s - p;
    const sl = p - (s - v) + (eerr - v);
    const u = sl + e;
    elo = s + u;
    const d = 2 * (u - (elo - s));
    if (elo + d - elo === d && d !== 0) {
      const w = u - sl;
      const ue = sl - (u - w) + (e - w);
      if (ue !== 0 && ue > 0 === d > 0) elo += d;
    }
  }
  expInto(ehi, elo);
}

/** glibc's pow(x, y) for finite x > 0, x != 1, finite y != 0 (see powInto). */
export function glibcPow(x: number, y: number): number {
  powInto(x, y);
  return OUT[0];
}
