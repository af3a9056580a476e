import { LRScheduler } from '../lr-scheduler';
import { pow } from '../math';
import type { OptimizerLike } from '../optim/optimizer-view';
import { OptionChecker } from '../options';
import { decodeFloat, encodeFloat } from '../state/encoding';
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

/** Ascending order for numbers (infinities included; NaN milestones are rejected). */
function ascending(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** PyTorch's `sorted(self.milestones.elements())`: every milestone repeated by its count. */
function sortedElements(milestones: ReadonlyMap<number, number>): number[] {
  const elements: number[] = [];
  for (const [milestone, count] of milestones) for (let i = 0; i < count; i++) elements.push(milestone);
  return elements.sort(ascending);
}

/**
 * Decays each group's learning rate by `gamma` once the epoch reaches one of the milestones.
 *
 * `lr = initial_lr * gamma ** (number of milestones <= epoch)`
 *
 * @example
 * const scheduler = new MultiStepLR(optimizer, { milestones: [2, 5], gamma: 0.5 }); // initial lr 1
 * // epochs 0-1: 1, 2-4: 0.5, 5 and later: 0.25
 * // milestones [3, 3] would decay once, by 0.5 ** 2, at epoch 3
 *
 * Differs from PyTorch: a NaN milestone is rejected at construction (Python's `Counter` would hold
 * it without ever matching an epoch).
 */
export class MultiStepLR extends LRScheduler {
  static override readonly className = 'MultiStepLR';
  /** PyTorch's `milestones` (a `Counter`): milestone -> how many times it was listed. */
  milestones: Map<number, number>;
  gamma: number;
  /** The milestones with repeats, ascending (the closed form's `bisect_right` runs over it). */
  private sortedMilestones: number[];

  constructor(optimizer: OptimizerLike, options: MultiStepLROptions) {
    const check: OptionChecker = new OptionChecker('MultiStepLR', options).known(['milestones', 'gamma', 'lastEpoch']);
    const given: unknown = options.milestones;
    if (!Array.isArray(given)) check.fail('milestones', 'a list of numbers', given, 'TypeError');
    const milestones = new Map<number, number>();
    given.forEach((milestone: unknown, i: number) => {
      const value = check.number(`milestones[${i}]`, milestone, undefined, 'a number (not NaN)', (n) => !Number.isNaN(n));
      milestones.set(value, (milestones.get(value) ?? 0) + 1);
    });
    const gamma = check.number('gamma', options.gamma, 0.1);
    super(optimizer, check.lastEpoch(options.lastEpoch));
    this.milestones = milestones;
    this.gamma = gamma;
    this.sortedMilestones = sortedElements(milestones);
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
    // Python's bisect_right(milestones, last_epoch), comparisons included (a NaN epoch lands last).
    const sorted = this.sortedMilestones;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.lastEpoch < sorted[middle]) high = middle;
      else low = middle + 1;
    }
    const factor = pow(this.gamma, low);
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
    const milestones = reader.value('milestones', 'an object of milestone -> count (positive integer)', decodeMilestones);
    const gamma = reader.number('gamma');
    return () => {
      applyBase();
      this.milestones = milestones;
      this.sortedMilestones = sortedElements(milestones);
      this.gamma = gamma;
    };
  }
}

/** `{ "3": 2, "6": 1 }` (PyTorch's `Counter` as recorded) as a milestone -> count map. */
function decodeMilestones(raw: unknown): Map<number, number> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const milestones = new Map<number, number>();
  for (const [key, count] of Object.entries(raw as Record<string, unknown>)) {
    const milestone = NUMERIC_KEY.test(key) ? Number(key) : decodeFloat(key);
    if (milestone === undefined || Number.isNaN(milestone)) return undefined;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1_000_000) return undefined; // a larger count is no real milestone list, and would be expanded into that many elements
    if (milestones.has(milestone)) return undefined;
    milestones.set(milestone, count);
  }
  return milestones;
}
