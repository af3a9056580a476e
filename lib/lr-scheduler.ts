/**
 * The base of every scheduler, mirroring PyTorch 2.13's `torch.optim.lr_scheduler.LRScheduler`:
 * construction (initial_lr, base_lrs, the initial step), `step()` with the chainable form and
 * `step(epoch)` with the closed form, `getLastLr()`, warnings, and state dicts.
 *
 * Follows PyTorch 2.13's `LRScheduler` (torch/optim/lr_scheduler.py) operation for operation,
 * translated to TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the
 * PyTorch contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { InvalidArgumentError, NotComputedError } from './errors';
import { asOptimizer, type OptimizerLike, type OptimizerView } from './optim/optimizer-view';
import type { ParamGroup } from './optim/param-group';
import { encodeFloat } from './state/encoding';
import { INTEGER, LEARNING_RATE, WRITTEN_LR, type NumberRule } from './state/rules';
import { StateReader, describeValue, encodeFloatList, type SchedulerState, type SchedulerStateLike, type StateLocation } from './state/state-reader';
import {
  EPOCH_DEPRECATION_WARNING,
  GET_LR_OUTSIDE_STEP_WARNING,
  STEP_BEFORE_OPTIMIZER_WARNING,
  warn,
} from './warnings';

/**
 * `count` zeros in a packed array: V8 keeps the doubles later stored in it unboxed and reads them
 * without checking for holes (`new Array(count)` has holes, and `fill` does not remove that mark).
 */
function zeros(count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(0);
  return out;
}

/**
 * Base class for learning-rate schedulers. A subclass validates its options, calls
 * `super(optimizer, lastEpoch)`, sets its fields, and ends its constructor with
 * `this.initialStep()` (PyTorch performs that step inside the base constructor; TypeScript cannot
 * run subclass code before the subclass fields exist). It implements `getLr()` (the chainable form)
 * and, where PyTorch has `_get_closed_form_lr`, `closedFormLr()`.
 *
 * Options are checked with value rules (`state/rules.ts`) that `loadStateDict()` applies to the
 * state keys storing them, so a loaded state satisfies everything the constructor requires.
 *
 * Differs from PyTorch: a NaN or infinite base learning rate (a group's `initial_lr`, or its `lr`
 * when it has none), which can only give non-finite learning rates, throws at construction and is
 * rejected in a loaded `base_lrs`; a loaded `last_epoch` must be an integer and `_last_lr` may not be
 * NaN.
 *
 * @example
 * class HalveEveryEpoch extends LRScheduler {
 *   static override readonly className = 'HalveEveryEpoch';
 *   constructor(optimizer: OptimizerLike) { super(optimizer); this.initialStep(); }
 *   override getLr(): readonly number[] {
 *     this.warnIfOutsideStep();
 *     return this.optimizer.paramGroups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr / 2));
 *   }
 * }
 */
export abstract class LRScheduler {
  /** The name used by `stateDict()`, the registry and error messages (PyTorch's class name). */
  static readonly className: string = 'LRScheduler';

  /** The PyTorch-like view of the optimizer(s) this scheduler drives. */
  readonly optimizer: OptimizerView;
  /** PyTorch's `last_epoch`: the index of the last step taken (0 after construction). */
  lastEpoch: number;
  /** PyTorch's `base_lrs`: each group's `initial_lr`. */
  baseLrs: number[];
  /** PyTorch's `_step_count`. */
  protected stepCount = 0;
  /** PyTorch's `_last_lr`, owned by the scheduler (`getLastLr()` returns a copy); `null` until computed. */
  protected lastLrs: number[] | null = null;
  /** PyTorch's `_get_lr_called_within_step`. */
  protected getLrCalledWithinStep = false;
  /** PyTorch's `_is_initial`: true during the initial step of construction. */
  protected isInitial = false;
  /** The array `getLr()` fills and returns, reused on every step (no allocation on the hot path). */
  protected readonly nextLrs: number[];
  /** `optimizer.paramGroups` (the same array for the view's whole life), one load nearer. */
  protected readonly groups: ParamGroup[];

