/**
 * State dicts as `torch.load` gives them, accepted where JSON state dicts are: before a state is
 * validated, its Python-shaped values become their JSON form. A `Map` (a Python dict with non-str
 * keys, a `collections.Counter` such as MultiStepLR's `milestones`) becomes an object keyed by the
 * decimal text of its keys; a `bigint` within ±2^53 a number; an object that knows its state value
 * (a one-element tensor, through `STATE_VALUE`) that number. Everything else is left as it is, for
 * the validation that follows to accept or reject.
 */

/** The method a non-JSON value implements to say what number (or JSON value) it stands for in a state dict. */
export const STATE_VALUE: unique symbol = Symbol.for('tfjs-lr-scheduler.stateValue') as never;

export interface HasStateValue {
  [STATE_VALUE](): unknown;
}

const MAX_DEPTH = 64;

function hasStateValue(value: object): value is HasStateValue {
  return typeof (value as Partial<HasStateValue>)[STATE_VALUE] === 'function';
}

/** The JSON text of a Python dict key: numbers as Python writes them in JSON state dicts ("3", "2.5", "inf"). */
function keyText(key: unknown): string | undefined {
  if (typeof key === 'string') return key;
  if (typeof key === 'bigint') return String(key);
  if (typeof key !== 'number') return undefined;
  if (Object.is(key, -0)) return '-0.0';
  if (Number.isNaN(key)) return 'nan';
  if (!Number.isFinite(key)) return key > 0 ? 'inf' : '-inf';
  return String(key);
}

/**
 * `value` with its Python-shaped parts in JSON form; the same object when nothing needed
 * converting. Never runs a getter (accessor properties are left for validation to reject).
 */
export function fromPythonValues(value: unknown, depth = 0): unknown {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (hasStateValue(value)) {
    const converted = value[STATE_VALUE]();
    return converted === undefined ? value : converted;
  }
  if (value instanceof Map) {
    const record: Record<string, unknown> = {};
    for (const [key, item] of value) {
      const text = keyText(key);
      if (text === undefined || Object.prototype.hasOwnProperty.call(record, text)) return value;
      Object.defineProperty(record, text, { value: fromPythonValues(item, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return record;
  }
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return value;
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const descriptor = Object.getOwnPropertyDescriptor(value, i);
      if (descriptor === undefined || !('value' in descriptor)) return value;
      const converted = fromPythonValues(descriptor.value, depth + 1);
      if (converted !== descriptor.value || Object.isFrozen(value)) copy ??= Array.from({ length: i }, (_, j) => value[j] as unknown);
      copy?.push(converted);
    }
    return copy ?? value;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  let copy: Record<string, unknown> | undefined;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const descriptor = Object.getOwnPropertyDescriptor(value, keys[i]);
    if (descriptor === undefined || !('value' in descriptor)) return value;
    const converted = fromPythonValues(descriptor.value, depth + 1);
    if (converted !== descriptor.value && copy === undefined) {
      copy = {};
      for (let j = 0; j < i; j++) Object.defineProperty(copy, keys[j], { value: (value as Record<string, unknown>)[keys[j]], enumerable: true, writable: true, configurable: true });
    }
    if (copy !== undefined) Object.defineProperty(copy, keys[i], { value: converted, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? value;
}
