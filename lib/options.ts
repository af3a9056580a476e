/**
 * Constructor-argument checks shared by every scheduler. Messages read
 * `StepLR: option "stepSize" must be a positive number, got 0`.
 *
 * Every constructor starts with `new OptionChecker(className, options, usage, positional)`, which
 * rejects anything but an options object (a PyTorch habit: `new StepLR(optimizer, 30)`, or no
 * options at all) with the call to write instead, so a new class gets that check by starting the
 * same way. Each class carries its own usage example, so a bundle holds only its classes' ones.
 */
import { InvalidArgumentError } from './errors';
import { EPOCH, type NumberRule } from './state/rules';
import { describeValue } from './state/state-reader';

/**
 * The call to write instead of `new <className>(optimizer, given)`: `usage` with `given` as its
 * `positional` option when that can be written as source, else `usage` itself, else a generic
 * call that points at the options type (see `OptionChecker`'s constructor).
 */
function usageOf(className: string, given?: unknown, usage?: string, positional?: string): string {
  // A class is called with `new`; a schedule function (transformers' getCosineScheduleWithWarmup, ...) without.
  const call = /^[A-Z]/.test(className) ? `new ${className}` : className;
  if (usage === undefined) return `${call}(optimizer, { ... }) (see ${className.charAt(0).toUpperCase()}${className.slice(1)}Options)`;
  const literal = sourceLiteral(given);
  if (positional !== undefined && literal !== undefined) return `${call}(optimizer, { ${positional}: ${literal} })`;
  return usage.startsWith('{') ? `${call}(optimizer, ${usage})` : usage;
}

/** A number, string, boolean or list of numbers written as TypeScript source; `undefined` for anything else. */
function sourceLiteral(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.length <= 40 ? `'${value.replace(/[\\']/g, '\\$&')}'` : undefined;
  if (Array.isArray(value) && value.length > 0 && value.length <= 10 && value.every((item) => typeof item === 'number')) {
    return `[${value.join(', ')}]`;
  }
  return undefined;
}

/** A plain object (of any realm): what an options argument must be. */
function isOptionsObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  return prototype === null || (Object.getPrototypeOf(prototype) === null && prototype.constructor?.name === 'Object');
}

function describeOptions(value: unknown): string {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const named = value as { getClassName?: unknown };
    const name = typeof named.getClassName === 'function' ? (named.getClassName as () => unknown)() : undefined;
    return typeof name === 'string' ? `a ${name}` : 'an object that is not a plain options object';
  }
  return describeValue(value);
}

export class OptionChecker {
  private readonly options: object;

  /**
   * Rejects anything but an options object with the call to write instead. `usage` is the options
   * that call shows (the class's required ones, or its usual ones when all have defaults), as
   * source: `'{ stepSize: 30 }'` shows `new StepLR(optimizer, { stepSize: 30 })`; a `usage` that
   * does not start with `{` is the whole call. `positional` is the option PyTorch's first
   * positional argument after the optimizer maps to, so `new PolynomialLR(optimizer, 10)` is
   * answered with `new PolynomialLR(optimizer, { totalIters: 10 })`. Without `usage`, the call
   * shown is generic and points at the options type.
   */
  constructor(
    readonly className: string,
    options: unknown,
    usage?: string,
    positional?: string,
  ) {
    if (!isOptionsObject(options)) {
      const positionally =
        options !== undefined && (typeof options !== 'object' || Array.isArray(options)) ? " (PyTorch's positional arguments are named options here)" : '';
      throw new InvalidArgumentError(
        `${className}: options must be an object of named options, got ${describeOptions(options)}${positionally}: write ${usageOf(className, options, usage, positional)}`,
        'TypeError',
      );
    }
    this.options = options;
  }

  /** Throws on an option the class does not know (Python: unexpected keyword argument). */
  known(names: readonly string[]): this {
    for (const key of Object.keys(this.options)) {
      if (!names.includes(key)) {
        const camel = camelCaseOption(key);
        const hint = camel !== key && names.includes(camel) ? `; PyTorch's "${key}" is "${camel}" here` : suggestion(key, names);
        throw new InvalidArgumentError(
          `${this.className}: unknown option "${key}" (expected one of: ${names.join(', ')})${hint}`,
          'TypeError',
        );
      }
    }
    return this;
  }