  /**
   * With `lastEpoch === -1` sets each group's `initial_lr` if absent (a second scheduler on the same
   * optimizer reuses the first one's); with `lastEpoch >= 0` requires it in every group.
   *
   * `baseInit` is `false` for the classes whose PyTorch `__init__` does not run
   * `LRScheduler.__init__` (ReduceLROnPlateau, SequentialLR, ChainedScheduler): they neither set
   * nor require `initial_lr`, do not mark the optimizer as scheduled, and their `baseLrs` are the
   * groups' current learning rates (PyTorch's objects have no `base_lrs`).
   */
  constructor(optimizer: OptimizerLike, lastEpoch = -1, baseInit = true) {
    const view = asOptimizer(optimizer);
    const className = (new.target as unknown as typeof LRScheduler).className;
    if (typeof lastEpoch !== 'number' || Number.isNaN(lastEpoch)) {
      throw new InvalidArgumentError(`${className}: option "lastEpoch" must be a number, got ${String(lastEpoch)}`, 'TypeError');
    }
    const groups = view.paramGroups;
    if (!baseInit) {
      this.optimizer = view;
      this.groups = groups;
      this.baseLrs = groups.map((group) => group.lr);
      this.lastEpoch = lastEpoch;
      this.nextLrs = zeros(groups.length);
      return;
    }
    groups.forEach((group, i) => {
      if (lastEpoch !== -1 && !('initial_lr' in group)) {
        throw new InvalidArgumentError(
          `${className}: param 'initial_lr' is not specified in paramGroups[${i}] when resuming scheduler with ` +
            'lastEpoch >= 0. This typically happens when you resume training from a checkpoint without loading ' +
            "the optimizer's state first, or use lastEpoch >= 0 for a fresh run.",
          'KeyError',
        );
      }
      // The base lr (`base_lrs`, which loadStateDict() checks with the same rule): a NaN or infinite one
      // can only give non-finite learning rates. Checked before anything is written.
      const baseLr = 'initial_lr' in group ? group.initial_lr : group.lr;
      if (typeof baseLr !== 'number' || !LEARNING_RATE.test(baseLr)) {
        throw new InvalidArgumentError(
          `${className}: paramGroups[${i}].${'initial_lr' in group ? 'initial_lr' : 'lr'} (the base learning rate) must be ` +
            `${LEARNING_RATE.expected}, got ${describeValue(baseLr)}`,
        );
      }
    });
    if (lastEpoch === -1) {
      for (const group of groups) if (!('initial_lr' in group)) group.initial_lr = group.lr;
    }
    this.optimizer = view;
    this.groups = groups;
    this.baseLrs = groups.map((group) => group.initial_lr as number);
    this.lastEpoch = lastEpoch;
    this.nextLrs = zeros(groups.length);
    view.markScheduled();
  }

  /** PyTorch's class name of this scheduler (no `instanceof` needed across package copies). */
  getClassName(): string {
    return (this.constructor as typeof LRScheduler).className;
  }

  /** PyTorch's initial step, at the end of every subclass constructor. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.isInitial = true;
    try {
      this.step();
    } finally {
      this.isInitial = false;
    }
  }

  /**
   * Advances the schedule. Without `epoch`: `lastEpoch += 1` and the chainable `getLr()`. With
   * `epoch` (deprecated in PyTorch, which warns): `lastEpoch = epoch` and the closed form where the
   * class has one. Call it after the optimizer's update.
   */
  step(epoch?: number): void {
    if (this.stepCount === 1 && this.optimizer.steppedSinceScheduled() === false) {
      warn(STEP_BEFORE_OPTIMIZER_WARNING);
    }
    this.stepCount += 1;
    if (epoch !== undefined) {
      if (typeof epoch !== 'number') {
        throw new InvalidArgumentError(`${this.getClassName()}.step: epoch must be a number, got ${String(epoch)}`, 'TypeError');
      }
      warn(EPOCH_DEPRECATION_WARNING);
      this.updateLr(epoch);
      return;
    }
    // updateLr()'s chainable half, inline: one call less per training iteration (see updateLr).
    let values: readonly number[];
    this.getLrCalledWithinStep = true;
    try {
      this.lastEpoch += 1;
      values = this.getLr();
    } catch (error) {
      this.getLrCalledWithinStep = false;
      throw error;
    }
    this.getLrCalledWithinStep = false;
    // applyLrs(values), inline.
    const groups = this.groups;
    const count = groups.length;
    const last = this.lastLrs;
    if (values.length !== count || last === null || last.length !== count) {
      this.applyLrs(values);
      return;
    }
    for (let i = 0; i < count; i++) {
      const lr = values[i];
      groups[i].lr = lr;
      last[i] = lr;
    }
  }

