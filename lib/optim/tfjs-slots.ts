/**
 * The state tensors of tfjs-core optimizers ("slots": moments, accumulators, bias-correction
 * scalars) and their iteration count: read them in a fixed, named order, check saved ones against
 * a live optimizer and the variables it updates, and put them back in a way that cannot fail
 * halfway (new variables are built first; applying is plain field assignment).
 *
 * Facts about tfjs-core 4.x these helpers rely on (each optimizer keeps its slots in fields, one
 * `{ originalName, variable }` per variable it updates, in the order of the variable list it was
 * given; `getWeights()` returns the same arrays one after the other, after an `iter` scalar):
 * - SGD: no slots. Momentum: `accumulations`. Adagrad: `accumulatedGrads`. Adadelta:
 *   `accumulatedGrads`, `accumulatedUpdates`. RMSProp: `accumulatedMeanSquares`,
 *   `accumulatedMoments`, and with `centered` `accumulatedMeanGrads`.
 * - Adam: `accumulatedFirstMoment`, `accumulatedSecondMoment`, and the scalar variables `accBeta1`,
 *   `accBeta2`, which `getWeights()` leaves out and `setWeights()` recomputes as
 *   `beta ** (iterations + 1)` (wrong once a schedule has changed `beta1`).
 * - Adamax: `accumulatedFirstMoment`, `accumulatedWeightedInfNorm`, the scalar variables
 *   `iteration` and `accBeta1`; it implements neither `getWeights()` nor `setWeights()`.
 * - Every optimizer counts its updates in `iterations_`.
 *
 * Nothing here imports tfjs: the tensors are used through their own methods (structural types), so
 * any copy of tfjs fits.
 */

import { LRSchedulerError } from '../errors';
import type { TfjsTensor, TfjsVariable } from './tfjs-runtime';

/** The parts of a tfjs tensor or variable these helpers use. */
export interface SlotTensor {
  readonly shape: number[];
  readonly dtype: string;
  readonly isDisposed: boolean;
  dispose(): void;
  /** tfjs's `tensor.variable(trainable)`: a new variable holding the tensor's values. */
  variable(trainable?: boolean): SlotTensor;
}

/** A tensor of an optimizer's state, as saved: its name, shape and dtype. */
export interface SlotSpec {
  /** `<field>/<index>` for a per-variable slot (`accumulatedFirstMoment/0`), `<field>` for a scalar (`accBeta1`). */
  name: string;
  /** tfjs's name of the slot (`dense_Dense1/kernel/m`), kept for `getWeights()`; per-variable slots only. */
  originalName?: string;
  shape: number[];
  dtype: string;
}

/** An optimizer's whole state: the update count and every slot, in layout order. */
export interface OptimizerSlots {
  className: string;
  iterations: number;
  slots: Array<{ spec: SlotSpec; tensor: SlotTensor }>;
}

/** The shape and dtype of a variable the optimizer updates (a model's trainable weight). */
export interface VariableLike {
  readonly shape: ReadonlyArray<number | null>;
  readonly dtype: string;
}

interface SlotLayout {
  /** The per-variable slot arrays, in `getWeights()` order. */
  arrays: string[];
  /** Scalar variables of the optimizer's state that `getWeights()` leaves out. */
  scalars: string[];
}

interface SlotEntry {
  originalName: string;
  variable: SlotTensor;
}

type Internals = Record<string, unknown> & { iterations_?: number };

/** The optimizer classes whose state these helpers know. */
export const SUPPORTED_OPTIMIZERS: readonly string[] = ['SGD', 'Momentum', 'Adagrad', 'Adadelta', 'RMSProp', 'Adam', 'Adamax'];

/** Thrown when an optimizer's class or internals are not the ones described above. */
export class UnsupportedOptimizerError extends LRSchedulerError {
  static override readonly errorName: string = 'UnsupportedOptimizerError';

  constructor(message: string) {
    super(message, 'TypeError');
  }
}

function layoutOf(optimizer: { getClassName(): string }): SlotLayout {
  const className = optimizer.getClassName();
  switch (className) {
    case 'SGD':
      return { arrays: [], scalars: [] };
    case 'Momentum':
      return { arrays: ['accumulations'], scalars: [] };
    case 'Adagrad':
      return { arrays: ['accumulatedGrads'], scalars: [] };
    case 'Adadelta':
      return { arrays: ['accumulatedGrads', 'accumulatedUpdates'], scalars: [] };
    case 'RMSProp':
      return (optimizer as unknown as { centered?: boolean }).centered === true
        ? { arrays: ['accumulatedMeanSquares', 'accumulatedMoments', 'accumulatedMeanGrads'], scalars: [] }
        : { arrays: ['accumulatedMeanSquares', 'accumulatedMoments'], scalars: [] };
    case 'Adam':
      return { arrays: ['accumulatedFirstMoment', 'accumulatedSecondMoment'], scalars: ['accBeta1', 'accBeta2'] };
    case 'Adamax':
      return { arrays: ['accumulatedFirstMoment', 'accumulatedWeightedInfNorm'], scalars: ['iteration', 'accBeta1'] };
    default:
      throw new UnsupportedOptimizerError(
        `the state of a tfjs ${className} optimizer cannot be saved or restored (supported: ${SUPPORTED_OPTIMIZERS.join(', ')})`,
      );
  }
}

