/**
 * Constructor-argument checks shared by every scheduler. Messages read
 * `StepLR: option "stepSize" must be a positive number, got 0`.
 */
import { InvalidArgumentError } from './errors';
import { EPOCH, type NumberRule } from './state/rules';
import { describeValue } from './state/state-reader';

export class OptionChecker {
  constructor(
    readonly className: string,
    private readonly options: object,
  ) {}

  /** Throws on an option the class does not know (Python: unexpected keyword argument). */
  known(names: readonly string[]): this {
    for (const key of Object.keys(this.options)) {
      if (!names.includes(key)) {
        throw new InvalidArgumentError(
          `${this.className}: unknown option "${key}" (expected one of: ${names.join(', ')})`,
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

  /** A finite number > 0. */
  positive(name: string, value: unknown, fallback?: number): number {
    return this.number(name, value, fallback, 'a positive number', (n) => n > 0 && Number.isFinite(n));
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