  /** Computes the new learning rates and writes them to the param groups (PyTorch's `_update_lr`). */
  protected updateLr(epoch?: number): void {
    let values: readonly number[];
    // PyTorch's `with _enable_get_lr_call(self)`: the flag is cleared however getLr() ends. A catch
    // that rethrows, not a finally: the same semantics in fewer bytecodes, and step() runs in V8's
    // interpreter and baseline tiers for the first 10^4 training iterations or more.
    this.getLrCalledWithinStep = true;
    try {
      if (epoch === undefined) {
        this.lastEpoch += 1;
        values = this.getLr();
      } else {
        this.lastEpoch = epoch;
        values = this.closedFormLr !== undefined ? this.closedFormLr() : this.getLr();
      }
    } catch (error) {
      this.getLrCalledWithinStep = false;
      throw error;
    }
    this.getLrCalledWithinStep = false;
    this.applyLrs(values);
  }

  /**
   * Writes `values` into the groups' `lr` and records them as the last learning rates. PyTorch
   * records `[group["lr"] for group in param_groups]` after writing: the same numbers, as every
   * param group reads back what was written (see `ParamGroupsLike`), without reading each group
   * again (a getter call per tfjs optimizer).
   */
  protected applyLrs(values: readonly number[]): void {
    const groups = this.groups;
    const count = groups.length;
    if (values.length !== count) {
      throw new InvalidArgumentError(
        `${this.getClassName()}: getLr() returned ${values.length} learning rates for ${count} param groups`,
      );
    }
    let last = this.lastLrs;
    if (last === null || last.length !== count) last = this.lastLrs = zeros(count);
    for (let i = 0; i < count; i++) {
      const lr = values[i];
      groups[i].lr = lr;
      last[i] = lr;
    }
  }

  /** `_last_lr = [group.lr for group in param_groups]`, into the scheduler's own array. */
  protected recordLastLrs(): void {
    const groups = this.groups;
    let last = this.lastLrs;
    if (last === null || last.length !== groups.length) last = this.lastLrs = zeros(groups.length);
    for (let i = 0; i < groups.length; i++) last[i] = groups[i].lr;
  }

  /**
   * The chainable form: the next learning rate of every group, computed from the groups' current
   * `lr` in PyTorch's operation order. Returns an array the scheduler reuses; copy it to keep it.
   * Called outside `step()` it warns, as PyTorch does.
   */
  abstract getLr(): readonly number[];

  /** The closed form of `step(epoch)`, where PyTorch has `_get_closed_form_lr`. */
  protected closedFormLr?(): readonly number[];

  /** PyTorch's warning when `getLr()` is called directly instead of `getLastLr()`. */
  protected warnIfOutsideStep(): void {
    if (!this.getLrCalledWithinStep) warn(GET_LR_OUTSIDE_STEP_WARNING);
  }

  /** The learning rates the last step computed, one per group (a fresh copy). */
  getLastLr(): number[] {
    if (this.lastLrs === null) {
      throw new NotComputedError(`${this.getClassName()}: getLastLr() has nothing to return: no learning rate was computed yet`);
    }
    return this.lastLrs.slice();
  }

