/**
 * `pyrepr`: what Python prints, so a ported training loop's log diffs clean against the original's
 * (`print(epoch, lr)` in Python, `console.log(epoch, pyrepr(lr))` here).
 *
 * A number is a Python float (a JavaScript number cannot say whether it was an int; learning rates,
 * momenta and metrics are floats in PyTorch): `0.0`, `0.1`, `1e-05`, `4e-08`, `1e+16`, `-0.0`, `inf`,
 * `nan`. The digits are the shortest that read back as the same double, closest to it (JavaScript's
 * and Python's rule alike); only the notation differs: Python writes an exponent when the decimal
 * point would sit more than 16 places right of the first digit or 4 or more places left of it
 * (CPython's `float_repr_style` "short", `Py_DTSF_ADD_DOT_0`), with a sign and at least two exponent
 * digits. A bigint is a Python int (`5`), booleans are `True` / `False`, `null` and `undefined` are
 * `None`, strings are quoted as Python quotes them, and arrays are Python lists (`[0.1, 0.01]`).
 */
import { InvalidArgumentError } from '../errors';

/** What `pyrepr` prints: numbers (floats), bigints (ints), booleans, strings, null, and arrays of these. */
export type PyReprValue = number | bigint | boolean | string | null | undefined | readonly PyReprValue[];

/** Python's `repr()` of the value (see the module documentation for the mapping of types). */
export function pyrepr(value: PyReprValue): string {
  switch (typeof value) {
    case 'number':
      return floatRepr(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'True' : 'False';
    case 'string':
      return stringRepr(value);
    case 'undefined':
      return 'None';
    default:
      if (value === null) return 'None';
      if (Array.isArray(value)) return listRepr(value, new Set());
      throw new InvalidArgumentError(`pyrepr: cannot print ${describe(value)} as Python would (numbers, bigints, booleans, strings, null and arrays only)`, 'TypeError');
  }
}

function describe(value: unknown): string {
  return typeof value === 'object' && value !== null ? 'an object' : typeof value;
}

function listRepr(values: readonly PyReprValue[], open: Set<readonly PyReprValue[]>): string {
  // Python prints a list that contains itself as [...].
  if (open.has(values)) return '[...]';
  open.add(values);
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const item = values[i];
    parts.push(Array.isArray(item) ? listRepr(item, open) : pyrepr(item));
  }
  open.delete(values);
  return `[${parts.join(', ')}]`;
}

/** Python's `repr(float)` (`pyrepr` of a number; alone, it leaves the rest of `pyrepr` out of a bundle). */
export function floatRepr(x: number): string {
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // JavaScript's shortest round-trip text: "123.45", "0.000012", "1.5e-7", "1e+21".
  const text = String(x < 0 ? -x : x);
  let digits: string;
  let exponent: number; // x = 0.d1d2d3... * 10^exponent (CPython's decpt)
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const dot = mantissa.indexOf('.');
  if (dot < 0) {
    digits = mantissa;
    exponent = mantissa.length;
  } else {
    digits = mantissa.slice(0, dot) + mantissa.slice(dot + 1);
    exponent = dot;
  }
  if (e >= 0) exponent += Number(text.slice(e + 1));
  // Leading zeros ("0.000012") move the decimal point; trailing zeros ("1200") are not digits.
  let start = 0;
  while (digits.charCodeAt(start) === 48) start++;
  exponent -= start;
  let end = digits.length;
  while (end > start + 1 && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(start, end);

  if (exponent <= -4 || exponent > 16) {
    const power = exponent - 1;
    const magnitude = power < 0 ? -power : power;
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${head}e${power < 0 ? '-' : '+'}${magnitude < 10 ? '0' : ''}${magnitude}`;
  }
  if (exponent <= 0) return `${sign}0.${'0'.repeat(-exponent)}${digits}`;
  if (exponent >= digits.length) return `${sign}${digits}${'0'.repeat(exponent - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent)}.${digits.slice(exponent)}`;
}

/** Characters Python's `str.isprintable()` rejects (other than the escapes handled first), by Unicode category. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's `repr(str)`: single quotes unless the text has ' and no ", escapes for the rest. */
function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char === ' ' || !NOT_PRINTABLE.test(char)) out += char;
    else if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return out + quote;
}
