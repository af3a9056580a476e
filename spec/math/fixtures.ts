/**
 * Loading and evaluating the CPython reference tables in spec/fixtures/math (written by
 * spec/fixtures/math/generate.py), shared by pymath.spec.ts and agreement.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PythonArithmeticError } from '../../lib/errors';
import * as pymath from '../../lib/math';

/** One table: each case is [...args, result], a result being a double or a Python exception name. */
export interface MathTable {
  name: string;
  fn: string;
  cases: Array<Array<number | string>>;
  /** Indices of cases where glibc's result is not the correctly rounded one (per mpmath). */
  notCorrectlyRounded: number[];
}

export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'math');

export const TABLE_NAMES = [
  'cos',
  'cos_schedule',
  'sin',
  'exp',
  'log',
  'log_base',
  'pow',
  'pow_gamma',
  'sqrt',
  'floordiv',
  'mod',
] as const;

/** Reads one table. */
export function loadTable(name: string): MathTable {
  const raw = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as Omit<MathTable, 'name'>;
  return { name, ...raw };
}

type Impl = (args: number[]) => number;

/** The pymath implementation of each table's function. */
export const PYMATH: Record<string, Impl> = {
  cos: (a) => pymath.cos(a[0]),
  sin: (a) => pymath.sin(a[0]),
  exp: (a) => pymath.exp(a[0]),
  log: (a) => pymath.log(a[0]),
  log2arg: (a) => pymath.log(a[0], a[1]),
  pow: (a) => pymath.pow(a[0], a[1]),
  sqrt: (a) => pymath.sqrt(a[0]),
  floorDiv: (a) => pymath.floorDiv(a[0], a[1]),
  mod: (a) => pymath.mod(a[0], a[1]),
  trunc: (a) => pymath.trunc(a[0]),
  floor: (a) => pymath.floor(a[0]),
};

/** The plain JavaScript expression one would write without pymath (deliberately Math.*, for comparison). */
export const NAIVE: Record<string, Impl> = {
  cos: (a) => Math.cos(a[0]),
  sin: (a) => Math.sin(a[0]),
  exp: (a) => Math.exp(a[0]),
  log: (a) => Math.log(a[0]),
  log2arg: (a) => Math.log(a[0]) / Math.log(a[1]),
  pow: (a) => Math.pow(a[0], a[1]),
  sqrt: (a) => Math.sqrt(a[0]),
  floorDiv: (a) => Math.floor(a[0] / a[1]),
  mod: (a) => {
    const r = a[0] % a[1];
    return r !== 0 && r < 0 !== a[1] < 0 ? r + a[1] : r;
  },
  trunc: (a) => Math.trunc(a[0]),
  floor: (a) => Math.floor(a[0]),
};

/** Calls f, mapping a PythonArithmeticError to its Python exception name. */
export function evaluate(f: Impl, args: number[]): number | string {
  try {
    return f(args);
  } catch (e) {
    if (e instanceof PythonArithmeticError) return e.pythonType;
    throw e;
  }
}

/** Bit-for-bit equality (NaN equals NaN, -0 differs from 0); exceptions compare by name. */
export function sameResult(a: number | string, b: number | string): boolean {
  return typeof a === 'number' && typeof b === 'number' ? Object.is(a, b) : a === b;
}

/** A case on which an implementation disagrees with CPython. */
export interface Disagreement {
  table: string;
  args: number[];
  python: number | string;
  actual: number | string;
  /** glibc's result is not the correctly rounded one (per mpmath). */
  glibcNotCorrectlyRounded: boolean;
}

/** Runs f over a table and returns the agreeing count and every disagreement. */
export function compareTable(table: MathTable, f: Impl): { agree: number; disagreements: Disagreement[] } {
  const notCr = new Set(table.notCorrectlyRounded);
  const disagreements: Disagreement[] = [];
  let agree = 0;
  table.cases.forEach((c, i) => {
    const args = c.slice(0, -1) as number[];
    const python = c[c.length - 1];
    const actual = evaluate(f, args);
    if (sameResult(actual, python)) agree++;
    else disagreements.push({ table: table.name, args, python, actual, glibcNotCorrectlyRounded: notCr.has(i) });
  });
  return { agree, disagreements };
}

/** Decodes a repr() string from special.json. */
export function decodeRepr(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'nan') return NaN;
  return Number(s);
}
