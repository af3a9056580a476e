/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.MultiStepLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { LRScheduler } from '../lr-scheduler';
import { pow } from '../math';
import type { OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { decodeFloat, encodeFloat } from '../state/encoding';
import { FINITE, NOT_NAN } from '../state/rules';
import type { StateReader, SchedulerState } from '../state/state-reader';

export interface MultiStepLROptions {
  /** The epochs at which to decay; a milestone listed n times decays by `gamma ** n` (any order). */
  milestones: readonly number[];
  /** Multiplicative factor of decay. @default 0.1 */
  gamma?: number;
  /** Index of the last epoch when resuming. @default -1 */
  lastEpoch?: number;
}

const NUMERIC_KEY = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A milestone: any number but NaN (Python's `Counter` would hold a NaN without ever matching an epoch). */
const MILESTONE = NOT_NAN;
/**
 * How many milestones (counting repeats) a state may hold: no more than a list can have, since the
 * constructor takes them as a list. Counts are kept as counts and never expanded.
 */
const MAX_TOTAL_COUNT = 2 ** 32 - 1;

/** Ascending order for numbers (infinities included; NaN milestones are rejected). */
function ascending(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * PyTorch's `sorted(self.milestones.elements())` in compact form: the distinct milestones
 * ascending and, for each, how many milestones (with repeats) are <= it. `bisect_right` over the
 * elements is then the cumulative count at `bisect_right` over the distinct milestones.
 */
interface SortedMilestones {
  keys: number[];
  cumulative: number[];
}

function sortMilestones(milestones: ReadonlyMap<number, number>): SortedMilestones {
  const keys = [...milestones.keys()].sort(ascending);
  const cumulative = new Array<number>(keys.length);
  let total = 0;
  for (let i = 0; i < keys.length; i++) {
    total += milestones.get(keys[i]) as number;
    cumulative[i] = total;
  }
  return { keys, cumulative };
}

export class MultiStepLR extends LRScheduler {
  static override readonly className = 'MultiStepLR';
  /** PyTorch's `milestones` (a `Counter`): milestone -> how many times it was listed. */
  milestones: Map<number, number>;
  gamma: number;
  /** The distinct milestones ascending, with cumulative counts (the closed form's `bisect_right` runs over them). */
  private sorted: SortedMilestones;

  constructor(optimizer: OptimizerLike, options: MultiStepLROptions) {
    const check: OptionChecker = new OptionChecker('MultiStepLR', options, '{ milestones: [30, 80] }', 'milestones').known(['milestones', 'gamma', 'lastEpoch']);
    const given: unknown = options.milestones;
    if (!Array.isArray(given)) check.fail('milestones', 'a list of numbers', given, 'TypeError');
    const milestones = new Map<number, number>();
    given.forEach((milestone: unknown, i: number) => {
      const value = check.number(`milestones[${i}]`, milestone, undefined, MILESTONE);
      milestones.set(value, (milestones.get(value) ?? 0) + 1);
    });
    const gamma = check.number('gamma', options.gamma, 0.1, FINITE);
    super(optimizer, check.lastEpoch(options.lastEpoch));
    this.milestones = milestones;
    this.gamma = gamma;
    this.sorted = sortMilestones(milestones);
    this.initialStep();
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const groups = this.groups;
    const lrs = this.nextLrs;
    const count = this.milestones.get(this.lastEpoch);
    if (count === undefined) {
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr;
    } else {
      // PyTorch computes `gamma ** count` for each group: the same number.
      const factor = pow(this.gamma, count);
      for (let i = 0; i < groups.length; i++) lrs[i] = groups[i].lr * factor;
    }
    return lrs;
  }

  protected override closedFormLr(): readonly number[] {
    // Python's bisect_right(sorted(milestones.elements()), last_epoch), comparisons included (a NaN
    // epoch lands last): the cumulative count at bisect_right over the distinct milestones.
    const { keys, cumulative } = this.sorted;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.lastEpoch < keys[middle]) high = middle;
      else low = middle + 1;
    }
    const factor = pow(this.gamma, low === 0 ? 0 : cumulative[low - 1]);
    const lrs = this.nextLrs;
    for (let i = 0; i < lrs.length; i++) lrs[i] = this.baseLrs[i] * factor;
    return lrs;
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    const milestones: { [milestone: string]: number } = {};
    for (const [milestone, count] of this.milestones) milestones[String(encodeFloat(milestone))] = count;
    state.milestones = milestones;
    state.gamma = encodeFloat(this.gamma);
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const milestones = reader.value(
      'milestones',
      `an object of milestone -> count (a positive integer; at most ${MAX_TOTAL_COUNT} milestones counting repeats)`,
      decodeMilestones,
    );
    const gamma = reader.number('gamma', FINITE);
    const sorted = sortMilestones(milestones);
    return () => {
      applyBase();
      this.milestones = milestones;
      this.sorted = sorted;
      this.gamma = gamma;
    };
  }
}

/** `{ "3": 2, "6": 1 }` (PyTorch's `Counter` as recorded) as a milestone -> count map. */
function decodeMilestones(raw: unknown): Map<number, number> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const milestones = new Map<number, number>();
  let total = 0;
  for (const [key, count] of Object.entries(raw as Record<string, unknown>)) {
    const milestone = NUMERIC_KEY.test(key) ? Number(key) : decodeFloat(key);
    if (milestone === undefined || !MILESTONE.test(milestone)) return undefined;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return undefined;
    total += count;
    if (total > MAX_TOTAL_COUNT || milestones.has(milestone)) return undefined;
    milestones.set(milestone, count);
  }
  return milestones;
}
