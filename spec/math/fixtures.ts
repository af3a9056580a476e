/**
 * Loading and evaluating the CPython reference tables in spec/fixtures/math (written by
 * spec/fixtures/math/generate.py: gzip'd lines of hex bits), shared by pymath.spec.ts and
 * agreement.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { PythonArithmeticError } from '../../lib/errors';
import * as pymath from '../../lib/math';

/** One recorded call: the arguments, CPython's result (a double or a Python exception name). */
export interface MathCase {
  args: number[];
  python: number | string;
  /** glibc's result differs from the correctly rounded value (per mpmath, when recorded). */
  glibcNotCorrectlyRounded: boolean;
}

export interface MathTable {
  name: string;
  fn: string;
  cases: MathCase[];
}

export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'math');

export const TABLE_NAMES = ['exp', 'log', 'pow', 'cos', 'sin', 'log_base', 'sqrt', 'floordiv', 'mod'] as const;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** The double whose IEEE bits are the 16 hex digits h. */
export function fromHex(h: string): number {
  u32[1] = parseInt(h.slice(0, 8), 16);
  u32[0] = parseInt(h.slice(8, 16), 16);
  return f64[0];
}

/** Reads one table. */
export function loadTable(name: string): MathTable {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.txt.gz`))).toString('utf8');
  const lines = text.split('\n');
  const [, tableName, fn, count] = lines[0].split(' ');
  if (tableName !== name) throw new Error(`${name}.txt.gz: the header names table ${tableName}`);
  const cases: MathCase[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const fields = lines[i].split(' ');
    const flagged = fields[fields.length - 1] === '!';
    if (flagged) fields.pop();
    const result = fields.pop() as string;
    cases.push({
      args: fields.map(fromHex),
      python: /^[0-9a-f]{16}$/.test(result) ? fromHex(result) : result,
      glibcNotCorrectlyRounded: flagged,
    });
  }
  if (cases.length !== Number(count)) throw new Error(`${name}.txt.gz: ${cases.length} cases, header says ${count}`);
  return { name, fn, cases };
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
  glibcNotCorrectlyRounded: boolean;
}

/** Runs f over a table: how many cases agree, and every disagreement. */
export function compareTable(table: MathTable, f: Impl): { agree: number; disagreements: Disagreement[] } {
  const disagreements: Disagreement[] = [];
  let agree = 0;
  for (const c of table.cases) {
    const actual = evaluate(f, c.args);
    if (sameResult(actual, c.python)) agree++;
    else {
      disagreements.push({
        table: table.name,
        args: c.args,
        python: c.python,
        actual,
        glibcNotCorrectlyRounded: c.glibcNotCorrectlyRounded,
      });
    }
  }
  return { agree, disagreements };
}

/** Decodes a repr() string from special.json. */
export function decodeRepr(s: string): number {
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  if (s === 'nan') return NaN;
  return Number(s);
}
