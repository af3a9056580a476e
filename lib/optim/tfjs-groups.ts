/**
 * Param groups over tfjs-core optimizers. A tfjs optimizer has exactly one learning rate, so it is
 * one PyTorch param group. Writing `lr`, `momentum` or `betas` here changes what the optimizer's
 * very next update does; extra keys (`initial_lr`, `max_lr`, ...) are plain properties.
 *
 * Facts about tfjs-core 4.x these classes rely on:
 * - SGD and Momentum read a cached scalar tensor `c = -lr` on update: only `setLearningRate()` works.
 * - Momentum reads a cached scalar tensor `m`; `setMomentum()` alone changes nothing.
 * - Adam, Adamax, RMSProp, Adagrad, Adadelta read their `learningRate` field on every update.
 * - Adam / Adamax divide by `1 - accBeta1`, a variable multiplied by `beta1` after each update;
 *   PyTorch divides by `1 - beta1 ** step` with the current `beta1`.
 */
import { InvalidArgumentError } from '../errors';
import type { ParamGroup } from './param-group';
import { powFloat32 } from '../math/pow-float32';
import { tfjsOps, type TfjsTensor, type TfjsVariable } from './tfjs-runtime';

/** The parts of a tfjs-core optimizer this module touches (structural, so any tfjs copy fits). */
export interface TfjsOptimizerLike {
  getClassName(): string;
  applyGradients(...args: never[]): unknown;
  readonly iterations: number;
}

interface WithLearningRate {
  learningRate: number;
  setLearningRate?(lr: number): void;
}

interface MomentumInternals {
  momentum: number;
  m: TfjsTensor;
}

interface AdamInternals {
  beta1: number;
  beta2: number;
  accBeta1: TfjsVariable;
  accBeta2?: TfjsVariable;
}

export function isTfjsOptimizer(value: unknown): value is TfjsOptimizerLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<TfjsOptimizerLike>).getClassName === 'function' &&
    typeof (value as Partial<TfjsOptimizerLike>).applyGradients === 'function'
  );
}

/** Base: `lr` read from and written to the optimizer's `learningRate` field. */
class FieldLrGroup implements ParamGroup {
  [key: string]: unknown;
  readonly #optimizer: WithLearningRate;

  constructor(optimizer: WithLearningRate) {
    this.#optimizer = optimizer;
  }

  get lr(): number {
    return this.#optimizer.learningRate;
  }

  set lr(value: number) {
    this.#optimizer.learningRate = value;
  }
}

/** SGD: the update reads a cached `-lr` tensor, replaced by `setLearningRate()` only on change. */
class SgdGroup extends FieldLrGroup {
  readonly #optimizer: Required<WithLearningRate>;

  constructor(optimizer: Required<WithLearningRate>) {
    super(optimizer);
    this.#optimizer = optimizer;
  }

  override get lr(): number {
    return this.#optimizer.learningRate;
  }

