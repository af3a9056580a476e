/**
 * The `lrLambda` option and `lr_lambdas` state shared by LambdaLR and MultiplicativeLR: one
 * function for every group, or a list with one per group (PyTorch's `lr_lambdas`).
 */
import { InvalidArgumentError, SchedulerTypeError } from '../errors';
import { asOptimizer, type OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { describeValue, type StateReader } from '../state/state-reader';
import type { JsonValue } from '../state/encoding';

/** A function of the epoch (`lastEpoch`, an integer in normal use) giving a multiplicative factor. */
export type LrLambda = (epoch: number) => number;

/** Python's `type(value).__name__` for the JavaScript values a caller may pass by mistake. */
function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'dict' : typeof value;
}

/**
 * The options of LambdaLR and MultiplicativeLR, checked in their constructors' order: no unknown
 * option, then `lrLambda` (see `lrLambdaList`), then `lastEpoch`. `usage` is the options the
 * "options must be an object" error shows (see `OptionChecker`).
 */
export function checkLrLambdaOptions(
  className: string,
  optimizer: OptimizerLike,
  options: { lrLambda: LrLambda | readonly LrLambda[]; lastEpoch?: number },
  nonFunctionMessage: (typeName: string) => string,
  usage: string,
): { lrLambdas: LrLambda[]; lastEpoch: number } {
  const check = new OptionChecker(className, options, usage, 'lrLambda').known(['lrLambda', 'lastEpoch']);
  const groupCount = asOptimizer(optimizer).paramGroups.length;
  const lrLambdas = lrLambdaList(className, options.lrLambda, groupCount, nonFunctionMessage);
  return { lrLambdas, lastEpoch: check.lastEpoch(options.lastEpoch) };
}

/**
 * PyTorch's `lr_lambdas`: a single value repeated for every group, or a list that must have one
 * entry per group ("Expected N lr_lambdas, but got M"). Every entry must be a function;
 * `nonFunctionMessage(typeName)` words the TypeError.
 */
function lrLambdaList(
  className: string,
  lrLambda: unknown,
  groupCount: number,
  nonFunctionMessage: (typeName: string) => string,
): LrLambda[] {
  if (lrLambda === undefined) {
    throw new InvalidArgumentError(`${className}: option "lrLambda" must be a function or a list of functions, got undefined`, 'TypeError');
  }
  let entries: unknown[];
  if (Array.isArray(lrLambda)) {
    if (lrLambda.length !== groupCount) {
      throw new InvalidArgumentError(`${className}: Expected ${groupCount} lr_lambdas, but got ${lrLambda.length}`);
    }
    entries = lrLambda.slice();
  } else {
    entries = new Array<unknown>(groupCount).fill(lrLambda);
  }
  for (const entry of entries) {
    if (typeof entry !== 'function') {
      throw new InvalidArgumentError(`${className}: ${nonFunctionMessage(pythonTypeName(entry))}`, 'TypeError');
    }
  }
  return entries as LrLambda[];
}

/** The lambdas that stand for a Python callable object with no attributes (a `functools.partial`). */
const callableObjects = new WeakSet<LrLambda>();

/**
 * @internal Marks `lambda` as the port of a Python callable object whose attribute dict is empty,
 * such as the `functools.partial` lambdas of transformers' schedule functions: its state entry is
 * `{}` (what PyTorch saves for it) instead of `null`.
 */
export function markCallableObject<T extends LrLambda>(lambda: T): T {
  callableObjects.add(lambda);
  return lambda;
}

/** The lambdas this package builds, functions of the epoch alone (see `markPure`). */
const pureLambdas = new WeakSet<LrLambda>();

/**
 * @internal Marks `lambda`, one this package builds (the configuration vocabulary's, transformers'
 * schedule functions'), as a function of the epoch alone: no side effect, the same factor for the
 * same epoch. LambdaLR calls such a lambda, when every group has it, once per step instead of once
 * per group; the factors, and so the learning rates, are the same bit for bit. A user's own
 * lambda is called once per group, as PyTorch calls it.
 */
export function markPure<T extends LrLambda>(lambda: T): T {
  pureLambdas.add(lambda);
  return lambda;
}

/** The lambda every entry of `lambdas` is, when that lambda is marked pure; else null. */
export function sharedPureLambda(lambdas: readonly LrLambda[]): LrLambda | null {
  const first = lambdas[0];
  if (first === undefined || !pureLambdas.has(first)) return null;
  return lambdas.every((lambda) => lambda === first) ? first : null;
}

/**
 * Whether `shared` (a sharedPureLambda result) is still every entry of `lambdas`: a scheduler's
 * `lrLambdas` can be changed from JavaScript.
 */
export function stillShared(lambdas: readonly LrLambda[], shared: LrLambda | null): shared is LrLambda {
  if (shared === null) return false;
  for (let i = 0; i < lambdas.length; i++) if (lambdas[i] !== shared) return false;
  return true;
}

/**
 * The factor `lrLambda(epoch)` returned, which must be a number (a boolean counts, as Python's
 * `bool` is an `int`). PyTorch raises a TypeError for `float * None`; without this check a lambda
 * that forgot its `return` would write NaN into the optimizer.
 */
export function checkedFactor(className: string, group: number, epoch: number, factor: unknown): number {
  if (typeof factor === 'number') return factor;
  if (typeof factor === 'boolean') return factor ? 1 : 0;
  throw new SchedulerTypeError(
    `${className}: lrLambda of paramGroups[${group}] returned ${describeValue(factor)} at epoch ${epoch}, expected a number ` +
      '(does the function return its value?)',
  );
}

/**
 * `lr_lambdas` as stored in a state dict: `null` per plain function (PyTorch stores `None`; a
 * TypeScript function carries no state to save), `{}` per lambda marked as a callable object.
 */
export function writeLrLambdas(lambdas: readonly LrLambda[]): JsonValue[] {
  return lambdas.map((lambda) => (callableObjects.has(lambda) ? {} : null));
}

/**
 * Validates `lr_lambdas`: one entry per lambda, each `null` or an object (a Python callable
 * object's attribute dict, e.g. `{}` for transformers' partials). The live lambdas stay; the
 * entries carry nothing to restore.
 */
export function readLrLambdas(reader: StateReader, count: number): void {
  reader.value('lr_lambdas', `a list of ${count} entries, each null or an object`, (raw) =>
    Array.isArray(raw) &&
    raw.length === count &&
    raw.every((entry) => entry === null || (typeof entry === 'object' && !Array.isArray(entry)))
      ? true
      : undefined,
  );
}
