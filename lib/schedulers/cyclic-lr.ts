/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.CyclicLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { InvalidArgumentError, PythonArithmeticError, SchedulerTypeError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import { floor, pow } from '../math';
import { asOptimizer, type OptimizerLike } from '../optim/optimizer-view';
import { writeMomentum } from '../optim/param-group';
import { OptionChecker } from '../options';
import { encodeFloat } from '../state/encoding';
import { ANY_NUMBER, BETA, FINITE, LEARNING_RATE, MOMENTUM, numberRule, type NumberRule } from '../state/rules';
import { describeValue, encodeFloatList, type SchedulerState, type StateReader } from '../state/state-reader';

/** CyclicLR's built-in policies. */
export type CyclicLRMode = 'triangular' | 'triangular2' | 'exp_range';

/** A custom scaling policy: `0 <= scaleFn(x) <= 1` for `x >= 0`. */
export type CyclicLRScaleFn = (x: number) => number;

export interface CyclicLROptions {
  /** Lower learning-rate boundary of the cycle: one number, or one per param group. */
  baseLr: number | readonly number[];
  /** Upper learning-rate boundary of the cycle: one number, or one per param group. */
  maxLr: number | readonly number[];
  /** Iterations in the increasing half of a cycle. @default 2000 */
  stepSizeUp?: number;
  /** Iterations in the decreasing half of a cycle; `null` means `stepSizeUp`. @default null */
  stepSizeDown?: number | null;
  /**
   * `'triangular'` (constant amplitude), `'triangular2'` (amplitude halved every cycle) or
   * `'exp_range'` (amplitude scaled by `gamma ** iteration`); ignored when `scaleFn` is given.
   * @default 'triangular'
   */
  mode?: CyclicLRMode;
  /** The constant of `'exp_range'`. @default 1 */
  gamma?: number;
  /** A custom scaling policy, which replaces `mode`. @default null */
  scaleFn?: CyclicLRScaleFn | null;
  /**
   * Whether `scaleFn` receives the cycle number (`'cycle'`) or the iteration (`'iterations'`);
   * used only with a custom `scaleFn` (PyTorch treats any value other than `'cycle'` as iterations).
   * @default 'cycle'
   */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle momentum (or Adam's `beta1`) inversely to the learning rate. @default true */
  cycleMomentum?: boolean;
  /** Lower momentum boundary, reached at the lr peak: one number, or one per group. @default 0.8 */
  baseMomentum?: number | readonly number[];
  /** Upper momentum boundary, at the cycle start: one number, or one per group. @default 0.9 */
  maxMomentum?: number | readonly number[];
  /** Index of the last batch when resuming. @default -1 */
  lastEpoch?: number;
}

const MODES: readonly string[] = ['triangular', 'triangular2', 'exp_range'];

// The rules shared by the constructor and loadStateDict(). An infinite step size makes the step
// ratio 0 or NaN, so every lr NaN; the state stores the derived `total_size` and `step_ratio`.
const STEP_SIZE_UP = numberRule('a non-zero finite number', (n) => n !== 0 && Number.isFinite(n));
const STEP_SIZE_DOWN = FINITE;
const TOTAL_SIZE = numberRule('a non-zero finite number', (n) => n !== 0 && Number.isFinite(n));
/** `stepSizeUp / totalSize`: 0 divides 0 by 0 at the start of every cycle. */
const STEP_RATIO = numberRule('a non-zero finite number', (n) => n !== 0 && Number.isFinite(n));

/** `gamma` is used only by the built-in `'exp_range'` policy (`gamma ** iteration`), where it must be finite. */
function gammaRule(mode: string, custom: boolean): NumberRule {
  return mode === 'exp_range' && !custom ? FINITE : ANY_NUMBER;
}

/** The momentum bounds: Adam's / Adamax's `beta1` when `useBeta1`, else SGD's or RMSProp's momentum. */
function momentumRule(useBeta1: boolean): NumberRule {
  return useBeta1 ? BETA : MOMENTUM;
}
const OPTION_NAMES = [
  'baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'scaleFn', 'scaleMode',
  'cycleMomentum', 'baseMomentum', 'maxMomentum', 'lastEpoch',
];

/**
 * Cyclical learning rates (CLR): every batch, the learning rate moves linearly between `baseLr`
 * and `maxLr` (up for `stepSizeUp` iterations, down for `stepSizeDown`), with an amplitude scaled
 * per cycle or per iteration; momentum cycles inversely between `maxMomentum` and `baseMomentum`.
 *
 * `cycle = floor(1 + t / (up + down))`, `x = 1 + t / (up + down) - cycle`,
 * `s = x <= r ? x / r : (x - 1) / (r - 1)` with `r = up / (up + down)`;
 * `lr = baseLr + (maxLr - baseLr) * s * scale`, `momentum = maxMomentum - (maxMomentum - baseMomentum) * s * scale`,
 * where `scale` is 1 (`'triangular'`), `1 / 2 ** (cycle - 1)` (`'triangular2'`), `gamma ** t`
 * (`'exp_range'`) or `scaleFn(cycle or t)`.
 *
 * With `lastEpoch` -1 the constructor writes `baseLr` into every group's `lr` and, with
 * `cycleMomentum`, `maxMomentum` into every group's momentum (Adam / Adamax: `beta1`) plus the keys
 * `max_momentum` and `base_momentum`, as PyTorch does. A tfjs `sgd` optimizer has no momentum:
 * use `cycleMomentum: false`, or `tf.train.momentum(lr, 0)`.
 *
 * @example
 * const optimizer = tf.train.momentum(0.1, 0.9);
 * const scheduler = new CyclicLR(optimizer, { baseLr: 0.1, maxLr: 0.5, stepSizeUp: 2 });
 * // iterations 0..6: lr 0.1, 0.3, 0.5, 0.3, 0.1, 0.3, 0.5; momentum 0.9, 0.85, 0.8, 0.85, 0.9, 0.85, 0.8
 *
 * Differs from PyTorch: every option is validated before the groups are touched (PyTorch writes
 * `baseLr` into the groups before it rejects a bad `mode` or optimizer); `stepSizeUp` 0 throws at
 * construction (PyTorch raises ZeroDivisionError in its initial step); values that can only
 * produce NaN or infinite learning rates or momentums are rejected: a NaN or infinite `baseLr`,
 * `maxLr`, step size, `baseMomentum` or `maxMomentum`, and with `'exp_range'` a NaN or infinite
 * `gamma`; a momentum cycled into Adam's `beta1` must be in [0, 1), as `torch.optim.Adam` requires
 * (a `beta1` of 1 divides by zero). A custom `scaleFn` that returns something other than a number
 * throws a TypeError-typed error naming the value (PyTorch raises a TypeError too).
 * `loadStateDict()` applies the same rules to the keys storing these values.
 */
export class CyclicLR extends LRScheduler {
  static override readonly className = 'CyclicLR';
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: string;
  gamma: number;
  scaleMode: string;
  readonly cycleMomentum: boolean;
  useBeta1: boolean;
  baseMomentums: number[];
  maxMomentums: number[];
  /** The custom scaling policy, or `null` for the built-in one of `mode`. */
  private scaleFnCustom: CyclicLRScaleFn | null;
  /** Reused buffer for the momentums of one step. */
  private readonly pendingMomentums: number[];
  /** triangular2's scale `1 / 2.0 ** (cycle - 1)` and the cycle it was computed for. */
  private halvings = Number.NaN;
  private halvingsCycle = Number.NaN;

  constructor(optimizer: OptimizerLike, options: CyclicLROptions) {
    const check: OptionChecker = new OptionChecker('CyclicLR', options, '{ baseLr: 0.001, maxLr: 0.1 }', 'baseLr').known(OPTION_NAMES);
    const lastEpoch = check.lastEpoch(options.lastEpoch);
    const view = asOptimizer(optimizer);
    const groups = view.paramGroups;
    const baseLrs = check.perGroup('baseLr', options.baseLr, groups.length, undefined, LEARNING_RATE);
    const maxLrs = check.perGroup('maxLr', options.maxLr, groups.length, undefined, LEARNING_RATE);
    const stepSizeUp = check.number('stepSizeUp', options.stepSizeUp, 2000, STEP_SIZE_UP);
    const stepSizeDown = options.stepSizeDown === null || options.stepSizeDown === undefined
      ? stepSizeUp
      : check.number('stepSizeDown', options.stepSizeDown, undefined, STEP_SIZE_DOWN);
    const totalSize = stepSizeUp + stepSizeDown;
    if (totalSize === 0) {
      throw new PythonArithmeticError('CyclicLR: float division by zero (stepSizeUp + stepSizeDown is 0)', 'ZeroDivisionError');
    }
    if (!TOTAL_SIZE.test(totalSize)) check.fail('stepSizeUp + stepSizeDown', TOTAL_SIZE.expected, totalSize);
    const stepRatio = stepSizeUp / totalSize;
    if (!STEP_RATIO.test(stepRatio)) check.fail('stepSizeUp / (stepSizeUp + stepSizeDown)', STEP_RATIO.expected, stepRatio);
    const scaleFn = options.scaleFn ?? null;
    if (scaleFn !== null && typeof scaleFn !== 'function') check.fail('scaleFn', 'a function', scaleFn, 'TypeError');
    const mode: unknown = options.mode ?? 'triangular';
    if (typeof mode !== 'string') check.fail('mode', `one of ${MODES.map((m) => JSON.stringify(m)).join(', ')}`, mode, 'TypeError');
    if (!MODES.includes(mode) && scaleFn === null) {
      throw new InvalidArgumentError(`CyclicLR: mode is invalid and scaleFn is null (got mode ${JSON.stringify(mode)})`);
    }
    const gamma = check.number('gamma', options.gamma, 1.0, gammaRule(mode, scaleFn !== null));
    const scaleMode: unknown = options.scaleMode ?? 'cycle';
    if (typeof scaleMode !== 'string') check.fail('scaleMode', '"cycle" or "iterations"', scaleMode, 'TypeError');
    const cycleMomentum = check.boolean('cycleMomentum', options.cycleMomentum, true);
    let useBeta1 = false;
    let baseMomentums: number[] = [];
    let maxMomentums: number[] = [];
    if (cycleMomentum) {
      const kind = view.momentumKind();
      if (kind === null) {
        throw new InvalidArgumentError(
          `CyclicLR: optimizer must support momentum or beta1 with \`cycleMomentum\` option enabled${view.momentumHint()}`,
        );
      }
      useBeta1 = kind === 'betas';
      baseMomentums = check.perGroup('baseMomentum', options.baseMomentum, groups.length, 0.8, momentumRule(useBeta1));
      maxMomentums = check.perGroup('maxMomentum', options.maxMomentum, groups.length, 0.9, momentumRule(useBeta1));
    }
    if (lastEpoch === -1) {
      // A group's existing initial_lr becomes the base lr the initial step uses; checked before anything is written.
      groups.forEach((group, i) => {
        if ('initial_lr' in group && !(typeof group.initial_lr === 'number' && LEARNING_RATE.test(group.initial_lr))) {
          check.fail(`paramGroups[${i}].initial_lr`, LEARNING_RATE.expected, group.initial_lr);
        }
      });
    }
    // Everything is valid: write the groups as PyTorch does.
    if (lastEpoch === -1) {
      for (let i = 0; i < groups.length; i++) {
        const group = groups[i];
        group.lr = baseLrs[i];
        if (cycleMomentum) {
          writeMomentum(group, maxMomentums[i], useBeta1);
          group.max_momentum = maxMomentums[i];
          group.base_momentum = baseMomentums[i];
        }
      }
    }
    super(view, lastEpoch);
    this.maxLrs = maxLrs;
    this.totalSize = totalSize;
    this.stepRatio = stepRatio;
    this.mode = mode;
    this.gamma = gamma;
    this.scaleFnCustom = scaleFn;
    this.scaleMode = scaleMode;
    this.initScaleFn();
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.pendingMomentums = new Array<number>(groups.length).fill(0);
    // The initial step uses the groups' initial_lr as base_lrs (PyTorch sets base_lrs after it).
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  /** PyTorch's `_init_scale_fn`: a built-in policy fixes the scale mode. */
  private initScaleFn(): void {
    if (this.scaleFnCustom !== null) return;
    this.scaleMode = this.mode === 'exp_range' ? 'iterations' : 'cycle';
  }

  /** The scaling policy: the custom `scaleFn`, or the built-in one of `mode`. */
  scaleFn(x: number): number {
    if (this.scaleFnCustom !== null) return this.customScale(this.scaleFnCustom, x);
    switch (this.mode) {
      case 'triangular2':
        return 1 / pow(2.0, x - 1);
      case 'exp_range':
        return pow(this.gamma, x);
      default:
        return 1.0;
    }
  }

  /** The custom `scaleFn(x)`, which must return a number (Python's `float * None` raises a TypeError). */
  private customScale(scaleFn: CyclicLRScaleFn, x: number): number {
    const value: unknown = scaleFn(x);
    if (typeof value !== 'number' && typeof value !== 'boolean') {
      throw new SchedulerTypeError(`CyclicLR: scaleFn(${x}) returned ${describeValue(value)}, expected a number (does it return its value?)`);
    }
    return value as number;
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const lastEpoch = this.lastEpoch;
    const cycle = floor(1 + lastEpoch / this.totalSize);
    const x = 1.0 + lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scaleArgument = this.scaleMode === 'cycle' ? cycle : lastEpoch;
    // PyTorch calls scale_fn for every group and every momentum; a built-in one is pure, so it is
    // computed once (a custom one is still called every time, as it may count its calls).
    // scaleFn()'s built-in branch, inline: a number returned from a call V8 does not inline is
    // boxed, one heap number per step. triangular2's `1 / 2.0 ** (cycle - 1)` changes once a cycle.
    let builtInScale = 0;
    if (this.scaleFnCustom === null) {
      const mode = this.mode;
      if (mode === 'triangular2') {
        if (scaleArgument !== this.halvingsCycle) {
          this.halvings = 1 / pow(2.0, scaleArgument - 1);
          this.halvingsCycle = scaleArgument;
        }
        builtInScale = this.halvings;
      } else if (mode === 'exp_range') builtInScale = pow(this.gamma, scaleArgument);
      else builtInScale = 1.0;
    }
    const lrs = this.nextLrs;
    for (let i = 0; i < lrs.length; i++) {
      const baseHeight = (this.maxLrs[i] - this.baseLrs[i]) * scaleFactor;
      lrs[i] = this.baseLrs[i] + baseHeight * (this.scaleFnCustom === null ? builtInScale : this.customScale(this.scaleFnCustom, scaleArgument));
    }
    if (this.cycleMomentum) {
      const groups = this.groups;
      const momentums = this.maxMomentums;
      // PyTorch computes every momentum before writing any (scale functions may throw).
      const pending = this.pendingMomentums;
      for (let i = 0; i < momentums.length; i++) {
        const baseHeight = (momentums[i] - this.baseMomentums[i]) * scaleFactor;
        pending[i] = momentums[i] - baseHeight * (this.scaleFnCustom === null ? builtInScale : this.customScale(this.scaleFnCustom, scaleArgument));
      }
      for (let i = 0; i < groups.length; i++) writeMomentum(groups[i], pending[i], this.useBeta1);
    }
    return lrs;
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state.max_lrs = encodeFloatList(this.maxLrs);
    state.total_size = encodeFloat(this.totalSize);
    state.step_ratio = encodeFloat(this.stepRatio);
    state.mode = this.mode;
    state.gamma = encodeFloat(this.gamma);
    state._scale_fn_custom = null;
    state.scale_mode = this.scaleMode;
    state.cycle_momentum = this.cycleMomentum;
    if (this.cycleMomentum) {
      state.use_beta1 = this.useBeta1;
      state.base_momentums = encodeFloatList(this.baseMomentums);
      state.max_momentums = encodeFloatList(this.maxMomentums);
    }
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const groups = this.optimizer.paramGroups;
    const maxLrs = reader.numberList('max_lrs', groups.length, LEARNING_RATE);
    const totalSize = reader.number('total_size', TOTAL_SIZE);
    const stepRatio = reader.number('step_ratio', STEP_RATIO);
    const mode = this.scaleFnCustom === null
      ? reader.string('mode', MODES)
      : reader.value('mode', 'a string', (raw) => (typeof raw === 'string' ? raw : undefined));
    const gamma = reader.number('gamma', gammaRule(mode, this.scaleFnCustom !== null));
    const custom = reader.raw('_scale_fn_custom');
    if (custom !== null && custom !== undefined) {
      throw reader.error('_scale_fn_custom', 'null (a plain function keeps no state)', custom);
    }
    const scaleMode = reader.value('scale_mode', 'a string', (raw) => (typeof raw === 'string' ? raw : undefined));
    const cycleMomentum = reader.boolean('cycle_momentum');
    if (cycleMomentum !== this.cycleMomentum) {
      throw reader.error('cycle_momentum', `${String(this.cycleMomentum)} (this scheduler was built with cycleMomentum ${String(this.cycleMomentum)})`, cycleMomentum);
    }
    let useBeta1 = this.useBeta1;
    let baseMomentums = this.baseMomentums;
    let maxMomentums = this.maxMomentums;
    if (cycleMomentum) {
      useBeta1 = reader.boolean('use_beta1');
      if (useBeta1 && !groups.every((group) => Array.isArray(group.betas))) {
        throw reader.error('use_beta1', 'false (the param groups have no betas)', useBeta1);
      }
      baseMomentums = reader.numberList('base_momentums', groups.length, momentumRule(useBeta1));
      maxMomentums = reader.numberList('max_momentums', groups.length, momentumRule(useBeta1));
    }
    return () => {
      applyBase();
      this.maxLrs = maxLrs;
      this.totalSize = totalSize;
      this.stepRatio = stepRatio;
      this.mode = mode;
      this.gamma = gamma;
      this.scaleMode = scaleMode;
      this.useBeta1 = useBeta1;
      this.baseMomentums = baseMomentums;
      this.maxMomentums = maxMomentums;
      this.initScaleFn();
    };
  }
}
