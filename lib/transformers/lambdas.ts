/**
 * The learning-rate lambdas of HuggingFace transformers' schedule functions, as pure functions of
 * the step: each returns the factor `LambdaLR` multiplies the base lr by, computed with the float
 * operations of transformers' own lambda in its order (`pymath.cos` / `pymath.sqrt` / `pymath.pow`
 * for `math.cos` / `math.sqrt` / `**`, Python's `max` / `min` / `%`), so the factors are the same
 * doubles as transformers'.
 *
 * Follows `src/transformers/optimization.py` of huggingface/transformers at commit
 * 005edacb6b5dabbf0843e92c6623de9e07ca6241 operation for operation, translated to TypeScript.
 * That file is: Copyright 2018 The Google AI Language Team Authors and The HuggingFace Inc. team.
 * Licensed under the Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0);
 * distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND.
 *
 * Python ints and floats are one JavaScript number: where transformers returns the int `0` or `1`,
 * these return the number 0 or 1, which `LambdaLR` multiplies by the base lr into the same float.
 */
import { PI, cos, mod, pow, sqrt } from '../math';

/** A transformers lr lambda: the factor at `step` (PyTorch's `last_epoch`, `current_step` in transformers). */
export type HfLrLambda = (step: number) => number;

/** How the warmup and decay phases of the warmup-stable-decay schedule are shaped. */
export type WsdShape = 'linear' | 'cosine' | '1-sqrt';

/** Python `max(a, b)`: `a` unless `b` is strictly greater (so `max(0.0, nan)` is `0.0`). */
function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}

/** `float(current_step) / float(max(1, num_warmup_steps))`, the warmup of most schedules. */
function warmup(step: number, numWarmupSteps: number): number {
  return step / pyMax(1, numWarmupSteps);
}

/** `_get_constant_lambda`: the int 1, whatever the step. */
export function constantLambda(): HfLrLambda {
  return () => 1;
}

/** `_get_constant_schedule_with_warmup_lr_lambda` (its warmup divides by `float(max(1.0, w))`). */
export function constantWithWarmupLambda(numWarmupSteps: number): HfLrLambda {
  return (step) => (step < numWarmupSteps ? step / pyMax(1.0, numWarmupSteps) : 1.0);
}

/** `_get_linear_schedule_with_warmup_lr_lambda`: up to 1, then linearly to 0.0 at the end and 0.0 after it. */
export function linearWithWarmupLambda(numWarmupSteps: number, numTrainingSteps: number): HfLrLambda {
  return (step) => {
    if (step < numWarmupSteps) return warmup(step, numWarmupSteps);
    return pyMax(0.0, (numTrainingSteps - step) / pyMax(1, numTrainingSteps - numWarmupSteps));
  };
}

/**
 * `_get_cosine_schedule_with_warmup_lr_lambda`, the file's second definition (the one
 * `get_cosine_schedule_with_warmup` calls): `factor * (1 - min_lr_rate) + min_lr_rate`, then
 * `max(0, factor)`. Not clamped past `numTrainingSteps`: the cosine rises again.
 */
export function cosineWithWarmupLambda(numWarmupSteps: number, numTrainingSteps: number, numCycles: number, minLrRate = 0.0): HfLrLambda {
  return (step) => {
    if (step < numWarmupSteps) return warmup(step, numWarmupSteps);
    const progress = (step - numWarmupSteps) / pyMax(1, numTrainingSteps - numWarmupSteps);
    let factor = 0.5 * (1.0 + cos(PI * numCycles * 2.0 * progress));
    factor = factor * (1 - minLrRate) + minLrRate;
    return pyMax(0, factor);
  };
}

/** `_get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda`: `numCycles` cosines, 0.0 from progress 1 on. */
export function cosineWithHardRestartsLambda(numWarmupSteps: number, numTrainingSteps: number, numCycles: number): HfLrLambda {
  return (step) => {
    if (step < numWarmupSteps) return warmup(step, numWarmupSteps);
    const progress = (step - numWarmupSteps) / pyMax(1, numTrainingSteps - numWarmupSteps);
    if (progress >= 1.0) return 0.0;
    return pyMax(0.0, 0.5 * (1.0 + cos(PI * mod(numCycles * progress, 1.0))));
  };
}