function isTensor(value: unknown): value is SlotTensor {
  return typeof value === 'object' && value !== null && Array.isArray((value as SlotTensor).shape) && typeof (value as SlotTensor).dispose === 'function';
}

/** The live slot arrays and scalars of `optimizer`, checked to be what tfjs-core 4.x keeps. */
function liveState(optimizer: { getClassName(): string }): { layout: SlotLayout; arrays: SlotEntry[][]; scalars: SlotTensor[] } {
  const layout = layoutOf(optimizer);
  const internals = optimizer as unknown as Internals;
  const unexpected = (field: string): never => {
    throw new UnsupportedOptimizerError(
      `the tfjs ${optimizer.getClassName()} optimizer's field "${field}" is not what this package knows from tfjs-core 4.x`,
    );
  };
  const arrays = layout.arrays.map((field) => {
    const entries = internals[field];
    if (!Array.isArray(entries)) return unexpected(field);
    for (const entry of entries as unknown[]) {
      if (typeof entry !== 'object' || entry === null || !isTensor((entry as SlotEntry).variable)) unexpected(field);
    }
    return entries as SlotEntry[];
  });
  if (arrays.some((entries) => entries.length !== arrays[0].length)) unexpected(layout.arrays.join('/'));
  const scalars = layout.scalars.map((field) => (isTensor(internals[field]) ? (internals[field] as SlotTensor) : unexpected(field)));
  return { layout, arrays, scalars };
}

/**
 * The optimizer's current state: its update count and its slot tensors, in layout order (the
 * optimizer's own tensors, not copies: read their data before the next update, or clone them).
 */
export function readOptimizerSlots(optimizer: { getClassName(): string; readonly iterations: number }): OptimizerSlots {
  const { layout, arrays, scalars } = liveState(optimizer);
  const slots: OptimizerSlots['slots'] = [];
  layout.arrays.forEach((field, f) => {
    arrays[f].forEach((entry, i) => {
      slots.push({ spec: { name: `${field}/${i}`, originalName: entry.originalName, shape: entry.variable.shape.slice(), dtype: entry.variable.dtype }, tensor: entry.variable });
    });
  });
  layout.scalars.forEach((field, s) => {
    slots.push({ spec: { name: field, shape: scalars[s].shape.slice(), dtype: scalars[s].dtype }, tensor: scalars[s] });
  });
  return { className: optimizer.getClassName(), iterations: optimizer.iterations, slots };
}

