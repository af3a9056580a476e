/**
 * JSON encoding of non-finite numbers, as in PyTorch's recorded state dicts: `Infinity`, `-Infinity`
 * and `NaN` are the strings "inf", "-inf" and "nan". Negative zero (a learning rate can decay to it,
 * as in Python) is the string "-0.0", because `JSON.stringify(-0)` writes `0`. So `JSON.stringify`
 * loses nothing.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A number as JSON data: finite numbers as themselves, non-finite ones as "inf", "-inf", "nan", -0 as "-0.0". */
export function encodeFloat(value: number): number | string {
  if (Object.is(value, -0)) return '-0.0';
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'nan';
  return value > 0 ? 'inf' : '-inf';
}

/** A number from JSON data (a number, or "inf", "-inf", "nan" and Python's spellings); `undefined` if it is none. */
export function decodeFloat(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  switch (value.toLowerCase()) {
    case 'inf':
    case 'infinity':
    case '+inf':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    case 'nan':
      return NaN;
    case '-0.0':
    case '-0':
      return -0;
    default:
      return undefined;
  }
}
