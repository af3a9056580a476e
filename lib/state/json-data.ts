/**
 * What a state dict may hold: plain JSON data. One walk checks it (`findNonJsonData`) and, for a
 * state being loaded, first turns the values `torch.load` gives into their JSON form
 * (`readStateData`): a value that knows what it stands for in a state dict (`STATE_VALUE`: lib/torch's
 * one-element tensors, its `Counter`s and int-keyed dicts) is replaced by that, a `bigint` within
 * ±2^53 by its number. This folder knows no torch type; each one carries its own conversion.
 */

/** The method a non-JSON value implements to say what number (or JSON value) it stands for in a state dict. */
export const STATE_VALUE: unique symbol = Symbol.for('tfjs-lr-scheduler.stateValue') as never;

export interface HasStateValue {
  /** The value in JSON form (it may hold values with `STATE_VALUE` of their own), or `undefined` for none. */
  [STATE_VALUE](): unknown;
}

/** Names that must never be keys of a state dict, at any depth (prototype pollution). */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];
/** What a `DataProblem` expects where a key is one of `FORBIDDEN_KEYS`. */
export const FORBIDDEN = 'a forbidden name';
/** How deeply state dicts may nest (composites of composites); deeper data is rejected. */
const MAX_DEPTH = 64;

/** Why data is not JSON data: where (`_schedulers[1].base_lrs[0]`), what was expected there, what was given. */
export interface DataProblem {
  key: string;
  expected: string;
  given: unknown;
}

/** A walk over data: whether it converts, the containers it is inside, and the problem that stopped it. */
interface Walk {
  readonly convert: boolean;
  readonly ancestors: object[];
  problem?: DataProblem;
}

/** What a walk returns once it found a problem (stored in the walk). */
const INVALID: unique symbol = Symbol('invalid');

const MIN_SAFE = /* @__PURE__ */ BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = /* @__PURE__ */ BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Checks that `value` is plain JSON data before anything reads it: plain objects and arrays of
 * null, booleans, numbers and strings, no forbidden key (`__proto__`, `constructor`, `prototype`)
 * at any depth, no getters or setters (which could run code or answer differently on a second
 * read), no class instances, no cycles, no holes. Returns the first problem, `undefined` if none.
 */
export function findNonJsonData(value: unknown): DataProblem | undefined {
  const walk: Walk = { convert: false, ancestors: [] };
  return dataOf(value, walk, '') === INVALID ? walk.problem : undefined;
}

/**
 * A state dict as given to `loadStateDict` (JSON data, or what `readTorchFile` returns) as JSON
 * data: the values that carry `STATE_VALUE` and safe bigints converted, then checked as
 * `findNonJsonData` checks. The same object when nothing needed converting, copies only of the
 * containers that changed; never runs a getter.
 */
export function readStateData(value: unknown): { data: unknown; problem?: undefined } | { data?: undefined; problem: DataProblem } {
  const walk: Walk = { convert: true, ancestors: [] };
  const data = dataOf(value, walk, '');
  return data === INVALID ? { problem: walk.problem as DataProblem } : { data };
}

function reject(walk: Walk, key: string, expected: string, given: unknown): typeof INVALID {
  walk.problem = { key, expected, given };
  return INVALID;
}

const GETTER = 'a plain data property (no getter or setter)';

function dataOf(value: unknown, walk: Walk, path: string): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (walk.convert && typeof value === 'bigint' && value >= MIN_SAFE && value <= MAX_SAFE) return Number(value);
  const here = path === '' ? '(the state dict)' : path;
  if (typeof value !== 'object') return reject(walk, here, 'JSON data (null, a boolean, a number, a string, a list or an object)', value);
  const { ancestors } = walk;
  if (ancestors.includes(value)) return reject(walk, here, 'JSON data without cycles', value);
  if (ancestors.length >= MAX_DEPTH) return reject(walk, here, `data nested at most ${MAX_DEPTH} levels deep`, value);
  ancestors.push(value);
  try {
    if (walk.convert && typeof (value as Partial<HasStateValue>)[STATE_VALUE] === 'function') {
      const converted = (value as HasStateValue)[STATE_VALUE]();
      if (converted !== undefined) return dataOf(converted, walk, path);
    }
    return containerData(value, walk, path, here);
  } finally {
    ancestors.pop();
  }
}

/** A plain list or a plain object, its entries read as data (a copy when an entry changed). */
function containerData(value: object, walk: Walk, path: string, here: string): unknown {
  const list = Array.isArray(value);
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (list ? prototype !== Array.prototype : prototype !== Object.prototype && prototype !== null) {
    return reject(walk, here, `a plain ${list ? 'list' : 'object'} (JSON data)`, value);
  }
  // A list's indices (a hole is a missing one), or an object's own keys.
  const keys = list ? Array.from({ length: value.length }, (_, i) => i) : Reflect.ownKeys(value);
  // A loaded tuple (a frozen array) becomes a list of its own, as JSON.parse would give.
  let copy: object | undefined = list && walk.convert && Object.isFrozen(value) ? [] : undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key === 'symbol') return reject(walk, here, 'JSON data (no symbol keys)', value);
    const child = list ? `${path}[${key}]` : path === '' ? (key as string) : `${path}.${key}`;
    if (!list && FORBIDDEN_KEYS.includes(key as string)) return reject(walk, child, FORBIDDEN, undefined);
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined) return reject(walk, child, 'a value (the list has a hole here)', undefined);
    if (!('value' in descriptor)) return reject(walk, child, GETTER, undefined);
    const item = dataOf(descriptor.value, walk, child);
    if (item === INVALID) return INVALID;
    if (item !== descriptor.value && copy === undefined) {
      copy = list ? [] : {};
      for (let j = 0; j < i; j++) put(copy, keys[j], Object.getOwnPropertyDescriptor(value, keys[j]) as PropertyDescriptor, (value as Record<PropertyKey, unknown>)[keys[j]]);
    }
    if (copy !== undefined) put(copy, key, descriptor, item);
  }
  return copy ?? value;
}

/** Defines `key` on a copy: the value given, writable and configurable, as enumerable as the original. */
function put(copy: object, key: PropertyKey, original: PropertyDescriptor, value: unknown): void {
  Object.defineProperty(copy, key, { value, enumerable: original.enumerable, writable: true, configurable: true });
}
