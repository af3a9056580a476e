/**
 * Python's float arithmetic for the operations the schedulers use, bit for bit as CPython 3.x
 * computes it on x86-64 Linux with glibc 2.29 or later on a CPU with FMA and AVX2. Exported
 * publicly as `pymath`.
 *
 * exp, log, pow, cos and sin are ports of the functions CPython calls there, misroundings
 * included: glibc's FMA builds of ARM optimized-routines' exp, log and pow (./exp, ./log, ./pow)
 * and of the IBM Accurate Mathematical Library's sin and cos (./sin-cos). The Python-level
 * special cases and exceptions follow CPython's floatobject.c and mathmodule.c. See docs/math.md.
 */
import { PythonArithmeticError } from '../errors';
import { glibcExp } from './exp';
import { glibcLog } from './log';
import { glibcPow } from './pow';
import { cos as glibcCos, sin as glibcSin } from './sin-cos';

export const PI = Math.PI;

const DOMAIN = 'math domain error';

/** True when x is an odd integer (C: fmod(fabs(x), 2.0) == 1.0). */
function isOddInteger(x: number): boolean {
  return Math.abs(x) % 2 === 1;
}

/** Python `x ** y` for floats (C `pow`). */
export function pow(x: number, y: number): number {
  if (y === 0) return 1;
  if (x !== x) return x;
  if (y !== y) return x === 1 ? 1 : y;
  if (y === Infinity || y === -Infinity) {
    const ax = Math.abs(x);
    if (ax === 1) return 1;
    return y > 0 === ax > 1 ? Infinity : 0;
  }
  if (x === Infinity || x === -Infinity) {
    const odd = isOddInteger(y);
    if (y > 0) return odd ? x : Infinity;
    return odd ? (x < 0 ? -0 : 0) : 0;
  }
  if (x === 0) {
    if (y < 0) throw new PythonArithmeticError('0.0 cannot be raised to a negative power', 'ZeroDivisionError');
    return isOddInteger(y) ? x : 0;
  }
  let negate = false;
  if (x < 0) {
    if (y !== Math.floor(y)) {
      // CPython returns a complex number here (OverflowError if its modulus overflows).
      if (x !== -1 && glibcPow(-x, y) === Infinity) {
        throw new PythonArithmeticError('complex exponentiation', 'OverflowError');
      }
      throw new PythonArithmeticError('negative number cannot be raised to a fractional power', 'ValueError');
    }
    x = -x;
    negate = isOddInteger(y);
  }
  if (x === 1) return negate ? -1 : 1;
  const r = glibcPow(x, y);
  if (r === Infinity) throw new PythonArithmeticError("(34, 'Numerical result out of range')", 'OverflowError');
  return negate ? -r : r;
}

/** Python `math.cos`. */
export function cos(x: number): number {
  if (x - x !== 0) {
    if (x !== x) return x;
    throw new PythonArithmeticError(DOMAIN, 'ValueError');
  }
  return glibcCos(x);
}

/** Python `math.sin`. */
export function sin(x: number): number {
  if (x - x !== 0) {
    if (x !== x) return x;
    throw new PythonArithmeticError(DOMAIN, 'ValueError');
  }
  return glibcSin(x);
}

/** Python `math.exp`. */
export function exp(x: number): number {
  if (x - x !== 0) return x === -Infinity ? 0 : x;
  const r = glibcExp(x);
  if (r === Infinity) throw new PythonArithmeticError('math range error', 'OverflowError');
  return r;
}

/** Natural logarithm with math.log's domain errors (CPython m_log). */
function logOne(x: number): number {
  if (x > 0) return x === Infinity ? x : glibcLog(x);
  if (x !== x) return x;
  throw new PythonArithmeticError(DOMAIN, 'ValueError');
}

/** Python `math.log(x)` or `math.log(x, base)` (computed as `log(x) / log(base)`). */
export function log(x: number, base?: number): number {
  const num = logOne(x);
  if (base === undefined) return num;
  const den = logOne(base);
  if (den === 0) throw new PythonArithmeticError('float division by zero', 'ZeroDivisionError');
  return num / den;
}

/** Python `math.sqrt`. */
export function sqrt(x: number): number {
  if (x < 0) throw new PythonArithmeticError(DOMAIN, 'ValueError');
  return Math.sqrt(x); // IEEE sqrt is correctly rounded everywhere
}

/** Python `a // b` (floor division; result floored toward negative infinity). */
export function floorDiv(a: number, b: number): number {
  if (b === 0) throw new PythonArithmeticError('float floor division by zero', 'ZeroDivisionError');
  // CPython _float_div_mod: fmod (JS % is C fmod), then adjust and snap the quotient.
  const m = a % b;
  let div = (a - m) / b;
  if (m !== 0) {
    if (b < 0 !== m < 0) div -= 1;
  }
  if (div !== 0) {
    let fd = Math.floor(div);
    if (div - fd > 0.5) fd += 1;
    return fd;
  }
  // zero with the sign of the true quotient a / b
  const quotient = a / b;
  return quotient < 0 || Object.is(quotient, -0) ? -0 : 0;
}

/** Python `a % b` (the result takes the sign of `b`). */
export function mod(a: number, b: number): number {
  if (b === 0) throw new PythonArithmeticError('float modulo', 'ZeroDivisionError');
  let m = a % b;
  if (m !== 0) {
    if (b < 0 !== m < 0) m += b;
  } else {
    m = b < 0 ? -0 : 0;
  }
  return m;
}

function checkIntegral(x: number): void {
  if (x !== x) throw new PythonArithmeticError('cannot convert float NaN to integer', 'ValueError');
  if (x === Infinity || x === -Infinity) {
    throw new PythonArithmeticError('cannot convert float infinity to integer', 'OverflowError');
  }
}

/** Python `int(x)` for a float: truncation toward zero (an int, so never -0). */
export function trunc(x: number): number {
  checkIntegral(x);
  return Math.trunc(x) + 0;
}

/** Python `math.floor(x)` (an int, so never -0). */
export function floor(x: number): number {
  checkIntegral(x);
  return Math.floor(x) + 0;
}
