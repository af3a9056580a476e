/**
 * JSON encoding of non-finite numbers, as in PyTorch's recorded state dicts: `Infinity`, `-Infinity`
 * and `NaN` are the strings "inf", "-inf" and "nan", so `JSON.stringify` loses nothing.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A number as JSON data: finite numbers as themselves, non-finite ones as "inf", "-inf", "nan". */
export function encodeFloat(value: number): number | string {
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
    default:
      return undefined;
  }
}
