/**
 * A scheduler's state dict as PyTorch holds it, for `writeTorchFile`: `stateDict()`'s JSON form
 * with Python's types back (non-finite floats as floats, MultiStepLR's `milestones` a `Counter`,
 * learning rates and factors as `float` even when integer-valued), without this package's
 * `__scheduler__` tags.
 */
import { InvalidStateError } from '../errors';
import type { LRScheduler } from '../lr-scheduler';
import { decodeFloat } from '../state/encoding';
import { findNonJsonData, type SchedulerState } from '../state/state-reader';
import { Counter, pyFloat, type TorchDict, type TorchValue } from './values';

/**
 * Keys whose values (or list elements) PyTorch's schedulers and optimizers hold as `float`:
 * learning rates, factors, momenta. Every other integer-valued number is written as an `int`;
 * where PyTorch's own type follows the user's argument (`eta_min=0` or `0.0`, `min_lr`,
 * OneCycleLR's first `end_step`), both give the same arithmetic.
 */
export const FLOAT_KEYS: ReadonlySet<string> = new Set([
  // schedulers
  'base_lrs', '_last_lr', 'gamma', 'factor', 'start_factor', 'end_factor', 'power', 'eta_min', 'max_lrs',
  'total_size', 'step_ratio', 'base_momentums', 'max_momentums', 'eps', 'threshold', 'best', 'mode_worse',
  'multiplier', 'div_factor', 'final_div_factor', 'pct_start',
  // param groups
  'lr', 'initial_lr', 'momentum', 'betas', 'max_lr', 'min_lr', 'max_momentum', 'base_momentum', 'swa_lr',
]);

const NON_FINITE = ['inf', '-inf', 'nan', '-0.0'];

/** A JSON value with Python's types: non-finite strings as floats, FLOAT_KEYS as floats. */
export function pythonTyped(value: unknown, asFloat: boolean): TorchValue {
  if (typeof value === 'number') return asFloat ? pyFloat(value) : value;
  if (typeof value === 'string') {
    const decoded = NON_FINITE.includes(value) ? decodeFloat(value) : undefined;
    return decoded === undefined ? value : pyFloat(decoded);
  }
  if (Array.isArray(value)) return value.map((item) => pythonTyped(item, asFloat));
  if (typeof value === 'object' && value !== null) {
    const out: TorchDict = {};
    for (const [key, item] of Object.entries(value)) out[key] = pythonTyped(item, FLOAT_KEYS.has(key));
    return out;
  }
  return value as TorchValue;
}

/**
 * The state dict PyTorch's own scheduler of the same class loads (`scheduler.load_state_dict(...)`
 * after `torch.load(weights_only=True)`), from a scheduler or its `stateDict()`.
 *
 * Differs from PyTorch: `GradualWarmupScheduler` (ildoonet's) keeps its `after_scheduler` *object*
 * in its state dict, which `torch.load(weights_only=True)` refuses; its state is written only
 * when it has no after-scheduler.
 *
 * @example
 * writeTorchFile({ scheduler: torchSchedulerState(scheduler), optimizer: await torchOptimizerState(optimizer, variables) });
 */
export function torchSchedulerState(source: LRScheduler | SchedulerState): TorchDict {
  const state = typeof (source as LRScheduler).stateDict === 'function' ? (source as LRScheduler).stateDict() : (source as SchedulerState);
  const problem = findNonJsonData(state);
  if (problem !== undefined) throw new InvalidStateError(`torchSchedulerState: ${problem.key} must be ${problem.expected}`);
  if (typeof state !== 'object' || state === null || Array.isArray(state)) throw new InvalidStateError('torchSchedulerState: expected a scheduler or its state dict');
  return convert(state, 'the state');
}

function convert(state: SchedulerState, where: string): TorchDict {
  const className = state.__scheduler__;
  const out: TorchDict = {};
  for (const [key, value] of Object.entries(state)) {
    if (key === '__scheduler__') continue;
    if (key === 'milestones' && className === 'MultiStepLR') {
      out.milestones = milestoneCounter(value, `${where}.milestones`);
    } else if (key === '_schedulers' && Array.isArray(value)) {
      out._schedulers = value.map((child, i) => {
        if (typeof child !== 'object' || child === null || Array.isArray(child)) throw new InvalidStateError(`torchSchedulerState: ${where}._schedulers[${i}] must be a state dict`);
        return convert(child, `${where}._schedulers[${i}]`);
      });
    } else if (key === 'after_scheduler' && value !== null) {
      throw new InvalidStateError(
        `torchSchedulerState: ${where}.after_scheduler: GradualWarmupScheduler's state dict holds its after_scheduler object in PyTorch, ` +
          'which torch.load(weights_only=True) refuses; save the after-scheduler\'s own state dict beside it instead',
      );
    } else {
      out[key] = pythonTyped(value, FLOAT_KEYS.has(key));
    }
  }
  return out;
}

function milestoneCounter(value: unknown, where: string): Counter {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidStateError(`torchSchedulerState: ${where} must be an object of milestone -> count`);
  const counter = new Counter();
  for (const [key, count] of Object.entries(value)) {
    const milestone = decodeFloat(key) ?? (key.trim() === '' ? undefined : Number(key));
    if (milestone === undefined || Number.isNaN(milestone) || typeof count !== 'number' || !Number.isInteger(count)) {
      throw new InvalidStateError(`torchSchedulerState: ${where}: "${key}": ${String(count)} is not a milestone and its count`);
    }
    counter.set(milestone, count);
  }
  return counter;
}