  fail(name: string, expected: string, given: unknown, pythonType = 'ValueError'): never {
    throw new InvalidArgumentError(
      `${this.className}: option "${name}" must be ${expected}, got ${describeValue(given)}`,
      pythonType,
    );
  }

  /**
   * A number satisfying `rule` (the one `loadStateDict()` applies to the state key storing this
   * option, see `state/rules.ts`), or `fallback` when the option is absent. The older form takes
   * `expected` and `accept` instead of a rule.
   */
  number(name: string, value: unknown, fallback: number | undefined, rule?: NumberRule): number;
  number(name: string, value: unknown, fallback: number | undefined, expected?: string, accept?: (n: number) => boolean): number;
  number(name: string, value: unknown, fallback: number | undefined, ruleOrExpected: NumberRule | string = 'a number', accept?: (n: number) => boolean): number {
    const expected = typeof ruleOrExpected === 'string' ? ruleOrExpected : ruleOrExpected.expected;
    if (typeof ruleOrExpected !== 'string') accept = ruleOrExpected.test;
    if (value === undefined) {
      if (fallback === undefined) this.fail(name, expected, value, 'TypeError');
      return fallback;
    }
    if (typeof value !== 'number') this.fail(name, expected, value, 'TypeError');
    if (accept !== undefined && !accept(value)) this.fail(name, expected, value);
    return value;
  }

  /** An integer (Python int). */
  integer(name: string, value: unknown, fallback?: number, expected = 'an integer', accept?: (n: number) => boolean): number {
    return this.number(name, value, fallback, expected, (n) => Number.isInteger(n) && (accept === undefined || accept(n)));
  }

  boolean(name: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(name, 'a boolean', value, 'TypeError');
    return value;
  }

  choice<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T)) this.fail(name, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value);
    return value as T;
  }

  /** The `lastEpoch` option: an integer >= -1 (PyTorch's default -1 starts a fresh schedule). */
  lastEpoch(value: unknown): number {
    return this.number('lastEpoch', value, -1, EPOCH);
  }

  /**
   * A per-group option (PyTorch's `_format_param`): one number for every group, or a list with one
   * per group.
   */
  perGroup(name: string, value: unknown, groupCount: number, fallback?: number, rule?: NumberRule): number[] {
    const expected = rule?.expected ?? 'a number';
    if (Array.isArray(value)) {
      if (value.length !== groupCount) {
        throw new InvalidArgumentError(
          `${this.className}: option "${name}" must have the same length as optimizer.paramGroups. ` +
            `${name} has ${value.length} values, paramGroups has ${groupCount}.`,
        );
      }
      return value.map((item, i) => this.number(`${name}[${i}]`, item, undefined, expected, rule?.test));
    }
    const single = this.number(name, value, fallback, `${expected} or a list of ${groupCount} such numbers`, rule?.test);
    return new Array<number>(groupCount).fill(single);
  }
}

/** PyTorch's keyword name as this package's option name: `step_size` -> `stepSize`, `T_max` -> `tMax`. */
export function camelCaseOption(name: string): string {
  const parts = name.split('_').filter((part) => part !== '');
  if (parts.length === 0) return name;
  return parts
    .map((part, i) => (i === 0 ? part.charAt(0).toLowerCase() + part.slice(1) : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');
}

/** Optimal string alignment distance (edits, counting a swap of neighbours as one), case-insensitive. */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) rows[0][j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
      rows[i][j] = best;
    }
  }
  return rows[s.length][t.length];
}

/**
 * `'; did you mean "stepSize"?'` when one candidate is close to `name` (at most a third of its
 * letters changed), else `''`.
 */
export function suggestion(name: string, candidates: readonly string[]): string {
  if (name.length > 64) return '';
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.max(name.length, 3) / 3));
  return best !== undefined && bestDistance <= allowed ? `; did you mean "${best}"?` : '';
}
