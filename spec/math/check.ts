/**
 * `npm run math:check -- --n 1000000 [--seed 7] [--only exp,pow]`: compares pymath's exp, log,
 * pow, cos and sin with CPython's (python3's math module and `**`, i.e. this machine's libm) on
 * n fresh random inputs per function, half in the ranges schedules use, half over the whole
 * domain, and prints the mismatches per function. It also counts the inputs where libm is not
 * correctly rounded (per the correctly rounded oracle spec/math/oracle/core.ts) and how many of
 * those pymath reproduces. Needs python3 on the reference platform (x86-64 Linux, glibc >= 2.29, FMA).
 * Exits with status 1 when any result differs.
 */
import { execFileSync } from 'child_process';
import { PythonArithmeticError } from '../../lib/errors';
import * as pymath from '../../lib/math';
import { crCosSin, crExp, crLog, crPow } from './oracle/core';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const n = Number(option('n', '100000'));
const seed = Number(option('seed', String(Date.now() % 2147483647)));
const only = option('only', 'exp,log,pow,cos,sin').split(',');
if (!(Number.isInteger(n) && n > 0)) throw new Error(`math:check: --n must be a positive integer, got ${option('n', '')}`);

// a seeded generator (Park-Miller), so that a run can be repeated with --seed
let state = seed % 2147483647 || 1;
const rnd = (): number => {
  state = (state * 48271) % 2147483647;
  return state / 2147483647;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const sign = (): number => (rnd() < 0.5 ? -1 : 1);
const logUniform = (lo: number, hi: number): number => Math.exp(Math.log(lo) + rnd() * (Math.log(hi) - Math.log(lo)));
/** A double with a uniformly random exponent in [lo, hi] and a random significand. */
const anyDouble = (lo: number, hi: number): number => {
  const e = lo + Math.floor(rnd() * (hi - lo + 1));
  return e < -1022 ? rnd() * 2 ** -1022 : (1 + rnd()) * 2 ** e;
};
const T_VALUES = [7, 10, 50, 100, 128, 250, 500, 1000, 2000, 5000, 10000, 50000, 100000, 1000000];
const step = (T: number): number => Math.floor(rnd() * (2 * T + 1));

/** Input generators: [schedule ranges, whole domain]; each returns one argument list. */
const INPUTS: Record<string, [() => number[], () => number[]]> = {
  cos: [
    () => {
      const T = rnd() < 0.7 ? pick(T_VALUES) : 1 + Math.floor(rnd() * 300000);
      const t = step(T);
      return [pick([(Math.PI * t) / T, ((t - 1) * Math.PI) / T, Math.PI * (t / T), (Math.PI * (t + rnd())) / T])];
    },
    () => [pick([(rnd() - 0.5) * 2e6, sign() * logUniform(1e-12, 8), sign() * anyDouble(-1074, 1023), (rnd() - 0.5) * 2e4])],
  ],
  exp: [
    () => [pick([(rnd() - 0.5) * 100, -rnd() * 20, sign() * logUniform(1e-12, 2), -step(1000) / 1000])],
    () => [pick([-745.2 + rnd() * 1455, -745.2 + rnd() * 37, sign() * logUniform(1e-320, 1e-12), sign() * anyDouble(-1074, 12)])],
  ],
  log: [
    () => {
      const T0 = 1 + Math.floor(rnd() * 1000);
      return [pick([(step(50 * T0) / T0) * 2 + 1, 1 + sign() * logUniform(1e-15, 0.07), 0.5 + rnd() * 1.5, 1 + Math.floor(rnd() * 1e6)])];
    },
    () => [pick([anyDouble(-1074, 1023), logUniform(5e-324, 2.3e-308), 0.9 + rnd() * 0.2])],
  ],
  pow: [
    () => {
      const T = 1 + Math.floor(rnd() * 200000);
      return pick([
        [pick([0.1, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999, 0.99999, 1 / 3]), Math.floor(rnd() < 0.5 ? rnd() * 200 : logUniform(1, 1e6))],
        [1 - Math.floor(rnd() * (T + 1)) / T, pick([0.5, 0.9, 1, 1.5, 2, 3])],
        [rnd() * 2, Math.floor(rnd() * (T + 1)) / T],
        [pick([0.99994, 0.9999, 0.999]), Math.floor(rnd() * 1e6)],
      ]);
    },
    () => {
      const x = anyDouble(-1074, 1023);
      return pick([
        [x, (sign() * logUniform(1e-6, 745)) / Math.max(Math.abs(Math.log(x)), 1e-300)],
        [1 + sign() * logUniform(1e-15, 0.5), sign() * logUniform(1e-3, 1e6)],
        [Math.floor(rnd() * 2 ** 27) * 2 ** Math.floor((rnd() - 0.5) * 60), 2 + Math.floor(rnd() * 39)],
        [(rnd() - 0.5) * 20, Math.floor((rnd() - 0.5) * 120)],
      ]);
    },
  ],
};
INPUTS.sin = INPUTS.cos;

const PYTHON = `
import sys, math, array
fn, arity = sys.argv[1], int(sys.argv[2])
a = array.array('d'); a.frombytes(sys.stdin.buffer.read())
out = array.array('d'); status = bytearray()
f = {'exp': math.exp, 'log': math.log, 'cos': math.cos, 'sin': math.sin, 'pow': lambda x, y: x ** y}[fn]
codes = {'OverflowError': 1, 'ValueError': 2, 'ZeroDivisionError': 3}
for i in range(0, len(a), arity):
    try:
        r = f(*a[i:i + arity])
        if isinstance(r, complex):
            out.append(0.0); status.append(4)
        else:
            out.append(r); status.append(0)
    except Exception as e:
        out.append(0.0); status.append(codes.get(type(e).__name__, 9))
sys.stdout.buffer.write(out.tobytes() + bytes(status))
`;
const STATUS = ['', 'OverflowError', 'ValueError', 'ZeroDivisionError', 'complex'];

const FUNCTIONS: Record<string, { arity: number; ours: (a: number[]) => number; cr: (a: number[]) => number }> = {
  exp: { arity: 1, ours: (a) => pymath.exp(a[0]), cr: (a) => crExp(a[0]) },
  log: { arity: 1, ours: (a) => pymath.log(a[0]), cr: (a) => (a[0] > 0 ? crLog(a[0]) : NaN) },
  pow: {
    arity: 2,
    ours: (a) => pymath.pow(a[0], a[1]),
    cr: (a) => {
      const x = Math.abs(a[0]);
      if (x === 0 || x === 1 || a[1] === 0 || (a[0] < 0 && !Number.isInteger(a[1]))) return NaN;
      const r = crPow(x, a[1]);
      return a[0] < 0 && Math.abs(a[1]) % 2 === 1 ? -r : r;
    },
  },
  cos: { arity: 1, ours: (a) => pymath.cos(a[0]), cr: (a) => crCosSin(a[0], false) },
  sin: { arity: 1, ours: (a) => pymath.sin(a[0]), cr: (a) => crCosSin(a[0], true) },
};

const show = (v: number | string): string => (typeof v === 'number' && Object.is(v, -0) ? '-0' : String(v));
const PER_CALL = 1 << 18; // inputs per python3 call

console.log(`math:check: ${n} inputs per function, seed ${seed}, against ${execFileSync('python3', ['-c', 'import sys, platform; print("CPython", platform.python_version(), platform.libc_ver()[0], platform.libc_ver()[1], platform.machine())']).toString().trim()}`);
console.log(`${'fn'.padEnd(5)}${'inputs'.padStart(10)}${'mismatches'.padStart(12)}${'libm not CR'.padStart(13)}${'reproduced'.padStart(12)}`);
let failed = 0;
for (const name of only) {
  const spec = FUNCTIONS[name];
  if (spec === undefined) throw new Error(`math:check: unknown function ${name} (exp, log, pow, cos, sin)`);
  const [schedule, domain] = INPUTS[name];
  let mismatches = 0;
  let notCr = 0;
  let reproduced = 0;
  const examples: string[] = [];
  for (let done = 0; done < n; done += PER_CALL) {
    const count = Math.min(PER_CALL, n - done);
    const args = new Float64Array(count * spec.arity);
    for (let i = 0; i < count; i++) args.set((i & 1 ? domain : schedule)(), i * spec.arity);
    const out = execFileSync('python3', ['-c', PYTHON, name, String(spec.arity)], {
      input: Buffer.from(args.buffer),
      maxBuffer: 1 << 30,
    });
    const values = new Float64Array(out.buffer.slice(out.byteOffset, out.byteOffset + 8 * count));
    const status = out.subarray(8 * count);
    for (let i = 0; i < count; i++) {
      const a = Array.from(args.subarray(i * spec.arity, (i + 1) * spec.arity));
      const python: number | string = status[i] === 0 ? values[i] : STATUS[status[i]] ?? 'error';
      let ours: number | string;
      try {
        ours = spec.ours(a);
      } catch (e) {
        if (!(e instanceof PythonArithmeticError)) throw e;
        // pymath cannot return complex numbers: it raises ValueError where CPython returns one
        ours = e.pythonType === 'ValueError' && python === 'complex' ? 'complex' : e.pythonType;
      }
      const same = typeof ours === 'number' && typeof python === 'number' ? Object.is(ours, python) : ours === python;
      if (typeof python === 'number' && Number.isFinite(python) && a.every(Number.isFinite)) {
        const cr = spec.cr(a);
        if (Number.isFinite(cr) && cr !== python) {
          notCr++;
          if (same) reproduced++;
        }
      }
      if (!same) {
        mismatches++;
        if (examples.length < 5) examples.push(`  ${name}(${a.map(show).join(', ')}): python ${show(python)}, pymath ${show(ours)}`);
      }
    }
  }
  failed += mismatches;
  console.log(`${name.padEnd(5)}${String(n).padStart(10)}${String(mismatches).padStart(12)}${String(notCr).padStart(13)}${String(reproduced).padStart(12)}`);
  for (const line of examples) console.log(line);
}
console.log(failed === 0 ? 'math:check: every result identical' : `math:check: ${failed} mismatches`);
process.exitCode = failed === 0 ? 0 : 1;
