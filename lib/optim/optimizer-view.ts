/**
 * The PyTorch-like view of what a scheduler drives: `{ paramGroups, stateDict(), loadStateDict() }`.
 * Schedulers see only this view; nothing outside `optim/` knows what a tfjs optimizer is.
 */
import { InvalidArgumentError, InvalidStateError } from '../errors';
import type { ParamGroup, ParamGroupsLike } from './param-group';
import { isTfjsOptimizer, tfjsParamGroup, type TfjsOptimizerLike } from './tfjs-groups';
import { warnUnappliedHyperparameters } from './unapplied-hyperparameters';
import { decodeFloat, encodeFloat, type JsonValue } from '../state/encoding';
import { BETA, FINITE, NOT_NAN, WRITTEN_LR, type NumberRule } from '../state/rules';
import { readStateData } from '../state/json-data';
import { describeValue } from '../state/state-reader';

/** What a scheduler accepts: a tfjs optimizer, an array of them (one group each), or param groups. */
export type OptimizerLike = TfjsOptimizerLike | readonly TfjsOptimizerLike[] | ParamGroupsLike | OptimizerView;

/** PyTorch's `optimizer.state_dict()["param_groups"]`: the groups' hyper-parameters, as JSON data. */
export interface OptimizerState {
  param_groups: Array<Record<string, JsonValue>>;
}

/** An optimizer state dict as `torch.load` returns it (checked at run time by `loadStateDict`). */
export type OptimizerStateLike = { readonly [key: string]: unknown };

/**
 * The group keys a schedule reads or an optimizer applies, and the rule each loaded value must
 * satisfy. `lr` and `momentum` may be infinite (a schedule can overflow there, as PyTorch's can) but
 * not NaN; the bounds a schedule starts from or cycles between must be finite, as the schedulers'
 * constructors require.
 */
const NUMERIC_KEYS: Readonly<Record<string, NumberRule>> = {
  lr: WRITTEN_LR,
  momentum: NOT_NAN,
  initial_lr: FINITE,
  max_lr: FINITE,
  min_lr: FINITE,
  max_momentum: FINITE,
  base_momentum: FINITE,
  swa_lr: FINITE,
};

export class OptimizerView {
  /** The param groups, one record each, shared by every scheduler on the same optimizer(s). */
  readonly paramGroups: ParamGroup[];
  readonly #tfjsOptimizers: readonly TfjsOptimizerLike[] | null;
  readonly #plain: ParamGroupsLike | null;
  #iterationsAtFirstSchedule: number | undefined;

  /** @internal use `asOptimizer()` */
  constructor(source: readonly TfjsOptimizerLike[] | ParamGroupsLike) {
    if (Array.isArray(source)) {
      const optimizers = source as readonly TfjsOptimizerLike[];
      this.#tfjsOptimizers = optimizers.slice();
      this.#plain = null;
      this.paramGroups = optimizers.map(tfjsParamGroup);
    } else {
      this.#tfjsOptimizers = null;
      this.#plain = source as ParamGroupsLike;
      this.paramGroups = this.#plain.paramGroups;
    }
  }

  /** The tfjs optimizers behind the groups (empty for plain param groups). */
  get optimizers(): readonly TfjsOptimizerLike[] {
    return this.#tfjsOptimizers ?? [];
  }

