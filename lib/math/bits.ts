/**
 * What the ports of glibc's functions share: views for reading and writing the bits of a double,
 * the slot their cores return results through, the decoding of their tables, and Veltkamp's
 * splitting constant.
 *
 * The cores store their result in OUT[0] instead of returning it, and tiny wrappers (which V8
 * inlines into callers) read it: V8 allocates a heap number for a double returned from a call it
 * does not inline, and these cores are too large to inline. The bit views assume a
 * little-endian platform (word 0 is the low half), as every JavaScript engine in use is.
 */

/** The result slot of the cores in this folder. */
export const OUT = /* @__PURE__ */ new Float64Array(1);

/** A double and its two 32-bit halves: I32[0] the low word, I32[1] the high (sign, exponent). */
export const F64 = /* @__PURE__ */ new Float64Array(1);
export const I32 = /* @__PURE__ */ new Int32Array(F64.buffer);

/**
 * 2^m for m = -1074..1023 at index m + 1074. Multiplying by a power of two is exact whenever the
 * product is representable: x * POW2[1074 - k] scales x's exponent by -k without touching its
 * bits, and without a store to F64's words followed by a load of the double (which costs a
 * store-forwarding stall of about 5 ns).
 */
export const POW2 = /* @__PURE__ */ powersOfTwo();

function powersOfTwo(): Float64Array {
  const table = new Float64Array(2098);
  table[1074] = 1;
  for (let m = 1; m <= 1023; m++) table[1074 + m] = 2 * table[1073 + m];
  for (let m = 1; m <= 1074; m++) table[1074 - m] = 0.5 * table[1075 - m];
  return table;
}

/** 2^-53, the unit roundoff: |RN(v) - v| <= U |v| for v in the normal range. */
export const U = 1.1102230246251565e-16;

/** 2^27 + 1: `t = SPLIT * a; hi = t - (t - a)` keeps the top 26 bits of a's significand. */
export const SPLIT = 134217729;

/** The top 26 bits of x's significand (Veltkamp); x - hi26(x) is exact and has at most 26 bits. */
export function hi26(x: number): number {
  const t = SPLIT * x;
  return t - (t - x);
}

/** The bytes of a base64 string. */
export function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The little-endian doubles of a base64 string. */
export function float64s(text: string): Float64Array {
  const bytes = base64Bytes(text);
  const view = new DataView(bytes.buffer);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}
