/**
 * The per-variable state ("slots") of tfjs-core 4.x optimizers, as their source keeps it, for the
 * code that saves and restores it (whole-run checkpoints, torch.save files). tfjs creates a slot
 * the first time a variable's gradient is applied and finds it again by the gradient's *position*
 * in `applyGradients` (not by name); `originalName` is `<variable name>/<slot>`.
 *
 * - Momentum: `accumulations[i]` (`/momentum`): `acc = momentum * acc + grad`.
 * - Adam: `accumulatedFirstMoment[i]` (`/m`), `accumulatedSecondMoment[i]` (`/v`), and the
 *   scalar variables `accBeta1`, `accBeta2` = `beta ** (t)` at the t-th update, multiplied by
 *   `beta` after each (tfjs keeps no step count beside `iterations`).
 * - Adamax: `accumulatedFirstMoment`, `accumulatedWeightedInfNorm`, `iteration`, `accBeta1`.
 */
import type { TfjsTensor, TfjsVariable } from './tfjs-runtime';

/** A slot: the variable and the name tfjs gave it. */
export interface SlotVariable<V = TfjsVariable> {
  originalName: string;
  variable: V;
}

export interface MomentumInternals<V = TfjsVariable> {
  momentum: number;
  useNesterov: boolean;
  accumulations: Array<SlotVariable<V> | undefined>;
  iterations_: number;
}

export interface AdamInternals<V = TfjsVariable> {
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: V;
  accBeta2: V;
  accumulatedFirstMoment: Array<SlotVariable<V> | undefined>;
  accumulatedSecondMoment: Array<SlotVariable<V> | undefined>;
  iterations_: number;
}

export interface AdamaxInternals<V = TfjsVariable> {
  iteration: V;
  accBeta1: V;
  accumulatedFirstMoment: Array<SlotVariable<V> | undefined>;
  accumulatedWeightedInfNorm: Array<SlotVariable<V> | undefined>;
  iterations_: number;
}

/** Disposes slot variables that are being replaced. */
export function disposeSlots(slots: ReadonlyArray<SlotVariable<TfjsTensor> | undefined>): void {
  for (const slot of slots) slot?.variable.dispose();
}
