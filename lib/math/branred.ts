/*! tfjs-lr-scheduler lib/math/branred: follows glibc's branred.c (IBM Accurate Mathematical Library), Copyright (C) 2001-2022 Free Software Foundation, Inc.; LGPL-2.1-or-later */
/**
 * Range reduction of huge arguments, as glibc's `__branred` computes it (IBM Accurate Mathematical
 * Library, sysdeps/ieee754/dbl-64/branred.c and branred.h, numerically unchanged in glibc 2.29 to
 * 2.42). This file follows branred.c operation for operation. glibc compiles branred.c without
 * fused multiply-adds (`config-cflags-nofma`), so every operation here is a plain IEEE double
 * operation, exactly as JavaScript evaluates it.
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
import { F64, I32, POW2 } from './bits';

/**
 * branred.h's `toverp`: 2/pi in base 2^24, 75 digits, as the base64 of 3 bytes (big-endian) per
 * digit; spec/math/branred.spec.ts checks them against glibc's source.
 */
const TOVERP_BASE64 =
  'ovmDbk5EFSn8J1fR9TTdwNtilZk8Q5BB/lFjq967xWG3JG46Qk3S4AZJLuoJ0ZIc/h3rHLEppz7ogjX1LrtEhOmccCa0X35BOZHWOYNTOfSchF+LvfkoOx/4l//eBZgP7y8Ri1oKbR9tNn7PJ8sJt09GP2aeX+otdSe6x+vl8Xs9Bzn3ilKS6mv7X7EfjV0IVgMwRvx7a6vwz7wgmvQ2HanjkWFe5hsIZZmFXxSgaECN/9iATXMnMQYGFVbKc6jJYOJ7wIxrR8QZw2fN3OgJKoNZxHaLlhym3a9E0VcZBT6l';

function decodeDigits(base64: string): Float64Array {
  const bytes = atob(base64);
  const digits = new Float64Array(bytes.length / 3);
  for (let i = 0; i < digits.length; i++) {
    digits[i] = (bytes.charCodeAt(3 * i) << 16) | (bytes.charCodeAt(3 * i + 1) << 8) | bytes.charCodeAt(3 * i + 2);
  }
  return digits;
}

/** branred.h's `toverp[75]`. */
export const TOVERP: Float64Array = /* @__PURE__ */ decodeDigits(TOVERP_BASE64);

const TM600 = 2.409919865102884e-181; // 2^-600
const TM24 = 5.960464477539063e-8; // 2^-24
const BIG = 6755399441055744; // 1.5 * 2^52
const BIG1 = 27021597764222976; // 1.5 * 2^54
const HP0 = 1.5707963267948966; // 0x3FF921FB 54442D18
const HP1 = 6.123233995736766e-17; // 0x3C91A626 33145C07
const MP1 = 1.5707963407039642; // 0x3FF921FB 58000000
const MP2 = -1.3909067675399456e-8; // 0xBE4DDE97 40000000
const SPLIT = 134217729; // 2^27 + 1

const halves = new Float64Array(6);

/**
 * b, bb and sum of one part xp of x (glibc writes out the same steps for x1 and for x2) into
 * halves[3 * part ...]; xp comes from halves[3 * part] (a double argument of a call V8 does not
 * inline would be boxed). The loops over r[0..5] are unrolled, operation for operation.
 */
function reducePart(part: number): void {
  const xp = halves[3 * part];
  // k = max(0, (exponent field - 450) / 24), C integer division (towards zero)
  F64[0] = xp;
  let k = ((((I32[1] >> 20) & 2047) - 450) / 24) | 0;
  if (k < 0) k = 0;
  // gor = t576 with (k * 24) << 20 taken from its high word: 2^(576 - 24k)
  let gor = POW2[1074 + 576 - 24 * k];
  let r0 = xp * TOVERP[k] * gor;
  gor *= TM24;
  let r1 = xp * TOVERP[k + 1] * gor;
  gor *= TM24;
  let r2 = xp * TOVERP[k + 2] * gor;
  gor *= TM24;
  const r3 = xp * TOVERP[k + 3] * gor;
  gor *= TM24;
  const r4 = xp * TOVERP[k + 4] * gor;
  gor *= TM24;
  const r5 = xp * TOVERP[k + 5] * gor;
  let sum = 0;
  let s = r0 + BIG - BIG;
  sum += s;
  r0 -= s;
  s = r1 + BIG - BIG;
  sum += s;
  r1 -= s;
  s = r2 + BIG - BIG;
  sum += s;
  r2 -= s;
  let t = 0;
  t += r5;
  t += r4;
  t += r3;
  t += r2;
  t += r1;
  t += r0;
  let bb = r0 - t + r1 + r2 + r3 + r4 + r5;
  s = t + BIG - BIG;
  sum += s;
  t -= s;
  const b = t + bb;
  bb = t - b + bb;
  s = sum + BIG1 - BIG1;
  sum -= s;
  halves[3 * part] = b;
  halves[3 * part + 1] = bb;
  halves[3 * part + 2] = sum;
}

/**
 * Reduces finite x = io[0] to x = n * pi/2 + (a + aa) with |a + aa| <= pi/4 (about), writes a to
 * io[0] and aa to io[1], and returns n mod 4 (glibc's `__branred`). Used for |x| >= 105414336.
 * (x comes in a Float64Array: V8 would box a double argument of a call it does not inline.)
 */
export function branred(io: Float64Array): number {
  let s: number, t: number, sum: number, b: number, bb: number;

  const x = io[0] * TM600;
  t = x * SPLIT; // split x into two numbers
  const x1 = t - (t - x);
  halves[0] = x1;
  halves[3] = x - x1;
  reducePart(0);
  reducePart(1);
  const b1 = halves[0];
  const bb1 = halves[1];
  const sum1 = halves[2];
  const b2 = halves[3];
  const bb2 = halves[4];
  const sum2 = halves[5];

  sum = sum1 + sum2;
  b = b1 + b2;
  bb = Math.abs(b1) > Math.abs(b2) ? b1 - b + b2 : b2 - b + b1;
  if (b > 0.5) {
    b -= 1.0;
    sum += 1.0;
  } else if (b < -0.5) {
    b += 1.0;
    sum -= 1.0;
  }
  s = b + (bb + bb1 + bb2);
  t = b - s + bb + (bb1 + bb2);
  b = s * SPLIT;
  const t1 = b - (b - s);
  const t2 = s - t1;
  b = s * HP0;
  bb = t1 * MP1 - b + t1 * MP2 + t2 * MP1 + (t2 * MP2 + s * HP1 + t * HP0);
  s = b + bb;
  t = b - s + bb;
  io[0] = s;
  io[1] = t;
  return (sum | 0) & 3; // quarter of the unit circle
}