  /** Total optimizer updates so far, or `undefined` when the source does not count them. */
  get iterations(): number | undefined {
    if (this.#tfjsOptimizers !== null) {
      let total = 0;
      for (const optimizer of this.#tfjsOptimizers) total += optimizer.iterations;
      return total;
    }
    const iterations = this.#plain?.iterations;
    return typeof iterations === 'number' ? iterations : undefined;
  }

  /** @internal Called by each scheduler's constructor: remembers the update count when scheduling began. */
  markScheduled(): void {
    if (this.#iterationsAtFirstSchedule === undefined) this.#iterationsAtFirstSchedule = this.iterations;
  }

  /**
   * @internal Whether the optimizer updated since the first scheduler was attached (PyTorch's
   * `_opt_called`); `undefined` when unknown.
   */
  steppedSinceScheduled(): boolean | undefined {
    const now = this.iterations;
    if (now === undefined || this.#iterationsAtFirstSchedule === undefined) return undefined;
    return now > this.#iterationsAtFirstSchedule;
  }

  /**
   * What momentum-cycling schedulers can change (PyTorch checks `optimizer.defaults`): `'momentum'`
   * when every group has `momentum`, `'betas'` when every group has `betas` (Adam: `beta1` is
   * cycled), `null` otherwise.
   */
  momentumKind(): 'momentum' | 'betas' | null {
    const groups = this.paramGroups;
    if (groups.every((group) => 'betas' in group)) return 'betas';
    if (groups.every((group) => 'momentum' in group)) return 'momentum';
    return null;
  }

  /** A hint for the "optimizer must support momentum" error, when a tfjs SGD optimizer is involved. */
  momentumHint(): string {
    return this.optimizers.some((optimizer) => optimizer.getClassName() === 'SGD')
      ? ' (tfjs "sgd" has no momentum; PyTorch\'s SGD does: use tf.train.momentum(lr, 0), which computes plain SGD and can carry momentum)'
      : '';
  }

  /** Whether two views drive the same groups (PyTorch compares optimizer identity). */
  sameGroupsAs(other: OptimizerView): boolean {
    if (other === this) return true;
    if (other.paramGroups.length !== this.paramGroups.length) return false;
    return this.paramGroups.every((group, i) => group === other.paramGroups[i]);
  }

  /** The groups' hyper-parameters as plain JSON data (non-finite numbers as "inf", "-inf", "nan"). */
  stateDict(): OptimizerState {
    return {
      param_groups: this.paramGroups.map((group) => {
        const out: Record<string, JsonValue> = { lr: encodeFloat(group.lr) };
        for (const key of Object.keys(group)) out[key] = encodeGroupValue(group[key]);
        if ('momentum' in group) out.momentum = encodeFloat(group.momentum as number);
        if ('betas' in group) out.betas = (group.betas as number[]).map(encodeFloat);
        return out;
      }),
    };
  }

  /**
   * Replaces every group's hyper-parameters with the saved ones; validates everything first. Takes
   * PyTorch's `optimizer.state_dict()` as `readTorchFile` returns it, too; its per-parameter
   * `state` is not read here (`loadTorchOptimizerState` of `tfjs-lr-scheduler/torch` loads it).
   */
  loadStateDict(state: OptimizerState | OptimizerStateLike): void {
    this.prepareLoad(state)();
  }

  /**
   * @internal Validates `state` completely and returns the function that applies it, so a
   * checkpoint can validate the optimizer and the scheduler state before changing either.
   */
  prepareLoad(state: unknown): () => void {
    const groups = validateOptimizerState(state, this.paramGroups);
    return () => {
      groups.forEach((saved, i) => {
        const group = this.paramGroups[i];
        for (const [key, value] of saved) group[key] = value;
      });
      warnUnappliedHyperparameters('OptimizerView.loadStateDict', this.paramGroups, this.optimizers);
    };
  }
}

function encodeGroupValue(value: unknown): JsonValue {
  if (typeof value === 'number') return encodeFloat(value);
  if (Array.isArray(value)) return value.map(encodeGroupValue);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  return null;
}

function validateOptimizerState(given: unknown, groups: readonly ParamGroup[]): Array<Array<[string, unknown]>> {
  const where = 'OptimizerView.loadStateDict';
  const read = readStateData(withoutPerParameterState(given));
  if (read.problem !== undefined) {
    const { key, expected, given: value } = read.problem;
    throw new InvalidStateError(`${where}: ${key} must be ${expected}, got ${describeValue(value)}`);
  }
  const state = read.data;
  if (typeof state !== 'object' || state === null || !Array.isArray((state as OptimizerState).param_groups)) {
    throw new InvalidStateError(`${where}: key "param_groups" must be an array of param groups, got ${describeValue(state)}`);
  }
  const saved = (state as OptimizerState).param_groups;
  if (saved.length !== groups.length) {
    throw new InvalidStateError(
      `${where}: key "param_groups" has ${saved.length} groups, but the optimizer has ${groups.length}`,
    );
  }
  return saved.map((savedGroup, i) => {
    if (typeof savedGroup !== 'object' || savedGroup === null || Array.isArray(savedGroup)) {
      throw new InvalidStateError(`${where}: param_groups[${i}] must be an object, got ${describeValue(savedGroup)}`);
    }
    const entries: Array<[string, unknown]> = [];
    for (const key of Object.keys(savedGroup)) {
      const raw = savedGroup[key];
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        throw new InvalidStateError(`${where}: param_groups[${i}] has the forbidden key "${key}"`);
      }
      if (Object.prototype.hasOwnProperty.call(NUMERIC_KEYS, key)) {
        const rule = NUMERIC_KEYS[key];
        const value = decodeFloat(raw);
        if (value === undefined || !rule.test(value)) {
          throw new InvalidStateError(`${where}: param_groups[${i}].${key} must be ${rule.expected}, got ${describeValue(raw)}`);
        }
        if (key === 'momentum' && isTfjsGroup(groups[i]) && !('momentum' in groups[i])) {
          if (value === 0) continue;
          throw new InvalidStateError(
            `${where}: param_groups[${i}].momentum is ${value}, but that optimizer has no momentum`,
          );
        }
        entries.push([key, value]);
      } else if (key === 'betas') {
        const pair = Array.isArray(raw) ? raw.map(decodeFloat) : [];
        if (pair.length !== 2 || pair.some((v) => v === undefined || !BETA.test(v))) {
          throw new InvalidStateError(
            `${where}: param_groups[${i}].betas must be a pair of numbers, each ${BETA.expected} (as torch.optim.Adam requires), got ${Array.isArray(raw) && raw.length <= 4 ? JSON.stringify(raw) : describeValue(raw)}`,
          );
        }
        if (isTfjsGroup(groups[i]) && !('betas' in groups[i])) {
          throw new InvalidStateError(`${where}: param_groups[${i}] has "betas", but that optimizer has none`);
        }
        entries.push([key, pair as number[]]);
      } else {
        // Never shadow what the group object itself provides (a tfjs group's methods and accessors).
        if (key in groups[i] && !Object.prototype.hasOwnProperty.call(groups[i], key)) {
          throw new InvalidStateError(`${where}: param_groups[${i}] has the key "${key}", which names a property of the param group itself`);
        }
        // A copy: the loaded group must not share arrays or objects with the given state.
        entries.push([key, raw === null || typeof raw !== 'object' ? raw : JSON.parse(JSON.stringify(raw))]);
      }
    }
    if (!entries.some(([key]) => key === 'lr')) {
      throw new InvalidStateError(`${where}: param_groups[${i}] has no "lr"`);
    }
    return entries;
  });
}

/**
 * A PyTorch optimizer state dict without its per-parameter `state` (tensors, loaded into tfjs
 * slots by `loadTorchOptimizerState` of `tfjs-lr-scheduler/torch`), every other key kept as it is.
 */
function withoutPerParameterState(given: unknown): unknown {
  if (typeof given !== 'object' || given === null || Array.isArray(given) || !Object.prototype.hasOwnProperty.call(given, 'state')) return given;
  const prototype = Object.getPrototypeOf(given) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return given;
  const copy = {};
  for (const key of Reflect.ownKeys(given)) {
    if (key !== 'state') Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(given, key) as PropertyDescriptor);
  }
  return copy;
}

function isTfjsGroup(group: ParamGroup): boolean {
  return Object.getPrototypeOf(group) !== Object.prototype;
}

const singleViews = new WeakMap<object, OptimizerView>();
const sequenceViews = new WeakMap<object, OptimizerView[]>();

/**
 * The PyTorch-like view of a tfjs optimizer, an array of tfjs optimizers (one param group each),
 * or any object with `paramGroups`. The same input (the same sequence of optimizers) always gives
 * the same view and the same group records, so schedulers on one optimizer share `initial_lr`.
 */
export function asOptimizer(optimizer: OptimizerLike): OptimizerView {
  if (optimizer instanceof OptimizerView) return optimizer;
  if (Array.isArray(optimizer)) return viewOfSequence(optimizer as readonly TfjsOptimizerLike[]);
  if (isTfjsOptimizer(optimizer)) return viewOfSequence([optimizer]);
  const groupsLike = optimizer as ParamGroupsLike;
  if (typeof groupsLike === 'object' && groupsLike !== null && Array.isArray(groupsLike.paramGroups)) {
    groupsLike.paramGroups.forEach((group, i) => {
      if (typeof group !== 'object' || group === null || typeof group.lr !== 'number') {
        throw new InvalidArgumentError(`asOptimizer: paramGroups[${i}].lr must be a number, got ${describeValue(group?.lr)}`);
      }
    });
    let view = singleViews.get(groupsLike);
    if (view === undefined) {
      view = new OptimizerView(groupsLike);
      singleViews.set(groupsLike, view);
    }
    return view;
  }
  throw new InvalidArgumentError(
    `asOptimizer: expected a tfjs optimizer, an array of tfjs optimizers, or an object with paramGroups, got ${describeValue(optimizer)}`,
    'TypeError',
  );
}

function viewOfSequence(optimizers: readonly TfjsOptimizerLike[]): OptimizerView {
  if (optimizers.length === 0) {
    throw new InvalidArgumentError('asOptimizer: the array of optimizers is empty', 'ValueError');
  }
  optimizers.forEach((optimizer, i) => {
    if (!isTfjsOptimizer(optimizer)) {
      throw new InvalidArgumentError(`asOptimizer: element ${i} is not a tfjs optimizer, got ${describeValue(optimizer)}`, 'TypeError');
    }
  });
  const candidates = sequenceViews.get(optimizers[0]) ?? [];
  const found = candidates.find(
    (view) => view.optimizers.length === optimizers.length && view.optimizers.every((o, i) => o === optimizers[i]),
  );
  if (found) return found;
  const view = new OptimizerView(optimizers);
  candidates.push(view);
  sequenceViews.set(optimizers[0], candidates);
  return view;
}

/**
 * A tensor-free optimizer: param groups only, for plots, tests and framework-free use.
 * Call `step()` where the training loop would update weights, so the "scheduler stepped before
 * optimizer" warning works as in PyTorch.
 */
export class VirtualOptimizer implements ParamGroupsLike {
  readonly paramGroups: ParamGroup[];
  iterations = 0;

  constructor(groups: ReadonlyArray<Partial<ParamGroup> & { lr: number }>) {
    // `lr` first, as a literal field: a bare `{ ...group }` copy keeps numbers boxed, and every
    // scheduler step would then allocate a heap number per group.
    this.paramGroups = groups.map((group) => ({ lr: group.lr, ...(group as Partial<ParamGroup>) }));
  }

  step(): void {
    this.iterations += 1;
  }
}
