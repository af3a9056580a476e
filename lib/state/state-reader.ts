/**
 * Reads a state dict key by key against what a scheduler expects, so `loadStateDict()` can
 * validate everything before it changes anything. Every error names the class, the key, what was
 * expected and what was given.
 */
import { InvalidStateError } from '../errors';
import { decodeFloat, encodeFloat, type JsonValue } from './encoding';
import { FORBIDDEN, FORBIDDEN_KEYS, readStateData } from './json-data';
import { ANY_NUMBER, type NumberRule } from './rules';

export { findNonJsonData } from './json-data';

/** A scheduler's state dict: plain JSON data with PyTorch's key names. */
export type SchedulerState = { [key: string]: JsonValue };

/** A state dict as `torch.load` returns it (checked at run time by `loadStateDict`). */
export type SchedulerStateLike = { readonly [key: string]: unknown };

/** Keys that only make sense inside Python: accepted and ignored. */
const PYTHON_ONLY_KEYS = ['_get_lr_called_within_step', '_is_initial', 'verbose', '__scheduler__'];

/**
 * Where a nested state dict sits inside the one being loaded: the class whose `loadStateDict()` was
 * called and the path to the child (`_schedulers[1]`, `after_scheduler._schedulers[0]`).
 */
export interface StateLocation {
  readonly root: string;
  readonly path: string;
}

export class StateReader {
  readonly #className: string;
  readonly #state: Readonly<Record<string, unknown>>;
  readonly #read = new Set<string>();
  readonly #location: StateLocation | undefined;

  constructor(className: string, given: unknown, location?: StateLocation) {
    this.#className = className;
    this.#location = location;
    // JSON data, or a state dict as torch.load returns it (Counter, tensors, bigint)
    const read = typeof given === 'object' && given !== null && !Array.isArray(given) ? readStateData(given) : { data: given };
    if (read.problem !== undefined) throw this.error(read.problem.key, read.problem.expected, read.problem.given);
    const state = read.data;
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new InvalidStateError(`${this.#where()}expected a state dict object, got ${describeValue(state)}`);
    }
    const record = state as Record<string, unknown>;
    const tag = record.__scheduler__;
    if (tag !== undefined && tag !== className) {
      throw new InvalidStateError(`${this.#where()}key "__scheduler__" must be "${className}", got ${describeValue(tag)}`);
    }
    this.#state = record;
  }

  /** The location of the child state dict stored under `key` (e.g. `_schedulers[1]`). */
  child(key: string): StateLocation {
    const location = this.#location;
    return location === undefined ? { root: this.#className, path: key } : { root: location.root, path: `${location.path}.${key}` };
  }

  /** `StepLR.loadStateDict: `, or for a nested state `SequentialLR.loadStateDict: _schedulers[1] (StepLR): `. */
  #where(): string {
    const location = this.#location;
    if (location === undefined) return `${this.#className}.loadStateDict: `;
    return `${location.root}.loadStateDict: ${location.path} (${this.#className}): `;
  }

  /** Whether the state has this key. */
  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.#state, key);
  }

  /** The raw value (marks the key as read); `undefined` when absent. */
  raw(key: string): unknown {
    this.#read.add(key);
    return this.has(key) ? this.#state[key] : undefined;
  }

  /** A required value, checked by `decode`, which returns `undefined` for a value it rejects. */
  value<T>(key: string, expected: string, decode: (raw: unknown) => T | undefined): T {
    if (!this.has(key)) throw this.error(key, expected, undefined);
    const raw = this.raw(key);
    const value = decode(raw);
    if (value === undefined) throw this.error(key, expected, raw);
    return value;
  }

  /** An optional value: `fallback` when absent, otherwise checked like `value()`. */
  optional<T>(key: string, expected: string, decode: (raw: unknown) => T | undefined, fallback: T): T {
    return this.has(key) ? this.value(key, expected, decode) : fallback;
  }

  /** A number (JSON number or "inf", "-inf", "nan") satisfying `rule`. */
  number(key: string, rule: NumberRule = ANY_NUMBER): number {
    return this.value(key, rule.expected, (raw) => {
      const value = decodeFloat(raw);
      return value !== undefined && rule.test(value) ? value : undefined;
    });
  }

  integer(key: string): number {
    return this.value(key, 'an integer', decodeInteger);
  }

  boolean(key: string): boolean {
    return this.value(key, 'a boolean', (raw) => (typeof raw === 'boolean' ? raw : undefined));
  }

  string<T extends string>(key: string, allowed: readonly T[]): T {
    const expected = `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
    return this.value(key, expected, (raw) => (allowed.includes(raw as T) ? (raw as T) : undefined));
  }

  /** A list of numbers each satisfying `rule`, of exactly `length` entries when given (one per param group). */
  numberList(key: string, length?: number, rule: NumberRule = ANY_NUMBER): number[] {
    const each = rule === ANY_NUMBER ? 'numbers' : `numbers, each ${rule.expected}`;
    const expected = length === undefined ? `a list of ${each}` : `a list of ${length} ${each}`;
    return this.value(key, expected, (raw) => {
      const list = decodeNumberList(raw, length);
      return list !== undefined && list.every(rule.test) ? list : undefined;
    });
  }

  /** Fails on any key no schema of this class read (Python-only keys are ignored). */
  finish(): void {
    for (const key of Object.keys(this.#state)) {
      if (!this.#read.has(key) && !PYTHON_ONLY_KEYS.includes(key)) {
        throw this.error(key, 'no such key', this.#state[key]);
      }
    }
  }

  error(key: string, expected: string, given: unknown): InvalidStateError {
    const what = expected === FORBIDDEN
      ? `key "${key}" is forbidden (${FORBIDDEN_KEYS.join(', ')} are never state keys)`
      : expected.startsWith('no such key')
      ? `unexpected key "${key}" (${expected})`
      : `key "${key}" must be ${expected}, got ${given === undefined ? 'nothing (missing)' : describeValue(given)}`;
    return new InvalidStateError(`${this.#where()}${what}`);
  }
}

export function decodeInteger(raw: unknown): number | undefined {
  return typeof raw === 'number' && Number.isInteger(raw) ? raw : undefined;
}

export function decodeNumberList(raw: unknown, length?: number): number[] | undefined {
  if (!Array.isArray(raw) || (length !== undefined && raw.length !== length)) return undefined;
  const out: number[] = [];
  for (const item of raw) {
    const value = decodeFloat(item);
    if (value === undefined) return undefined;
    out.push(value);
  }
  return out;
}

/** A list of numbers as JSON data (non-finite numbers as strings). */
export function encodeFloatList(values: readonly number[]): Array<number | string> {
  return values.map(encodeFloat);
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
