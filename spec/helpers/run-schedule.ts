/**
 * A training loop in miniature: `optimizer.step()`, then `scheduler.step()` (`step(epochs[i])` when
 * `epochs` is given), recording the param groups after construction and after each step. Warnings
 * go to the current handler: wrap a call in `captureWarnings` to see or silence them.
 */
import type { LRScheduler, ParamGroup, VirtualOptimizer } from '../../lib';

/** `read(groups)` after construction and after each of `steps` steps. */
export function recordSchedule<T>(
  optimizer: VirtualOptimizer,
  scheduler: LRScheduler,
  steps: number,
  read: (groups: readonly ParamGroup[]) => T,
  epochs?: readonly number[],
): T[] {
  const records = [read(optimizer.paramGroups)];
  for (let i = 0; i < steps; i++) {
    optimizer.step();
    if (epochs === undefined) scheduler.step();
    else scheduler.step(epochs[i]);
    records.push(read(optimizer.paramGroups));
  }
  return records;
}

/** The first group's lr after construction and after each of `steps` steps. */
export function runSchedule(optimizer: VirtualOptimizer, scheduler: LRScheduler, steps: number, epochs?: readonly number[]): number[] {
  return recordSchedule(optimizer, scheduler, steps, (groups) => groups[0].lr, epochs);
}

/** Every group's lr after construction and after each of `steps` steps, one row per step. */
export function runScheduleAllGroups(optimizer: VirtualOptimizer, scheduler: LRScheduler, steps: number, epochs?: readonly number[]): number[][] {
  return recordSchedule(optimizer, scheduler, steps, (groups) => groups.map((group) => group.lr), epochs);
}

/** The first group's lr and momentum (Adam's beta1 where it has betas) after construction and after each step. */
export function runScheduleWithMomentum(optimizer: VirtualOptimizer, scheduler: LRScheduler, steps: number): { lrs: number[]; momentums: number[] } {
  const records = recordSchedule(optimizer, scheduler, steps, ([group]) => ({
    lr: group.lr,
    momentum: 'betas' in group ? (group.betas as number[])[0] : (group.momentum as number),
  }));
  return { lrs: records.map((record) => record.lr), momentums: records.map((record) => record.momentum) };
}