function sameShape(a: readonly number[], b: ReadonlyArray<number | null>): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function shapeText(shape: ReadonlyArray<number | null>): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Why saved slots cannot go into `optimizer`, or `undefined` when they fit: the class, the names
 * and order of the layout, float32 everywhere, scalars of shape [], the same shape for every slot of
 * one variable; the live optimizer's own slots when it has any (count and shapes); and the
 * variables it updates when known (`variables`: a compiled model's trainable weights, in order).
 */
export function checkSavedSlots(
  optimizer: { getClassName(): string },
  saved: { className: string; iterations: number; slots: readonly SlotSpec[] },
  variables?: readonly VariableLike[],
): string | undefined {
  const className = optimizer.getClassName();
  if (saved.className !== className) return `it was a ${saved.className}, it is now a ${className}`;
  if (!Number.isSafeInteger(saved.iterations) || saved.iterations < 0) return `its iteration count ${saved.iterations} is not a non-negative integer`;
  const { layout, arrays } = liveState(optimizer);
  const perVariable = saved.slots.length - layout.scalars.length;
  const count = layout.arrays.length === 0 ? 0 : perVariable / layout.arrays.length;
  if (perVariable < 0 || !Number.isInteger(count) || (layout.arrays.length === 0 && perVariable !== 0)) {
    return `it has ${saved.slots.length} state tensors, which is no ${className} layout`;
  }
  const expectedNames = [...layout.arrays.flatMap((field) => Array.from({ length: count }, (_, i) => `${field}/${i}`)), ...layout.scalars];
  for (let j = 0; j < saved.slots.length; j++) {
    const spec = saved.slots[j];
    if (spec.name !== expectedNames[j]) return `state tensor ${j} is "${spec.name}", expected "${expectedNames[j]}"`;
    if (spec.dtype !== 'float32') return `state tensor "${spec.name}" has dtype ${spec.dtype}, expected float32`;
    if (j >= perVariable && spec.shape.length !== 0) return `state tensor "${spec.name}" has shape ${shapeText(spec.shape)}, expected [] (a scalar)`;
    if (j < perVariable && !sameShape(spec.shape, saved.slots[j % count].shape)) {
      return `state tensor "${spec.name}" has shape ${shapeText(spec.shape)}, but "${saved.slots[j % count].name}" of the same variable has ${shapeText(saved.slots[j % count].shape)}`;
    }
  }
  // State saved before the first update (no per-variable slots) fits any optimizer of the class:
  // the restored optimizer creates zero slots at its next update, as a fresh one does.
  const live = layout.arrays.length === 0 ? 0 : arrays[0].length;
  if (live > 0 && count > 0) {
    if (count !== live) return `it holds the state of ${count} variables, the optimizer already updates ${live}`;
    for (let i = 0; i < count; i++) {
      const shape = arrays[0][i].variable.shape;
      if (!sameShape(saved.slots[i].shape, shape)) {
        return `the state of variable ${i} has shape ${shapeText(saved.slots[i].shape)}, the optimizer's has ${shapeText(shape)}`;
      }
    }
  }
  if (variables !== undefined && count > 0) {
    if (count !== variables.length) return `it holds the state of ${count} variables, the model has ${variables.length} trainable weights`;
    for (let i = 0; i < count; i++) {
      if (!sameShape(saved.slots[i].shape, variables[i].shape)) {
        return `the state of variable ${i} has shape ${shapeText(saved.slots[i].shape)}, the model's trainable weight ${i} has ${shapeText(variables[i].shape)}`;
      }
      if (variables[i].dtype !== 'float32') return `the model's trainable weight ${i} has dtype ${variables[i].dtype}, expected float32`;
    }
  }
  return undefined;
}

/** A restore built and ready: `apply()` only assigns fields (it cannot fail); `discard()` frees what was built. */
export interface PreparedSlotRestore {
  apply(): void;
  discard(): void;
}

/**
 * Builds new variables from `tensors` (one per saved slot, in layout order, already checked with
 * `checkSavedSlots`) without touching `optimizer`. The caller still owns `tensors` (the variables
 * hold their own references) and disposes them.
 */
export function prepareSlotRestore(
  optimizer: { getClassName(): string },
  saved: { iterations: number; slots: readonly SlotSpec[] },
  tensors: readonly SlotTensor[],
): PreparedSlotRestore {
  const previous = liveState(optimizer);
  const { layout } = previous;
  const perVariable = saved.slots.length - layout.scalars.length;
  const count = layout.arrays.length === 0 ? 0 : perVariable / layout.arrays.length;
  const built: SlotTensor[] = [];
  try {
    const arrays = layout.arrays.map((_, f) =>
      Array.from({ length: count }, (_unused, i): SlotEntry => {
        const j = f * count + i;
        const variable = tensors[j].variable(false);
        built.push(variable);
        return { originalName: saved.slots[j].originalName ?? saved.slots[j].name, variable };
      }),
    );
    const scalars = layout.scalars.map((_, s) => {
      const variable = tensors[perVariable + s].variable(false);
      built.push(variable);
      return variable;
    });
    return {
      apply(): void {
        const internals = optimizer as unknown as Internals;
        layout.arrays.forEach((field, f) => (internals[field] = arrays[f]));
        layout.scalars.forEach((field, s) => (internals[field] = scalars[s]));
        internals.iterations_ = saved.iterations;
        for (const entries of previous.arrays) for (const entry of entries) entry.variable.dispose();
        for (const scalar of previous.scalars) scalar.dispose();
      },
      discard(): void {
        for (const variable of built) variable.dispose();
      },
    };
  } catch (error) {
    for (const variable of built) variable.dispose();
    throw error;
  }
}

// -- The internals as typed views, for code that swaps slots of known optimizers directly
// (torch.save files: lib/torch). tfjs finds a slot by the gradient's position in
// `applyGradients`, not by name; `originalName` is `<variable name>/<slot>`.
// - Momentum: `accumulations[i]` (`/momentum`): `acc = momentum * acc + grad`.
// - Adam: `accumulatedFirstMoment[i]` (`/m`), `accumulatedSecondMoment[i]` (`/v`), and the scalar
//   variables `accBeta1`, `accBeta2` = `beta ** t` at the t-th update.
// - Adamax: `accumulatedFirstMoment`, `accumulatedWeightedInfNorm`, `iteration`, `accBeta1`.

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
