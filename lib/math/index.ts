/**
 * Python's float arithmetic (CPython on x86-64 Linux, glibc's libm) for the operations
 * the schedulers use. Exported publicly as `pymath`.
 *
 * PLACEHOLDER: these delegate to Math.* until the bit-identical implementation lands.
 */
import { PythonArithmeticError } from '../errors';

export const PI = Math.PI;

/** Python `x ** y` for floats (C `pow`). */
export function pow(x: number, y: number): number {
  return Math.pow(x, y);
}
/** Python `math.cos`. */
export function cos(x: number): number {
  return Math.cos(x);
}
/** Python `math.sin`. */
export function sin(x: number): number {
  return Math.sin(x);
}
/** Python `math.exp`. */
export function exp(x: number): number {
  return Math.exp(x);
}
/** Python `math.log(x)` or `math.log(x, base)` (computed as `log(x) / log(base)`). */
export function log(x: number, base?: number): number {
  if (base === undefined) return Math.log(x);
  return Math.log(x) / Math.log(base);
}
/** Python `math.sqrt`. */
export function sqrt(x: number): number {
  return Math.sqrt(x);
}
/** Python `a // b` (floor division; result floored toward negative infinity). */
export function floorDiv(a: number, b: number): number {
  if (b === 0) throw new PythonArithmeticError('float floor division by zero', 'ZeroDivisionError');
  return Math.floor(a / b);
}
/** Python `a % b` (the result takes the sign of `b`). */
export function mod(a: number, b: number): number {
  if (b === 0) throw new PythonArithmeticError('float modulo', 'ZeroDivisionError');
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}
/** Python `int(x)` for a float: truncation toward zero. */
export function trunc(x: number): number {
  return Math.trunc(x);
}
/** Python `math.floor(x)`. */
export function floor(x: number): number {
  return Math.floor(x);
}
