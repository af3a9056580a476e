/**
 * The lambda vocabulary of the configuration language (`{"fn": "pow", "base": 0.95}`), each the
 * exact Python expression it names, evaluated with Python's semantics (`//`, `%`, `**`, `/`).
 */
import { PythonArithmeticError } from '../errors';
import { exp, floorDiv, mod, pow, sqrt } from '../math';
import { markCallableObject, markPure } from '../schedulers/lr-lambdas';
import { cosineWithWarmupLambda, linearWithWarmupLambda } from '../transformers/lambdas';

export type ScheduleLambda = (epoch: number) => number;

/** Python `a / b`: division by zero raises instead of returning infinity. */
function trueDiv(a: number, b: number): number {
  if (b === 0) throw new PythonArithmeticError('division by zero', 'ZeroDivisionError');
  return a / b;
}

/** Python `max(a, b)`: `a` unless `b` is strictly greater. */
function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}

/** Python `min(a, b)`: `a` unless `b` is strictly smaller. */
function pyMin(a: number, b: number): number {
  return b < a ? b : a;
}

type Params = Record<string, number>;

interface LambdaEntry {
  params: readonly string[];
  optional?: Readonly<Record<string, number>>;
  build(p: Params): ScheduleLambda;
}

export const LAMBDA_VOCABULARY: Readonly<Record<string, LambdaEntry>> = {
  // lambda e: base ** e
  pow: { params: ['base'], build: ({ base }) => (e) => pow(base, e) },
  // lambda e: e // d
  floordiv: { params: ['d'], build: ({ d }) => (e) => floorDiv(e, d) },
  // lambda e: c
  const: { params: ['c'], build: ({ c }) => () => c },
  // lambda e: base ** (e // d)
  step_pow: { params: ['base', 'd'], build: ({ base, d }) => (e) => pow(base, floorDiv(e, d)) },
  // lambda e: a if e % p == 0 else b
  mod_switch: { params: ['p', 'a', 'b'], build: ({ p, a, b }) => (e) => (mod(e, p) === 0 ? a : b) },
  // lambda e: math.exp(-k * e)
  exp: { params: ['k'], build: ({ k }) => (e) => exp(-k * e) },
  // lambda e: min(1.0, (e + 1) / w)
  linear_warmup: { params: ['w'], build: ({ w }) => (e) => pyMin(1.0, trueDiv(e + 1, w)) },
  // lambda e: 1 / math.sqrt(max(e, w))
  inv_sqrt: { params: ['w'], build: ({ w }) => (e) => trueDiv(1, sqrt(pyMax(e, w))) },
  // lambda x: 0.5 ** (x - 1)
  half_pow: { params: [], build: () => (x) => pow(0.5, x - 1) },
  // transformers' get_linear_schedule_with_warmup lambda (a functools.partial: state {})
  hf_linear_with_warmup: {
    params: ['num_warmup_steps', 'num_training_steps'],
    build: ({ num_warmup_steps: warmup, num_training_steps: training }) => markCallableObject(linearWithWarmupLambda(warmup, training)),
  },
  // transformers' get_cosine_schedule_with_warmup lambda (its first definition gives the same doubles)
  hf_cosine_with_warmup: {
    params: ['num_warmup_steps', 'num_training_steps', 'num_cycles'],
    optional: { num_cycles: 0.5 },
    build: ({ num_warmup_steps: warmup, num_training_steps: training, num_cycles: cycles }) =>
      markCallableObject(cosineWithWarmupLambda(warmup, training, cycles)),
  },
};

/** Builds the lambda `{"fn": name, ...params}`; `fail(message)` reports a bad spec. */
export function buildLambda(spec: Record<string, unknown>, fail: (message: string) => never): ScheduleLambda {
  const name = spec.fn;
  const entry = typeof name === 'string' && Object.prototype.hasOwnProperty.call(LAMBDA_VOCABULARY, name) ? LAMBDA_VOCABULARY[name] : undefined;
  if (entry === undefined) {
    fail(`unknown lambda ${JSON.stringify(name)} (known: ${Object.keys(LAMBDA_VOCABULARY).join(', ')})`);
  }
  const params: Params = { ...entry.optional };
  for (const key of Object.keys(spec)) {
    if (key === 'fn') continue;
    if (!entry.params.includes(key)) fail(`lambda "${String(name)}" has no parameter "${key}" (expected: ${entry.params.join(', ') || 'none'})`);
    const value = spec[key];
    if (typeof value !== 'number') fail(`lambda "${String(name)}" parameter "${key}" must be a number, got ${JSON.stringify(value)}`);
    params[key] = value;
  }
  for (const key of entry.params) {
    if (!(key in params)) fail(`lambda "${String(name)}" needs parameter "${key}"`);
  }
  return markPure(entry.build(params));
}