  /** The scheduler's state as plain JSON data with PyTorch's key names and a `__scheduler__` tag. */
  stateDict(): SchedulerState {
    const state: SchedulerState = { __scheduler__: this.getClassName() };
    this.writeState(state);
    return state;
  }

  /**
   * Restores a state written by `stateDict()`, by PyTorch as JSON, or by PyTorch's `torch.save` as
   * `readTorchFile` returns it (Counter milestones, tensor learning rates). Everything is
   * validated first; an invalid state throws `InvalidStateError` and changes nothing.
   */
  loadStateDict(state: SchedulerState | SchedulerStateLike): void {
    this.prepareLoad(state)();
  }

  /**
   * @internal Validates `state` completely and returns the function that applies it; composite
   * schedulers validate every child before applying anything, passing where the child's state
   * sits (`reader.child('_schedulers[1]')`) so errors name it.
   */
  prepareLoad(state: unknown, location?: StateLocation): () => void {
    const reader = new StateReader(this.getClassName(), state, location);
    const apply = this.readState(reader);
    reader.finish();
    return apply;
  }

  /**
   * @internal PyTorch's `_initial_step()` called from outside: `SequentialLR` re-runs the initial
   * step of the child that is active at epoch 0 (`stepCount = 0`, then `step()` in initial mode).
   */
  runInitialStep(): void {
    this.initialStep();
  }

  /**
   * @internal PyTorch's `_update_lr(epoch)` called from outside: `SequentialLR` hands over to the
   * next child at a milestone with `_update_lr(0)` (`lastEpoch = 0` and the closed form where the
   * class has one; no step count, no warning).
   */
  updateLrAt(epoch: number): void {
    this.updateLr(epoch);
  }

  /** @internal The last learning rates without a copy (composites read their children's). */
  lastLrsView(): readonly number[] | null {
    return this.lastLrs;
  }

  /** Adds this class's keys to a state dict; subclasses call `super.writeState(state)` first. */
  protected writeState(state: SchedulerState): void {
    state.base_lrs = encodeFloatList(this.baseLrs);
    state.last_epoch = encodeFloat(this.lastEpoch);
    state._step_count = this.stepCount;
    state._get_lr_called_within_step = false;
    state._is_initial = false;
    if (this.lastLrs !== null) state._last_lr = encodeFloatList(this.lastLrs);
  }

  /**
   * The rule a loaded `last_epoch` must satisfy: an integer. NaN, infinities and fractions are
   * rejected; a negative integer loads, since PyTorch reaches one (`GradualWarmupScheduler` hands
   * its after-scheduler `epoch - total_epoch`; PyTorch 2.13's recordings hold -3 and -5), while the
   * `lastEpoch` option itself must be >= -1. A state left by the deprecated `step(epoch)` with a
   * fractional epoch does not load.
   */
  protected lastEpochRule(): NumberRule {
    return INTEGER;
  }

  /**
   * Validates this class's keys and returns the function that applies them. Subclasses read their
   * own keys, each with the rule its constructor option uses (`state/rules.ts`), then return
   * `() => { applyBase(); this.x = x; }`. Nothing may change before the returned function runs.
   */
  protected readState(reader: StateReader): () => void {
    const groupCount = this.optimizer.paramGroups.length;
    const baseLrs = reader.numberList('base_lrs', groupCount, LEARNING_RATE);
    const lastEpoch = reader.number('last_epoch', this.lastEpochRule());
    const stepCount = reader.optional('_step_count', INTEGER.expected, (raw) => (typeof raw === 'number' && INTEGER.test(raw) ? raw : undefined), this.stepCount);
    const lastLrs = reader.has('_last_lr') ? reader.numberList('_last_lr', groupCount, WRITTEN_LR) : this.lastLrs;
    return () => {
      this.baseLrs = baseLrs;
      this.lastEpoch = lastEpoch;
      this.stepCount = stepCount;
      this.lastLrs = lastLrs === null ? null : lastLrs.slice();
    };
  }
}
