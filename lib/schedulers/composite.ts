/**
 * What SequentialLR and ChainedScheduler share: checking their children as PyTorch does, PyTorch's
 * `bisect_right`, the "takes 1 positional argument" TypeError of their `step()`, the
 * NotImplementedError of `getLr()` (neither class overrides `LRScheduler.get_lr`), and loading
 * their children's state dicts.
 *
 * Follows the corresponding code of PyTorch 2.13's torch/optim/lr_scheduler.py, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { InvalidArgumentError, LRSchedulerError, SchedulerTypeError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import type { OptimizerView } from '../optim/optimizer-view';
import { describeValue, type StateReader } from '../state/state-reader';

/** A scheduler that drives other schedulers (PyTorch: has `_schedulers`). */
export interface CompositeScheduler {
  readonly schedulers: readonly LRScheduler[];
}

/** Whether `scheduler` nests other schedulers (PyTorch's `hasattr(sched, "_schedulers")`). */
export function isComposite(scheduler: LRScheduler): scheduler is LRScheduler & CompositeScheduler {
  return Array.isArray((scheduler as Partial<CompositeScheduler>).schedulers);
}

/**
 * PyTorch's checks of the children list, in its order: at least one (`emptyMessage`), each one a
 * scheduler, no ReduceLROnPlateau, all on `optimizer` (`null`: the first child's).
 */
export function checkChildren(className: string, schedulers: unknown, optimizer: OptimizerView | null, emptyMessage: string): LRScheduler[] {
  if (!Array.isArray(schedulers)) {
    throw new InvalidArgumentError(`${className}: option "schedulers" must be a list of schedulers, got ${describeValue(schedulers)}`, 'TypeError');
  }
  if (schedulers.length < 1) throw new InvalidArgumentError(emptyMessage);
  let expected = optimizer;
  const children: LRScheduler[] = [];
  schedulers.forEach((scheduler: unknown, index) => {
    if (!(scheduler instanceof LRScheduler)) {
      throw new InvalidArgumentError(`${className} at index ${index} should have \`optimizer\` as its attribute.`, 'TypeError');
    }
    expected ??= scheduler.optimizer;
    if (scheduler.getClassName() === 'ReduceLROnPlateau') {
      throw new InvalidArgumentError(
        `${className} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be ` +
          `specified when calling \`step\`, but got one at index ${index} in the given schedulers sequence.`,
      );
    }
    if (!expected.sameGroupsAs(scheduler.optimizer)) {
      throw new InvalidArgumentError(
        `${className} expects all schedulers to belong to the same optimizer, but got scheduler ` +
          `${scheduler.getClassName()} at index ${index} has a different optimizer (other param groups).`,
      );
    }
    children.push(scheduler);
  });
  return children;
}

/** Python's `bisect.bisect_right` (the same probes, so an unsorted list gives Python's answer). */
export function bisectRight(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < values[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Python's TypeError for `step(epoch)` on a `step(self)` method. */
export function positionalArgumentsError(className: string): SchedulerTypeError {
  return new SchedulerTypeError(`${className}.step() takes 1 positional argument but 2 were given`);
}

/** `LRScheduler.get_lr()` of PyTorch, which composites do not override. */
export function notImplementedGetLr(className: string): LRSchedulerError {
  return new LRSchedulerError(
    `${className}: getLr() is not implemented (a composite has no learning-rate formula of its own; use getLastLr())`,
    'NotImplementedError',
  );
}

/** Copies `source` into `target`, reallocating only when the length changed; returns the target. */
export function copyLrs(target: number[] | null, source: readonly number[]): number[] {
  const out = target !== null && target.length === source.length ? target : new Array<number>(source.length);
  for (let i = 0; i < source.length; i++) out[i] = source[i];
  return out;
}

/**
 * Validates `_schedulers`, one state dict per child, each by its child, and returns the function
 * that applies them all (nothing changes before it runs).
 */
export function prepareChildrenLoad(reader: StateReader, schedulers: readonly LRScheduler[]): () => void {
  const children = reader.value('_schedulers', `a list of ${schedulers.length} state dicts`, (raw) =>
    Array.isArray(raw) && raw.length === schedulers.length ? (raw as unknown[]) : undefined,
  );
  const applyChildren = schedulers.map((scheduler, i) => scheduler.prepareLoad(children[i], reader.child(`_schedulers[${i}]`)));
  return () => {
    for (const apply of applyChildren) apply();
  };
}