  override set lr(value: number) {
    if (!Object.is(value, this.#optimizer.learningRate)) this.#optimizer.setLearningRate(value);
  }
}

/** Momentum (incl. Nesterov): also swaps the cached momentum tensor `m` when momentum changes. */
class MomentumGroup extends SgdGroup {
  readonly #optimizer: MomentumInternals;

  constructor(optimizer: Required<WithLearningRate> & MomentumInternals) {
    super(optimizer);
    this.#optimizer = optimizer;
  }

  get momentum(): number {
    return this.#optimizer.momentum;
  }

  set momentum(value: number) {
    const optimizer = this.#optimizer;
    if (Object.is(value, optimizer.momentum)) return;
    const tf = tfjsOps();
    const previous = optimizer.m;
    optimizer.m = tf.keep(tf.scalar(value));
    optimizer.momentum = value;
    previous.dispose();
  }
}

/** RMSProp: momentum is a plain field read on every update. */
class RmsPropGroup extends FieldLrGroup {
  readonly #optimizer: { momentum: number };

  constructor(optimizer: WithLearningRate & { momentum: number }) {
    super(optimizer);
    this.#optimizer = optimizer;
  }

  get momentum(): number {
    return this.#optimizer.momentum;
  }

  set momentum(value: number) {
    this.#optimizer.momentum = value;
  }
}

/**
 * Adam / Adamax: `betas` is `[beta1, beta2]`. After a change, the bias-correction accumulators are
 * set to `beta ** (iterations + 1)`, the value PyTorch's Adam uses at the next step with the new beta.
 */
class AdamGroup extends FieldLrGroup {
  readonly #optimizer: AdamInternals & { readonly iterations: number };
  readonly #betas: number[];

  constructor(optimizer: WithLearningRate & AdamInternals & { readonly iterations: number }) {
    super(optimizer);
    this.#optimizer = optimizer;
    this.#betas = [optimizer.beta1, optimizer.beta2];
  }

  /** The current `[beta1, beta2]`; assign a new pair to change them (the array itself is read-only). */
  get betas(): number[] {
    this.#betas[0] = this.#optimizer.beta1;
    this.#betas[1] = this.#optimizer.beta2;
    return this.#betas;
  }

  set betas(value: number[]) {
    if (!Array.isArray(value) || value.length !== 2) {
      throw new InvalidArgumentError(`param group "betas" must be a pair [beta1, beta2], got ${String(value)}`);
    }
    this.setBeta1(value[0]);
    this.setBeta2(value[1]);
  }

  setBeta1(value: number): void {
    const optimizer = this.#optimizer;
    if (Object.is(value, optimizer.beta1)) return;
    optimizer.beta1 = value;
    resetAccumulator(optimizer.accBeta1, value, optimizer.iterations);
  }

  setBeta2(value: number): void {
    const optimizer = this.#optimizer;
    if (Object.is(value, optimizer.beta2)) return;
    optimizer.beta2 = value;
    if (optimizer.accBeta2 !== undefined) resetAccumulator(optimizer.accBeta2, value, optimizer.iterations);
  }
}

function resetAccumulator(accumulator: TfjsVariable, beta: number, iterations: number): void {
  // Disposed by hand rather than in a tf.tidy scope: the same effect, half a microsecond less per change.
  // The float32 the variable holds, as from pow(beta, iterations + 1) (see powFloat32).
  const value = tfjsOps().scalar(powFloat32(beta, iterations + 1));
  try {
    accumulator.assign(value);
  } finally {
    value.dispose();
  }
}

const groups = new WeakMap<object, ParamGroup>();

/** The one param group record of a tfjs optimizer (the same record every time). */
export function tfjsParamGroup(optimizer: TfjsOptimizerLike): ParamGroup {
  let group = groups.get(optimizer);
  if (group === undefined) {
    group = createGroup(optimizer);
    groups.set(optimizer, group);
  }
  return group;
}

function createGroup(optimizer: TfjsOptimizerLike): ParamGroup {
  const internals = optimizer as unknown as WithLearningRate & MomentumInternals & AdamInternals & { readonly iterations: number };
  const className = optimizer.getClassName();
  switch (className) {
    case 'SGD':
      return new SgdGroup(internals as Required<WithLearningRate>);
    case 'Momentum':
      tfjsOps(); // these groups make scalars: a missing tfjs engine is reported here, not inside step()
      return new MomentumGroup(internals as Required<WithLearningRate> & MomentumInternals);
    case 'RMSProp':
      return new RmsPropGroup(internals);
    case 'Adam':
    case 'Adamax':
      tfjsOps();
      return new AdamGroup(internals as WithLearningRate & AdamInternals & { readonly iterations: number });
    case 'Adagrad':
    case 'Adadelta':
      return new FieldLrGroup(internals);
    default:
      if (typeof internals.learningRate === 'number') return new FieldLrGroup(internals);
      throw new InvalidArgumentError(
        `asOptimizer: unsupported tfjs optimizer "${className}": expected SGD, Momentum, Adam, Adamax, RMSProp, ` +
          'Adagrad, Adadelta, or an optimizer with a numeric "learningRate" field',
        'TypeError',
      );
  }
}