/**
 * `_get_polynomial_decay_schedule_with_warmup_lr_lambda`: from `lrInit` down to `lrEnd` as
 * `lrRange * pctRemaining ** power + lrEnd`, divided by `lrInit` (LambdaLR multiplies it back).
 * Python raises ZeroDivisionError at step `numTrainingSteps` when it equals `numWarmupSteps`: the
 * schedule function rejects that at construction.
 */
export function polynomialDecayLambda(numWarmupSteps: number, numTrainingSteps: number, lrEnd: number, power: number, lrInit: number): HfLrLambda {
  return (step) => {
    if (step < numWarmupSteps) return warmup(step, numWarmupSteps);
    if (step > numTrainingSteps) return lrEnd / lrInit;
    const lrRange = lrInit - lrEnd;
    const decaySteps = numTrainingSteps - numWarmupSteps;
    const pctRemaining = 1 - (step - numWarmupSteps) / decaySteps;
    const decay = lrRange * pow(pctRemaining, power) + lrEnd;
    return decay / lrInit;
  };
}

/** `_get_inverse_sqrt_schedule_lr_lambda`: `1.0 / sqrt((step + timescale - w) / timescale)` after the warmup. */
export function inverseSqrtLambda(numWarmupSteps: number, timescale: number): HfLrLambda {
  return (step) => {
    if (step < numWarmupSteps) return warmup(step, numWarmupSteps);
    const shift = timescale - numWarmupSteps;
    return 1.0 / sqrt((step + shift) / timescale);
  };
}

/**
 * `_get_cosine_with_min_lr_schedule_with_warmup_lr_rate_lambda`: every count as a float; the warmup
 * is `(step + 1) / max(1, w)`, or from `warmupLrRate` when given (`null`: Python's `None`); the
 * cosine's progress counts from `step - w + 1`.
 */
export function cosineWithMinLrLrRateLambda(
  numWarmupSteps: number,
  numTrainingSteps: number,
  numCycles: number,
  minLrRate: number,
  warmupLrRate: number | null,
): HfLrLambda {
  return (step) => {
    if (step < numWarmupSteps) {
      if (warmupLrRate === null) return (step + 1.0) / pyMax(1.0, numWarmupSteps);
      return warmupLrRate + ((1.0 - warmupLrRate) * step) / pyMax(1, numWarmupSteps - 1);
    }
    const progress = (step - numWarmupSteps + 1.0) / pyMax(1.0, numTrainingSteps - numWarmupSteps);
    let factor = 0.5 * (1.0 + cos(PI * numCycles * 2.0 * progress));
    factor = factor * (1 - minLrRate) + minLrRate;
    return pyMax(0, factor);
  };
}

/** The phases of the warmup-stable-decay schedule, in steps. */
export interface WsdPhases {
  numWarmupSteps: number;
  numStableSteps: number;
  numDecaySteps: number;
}

/**
 * `_get_wsd_scheduler_lambda`: warmup from `minLrRatio` to 1, `numStableSteps` at 1, decay to
 * `minLrRatio`, then `minLrRatio` (transformers' default is the int 0).
 */
export function wsdLambda(phases: WsdPhases, warmupType: WsdShape, decayType: WsdShape, minLrRatio: number, numCycles: number): HfLrLambda {
  const { numWarmupSteps, numStableSteps, numDecaySteps } = phases;
  return (step) => {
    if (step < numWarmupSteps) {
      const progress = warmup(step, numWarmupSteps);
      let factor: number;
      if (warmupType === 'linear') factor = progress;
      else if (warmupType === 'cosine') factor = 0.5 * (1.0 - cos(PI * progress));
      else factor = 1.0 - sqrt(1.0 - progress);
      factor = factor * (1.0 - minLrRatio) + minLrRatio;
      return pyMax(0.0, factor);
    }
    if (step < numWarmupSteps + numStableSteps) return 1.0;
    if (step < numWarmupSteps + numStableSteps + numDecaySteps) {
      const progress = (step - numWarmupSteps - numStableSteps) / pyMax(1, numDecaySteps);
      let factor: number;
      if (decayType === 'linear') factor = 1.0 - progress;
      else if (decayType === 'cosine') factor = 0.5 * (1.0 + cos(PI * numCycles * 2.0 * progress));
      else factor = 1.0 - sqrt(progress);
      factor = factor * (1.0 - minLrRatio) + minLrRatio;
      return pyMax(0.0, factor);
    }
    return minLrRatio;
  };
}
