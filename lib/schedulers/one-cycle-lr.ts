/**
 * Follows PyTorch 2.13's `torch.optim.lr_scheduler.OneCycleLR` operation for operation, translated to
 * TypeScript. PyTorch: Copyright (c) 2016- Facebook, Inc (Adam Paszke) and the PyTorch
 * contributors; BSD-3-Clause (the full notice is in NOTICE).
 */
import { InvalidArgumentError, PythonArithmeticError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import { PI, cos } from '../math';
import { asOptimizer, type OptimizerLike } from '../optim/optimizer-view';
import { writeMomentum, type ParamGroup } from '../optim/param-group';
import { OptionChecker } from '../options';
import { decodeFloat, encodeFloat, type JsonValue } from '../state/encoding';
import { BETA, LEARNING_RATE, MOMENTUM, NOT_NAN, POSITIVE_INTEGER, numberRule, type NumberRule } from '../state/rules';
import type { SchedulerState, StateReader } from '../state/state-reader';

export interface OneCycleLROptions {
  /** Peak learning rate: one number, or one per param group. */
  maxLr: number | readonly number[];
  /** Total number of steps in the cycle; takes precedence over `epochs` x `stepsPerEpoch`. @default null */
  totalSteps?: number | null;
  /** Epochs to train for (with `stepsPerEpoch`, when `totalSteps` is not given). @default null */
  epochs?: number | null;
  /** Steps per epoch (with `epochs`, when `totalSteps` is not given). @default null */
  stepsPerEpoch?: number | null;
  /** Fraction of the cycle spent increasing the learning rate, in [0, 1]. @default 0.3 */
  pctStart?: number;
  /** `'cos'` for cosine annealing, `'linear'` for linear annealing. @default 'cos' */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or Adam's `beta1`) inversely to the learning rate. @default true */
  cycleMomentum?: boolean;
  /** Lower momentum boundary, reached at the lr peak: one number, or one per group. @default 0.85 */
  baseMomentum?: number | readonly number[];
  /** Upper momentum boundary, at the start and the end: one number, or one per group. @default 0.95 */
  maxMomentum?: number | readonly number[];
  /** The initial learning rate is `maxLr / divFactor`. @default 25 */
  divFactor?: number;
  /** The final learning rate is `initial lr / finalDivFactor`. @default 1e4 */
  finalDivFactor?: number;
  /**
   * Three phases (up to `maxLr`, back down to the initial lr, then down to the final lr) instead of
   * fastai's two (up, then down to the final lr). @default false
   */
  threePhase?: boolean;
  /** Index of the last batch when resuming. @default -1 */
  lastEpoch?: number;
}

/** One phase of the schedule (PyTorch's `_SchedulePhase`): param-group keys to anneal between. */
export interface OneCycleLRPhase {
  end_step: number;
  start_lr: string;
  end_lr: string;
  start_momentum: string;
  end_momentum: string;
}

const OPTION_NAMES = [
  'maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum',
  'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch',
];
/** `pctStart`: a fraction of the cycle in [0, 1] (NaN rejected: it can only produce NaN learning rates). */
const PCT_START = numberRule('a number in [0, 1]', (n) => n >= 0 && n <= 1);
const PHASE_KEYS = ['end_step', 'start_lr', 'end_lr', 'start_momentum', 'end_momentum'];

/** The param-group keys each phase anneals between, as the constructor lays them out (two or three phases). */
const PHASE_LAYOUTS: ReadonlyArray<ReadonlyArray<readonly [string, string, string, string]>> = [
  [
    ['initial_lr', 'max_lr', 'max_momentum', 'base_momentum'],
    ['max_lr', 'min_lr', 'base_momentum', 'max_momentum'],
  ],
  [
    ['initial_lr', 'max_lr', 'max_momentum', 'base_momentum'],
    ['max_lr', 'initial_lr', 'base_momentum', 'max_momentum'],
    ['initial_lr', 'min_lr', 'max_momentum', 'max_momentum'],
  ],
];

/** The momentum bounds: Adam's / Adamax's `beta1` when `useBeta1`, else SGD's or RMSProp's momentum. */
function momentumRule(useBeta1: boolean): NumberRule {
  return useBeta1 ? BETA : MOMENTUM;
}

/**
 * The 1cycle policy: the learning rate rises from `maxLr / divFactor` to `maxLr` over the first
 * `pctStart` of the cycle, then anneals to `maxLr / divFactor / finalDivFactor` (with `threePhase`:
 * back to the initial lr, then down to the final one); momentum moves inversely between
 * `maxMomentum` and `baseMomentum`. Step it after every batch, `totalSteps` times at most.
 *
 * In each phase from step `a` to step `b`, with `pct = (step - a) / (b - a)`:
 * `'cos'`: `lr = end + (start - end) / 2 * (cos(pi * pct) + 1)`; `'linear'`: `lr = (end - start) * pct + start`.
 * Phase ends: `pctStart * totalSteps - 1`, (three phases: `2 * pctStart * totalSteps - 2`), `totalSteps - 1`.
 *
 * With `lastEpoch` -1 the constructor writes `initial_lr`, `max_lr`, `min_lr` and, with
 * `cycleMomentum`, the momentum (Adam / Adamax: `beta1`), `max_momentum` and `base_momentum` into
 * every group, as PyTorch does; a resumed scheduler reads them from the groups. A tfjs `sgd`
 * optimizer has no momentum: use `cycleMomentum: false`, or `tf.train.momentum(lr, 0)`.
 *
 * @example
 * const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10 });
 * // steps 0..10: 0.004, 0.052, 0.1, 0.0950..., 0.0811..., 0.0611..., 0.0388..., 0.0188..., 0.0049...,
 * //              4e-7, 0.0049...; one more step() throws (step 11 of a 10-step cycle)
 *
 * Differs from PyTorch: JavaScript has no separate int type, so integral numbers are accepted for
 * `totalSteps`, `epochs`, `stepsPerEpoch` (Python rejects `10.0`) and for `pctStart` (Python
 * rejects the int `0` or `1`); values that can only produce NaN or infinite learning rates or
 * momentums are rejected: a NaN `pctStart`, `divFactor` or `finalDivFactor`, a NaN or infinite
 * `maxLr`, `baseMomentum` or `maxMomentum`; a momentum cycled into Adam's `beta1` must be in
 * [0, 1), as `torch.optim.Adam` requires (a `beta1` of 1 divides by zero); every option is
 * validated before the groups are touched (PyTorch writes `initial_lr`, `max_lr`, `min_lr` into
 * them before it rejects an optimizer without momentum). `loadStateDict()` accepts only schedule
 * phases the constructor could have built (their layout, finite end steps, the last one at
 * `total_steps - 1`).
 */
export class OneCycleLR extends LRScheduler {
  static override readonly className = 'OneCycleLR';
  totalSteps: number;
  /** PyTorch's `_schedule_phases`. */
  schedulePhases: OneCycleLRPhase[];
  /** PyTorch's `_anneal_func_type`. */
  annealFuncType: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  useBeta1: boolean;

  constructor(optimizer: OptimizerLike, options: OneCycleLROptions) {
    const check: OptionChecker = new OptionChecker('OneCycleLR', options, '{ maxLr: 0.1, totalSteps: 1000 }', 'maxLr').known(OPTION_NAMES);
    const lastEpoch = check.lastEpoch(options.lastEpoch);
    const positiveInteger = (name: string, value: unknown): number => {
      if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
        throw new InvalidArgumentError(`OneCycleLR: Expected positive integer ${name}, but got ${String(value)}`);
      }
      return value;
    };
    let totalSteps: number;
    if (options.totalSteps !== undefined && options.totalSteps !== null) {
      totalSteps = positiveInteger('totalSteps', options.totalSteps);
    } else if (options.epochs !== undefined && options.epochs !== null && options.stepsPerEpoch !== undefined && options.stepsPerEpoch !== null) {
      totalSteps = positiveInteger('epochs', options.epochs) * positiveInteger('stepsPerEpoch', options.stepsPerEpoch);
    } else {
      throw new InvalidArgumentError('OneCycleLR: You must define either totalSteps OR (epochs AND stepsPerEpoch)');
    }
    const pctStart = options.pctStart ?? 0.3;
    if (typeof pctStart !== 'number' || !PCT_START.test(pctStart)) {
      throw new InvalidArgumentError(`OneCycleLR: Expected float between 0 and 1 pctStart, but got ${String(pctStart)}`);
    }
    const annealStrategy: unknown = options.annealStrategy ?? 'cos';
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new InvalidArgumentError(`OneCycleLR: annealStrategy must be one of 'cos' or 'linear', instead got ${String(annealStrategy)}`);
    }
    const threePhase = check.boolean('threePhase', options.threePhase, false);
    const cycleMomentum = check.boolean('cycleMomentum', options.cycleMomentum, true);
    const divFactor = check.number('divFactor', options.divFactor, 25.0, NOT_NAN);
    const finalDivFactor = check.number('finalDivFactor', options.finalDivFactor, 1e4, NOT_NAN);
    const view = asOptimizer(optimizer);
    const groups = view.paramGroups;
    const maxLrs = check.perGroup('maxLr', options.maxLr, groups.length, undefined, LEARNING_RATE);
    if (lastEpoch === -1 && (divFactor === 0 || finalDivFactor === 0)) {
      throw new PythonArithmeticError(
        `OneCycleLR: float division by zero (option "${divFactor === 0 ? 'divFactor' : 'finalDivFactor'}" is 0)`,
        'ZeroDivisionError',
      );
    }
    let useBeta1 = false;
    let maxMomentums: number[] = [];
    let baseMomentums: number[] = [];
    if (cycleMomentum) {
      const kind = view.momentumKind();
      if (kind === null) {
        throw new InvalidArgumentError(
          `OneCycleLR: optimizer must support momentum or beta1 with \`cycleMomentum\` option enabled${view.momentumHint()}`,
        );
      }
      useBeta1 = kind === 'betas';
      maxMomentums = check.perGroup('maxMomentum', options.maxMomentum, groups.length, 0.95, momentumRule(useBeta1));
      baseMomentums = check.perGroup('baseMomentum', options.baseMomentum, groups.length, 0.85, momentumRule(useBeta1));
    }
    // The lrs the cycle starts and ends at (a tiny divFactor could overflow them), checked before anything is written.
    const initialLrs = maxLrs.map((maxLr) => maxLr / divFactor);
    const minLrs = initialLrs.map((initialLr) => initialLr / finalDivFactor);
    if (lastEpoch === -1) {
      initialLrs.forEach((initialLr, i) => {
        if (!LEARNING_RATE.test(initialLr)) check.fail('maxLr / divFactor', LEARNING_RATE.expected, initialLr);
        if (!LEARNING_RATE.test(minLrs[i])) check.fail('maxLr / divFactor / finalDivFactor', LEARNING_RATE.expected, minLrs[i]);
      });
    }
    // Everything is valid: write the groups' keys as PyTorch does.
    if (lastEpoch === -1) {
      for (let i = 0; i < groups.length; i++) {
        const group = groups[i];
        group.initial_lr = initialLrs[i];
        group.max_lr = maxLrs[i];
        group.min_lr = minLrs[i];
        if (cycleMomentum) {
          writeMomentum(group, maxMomentums[i], useBeta1);
          group.max_momentum = maxMomentums[i];
          group.base_momentum = baseMomentums[i];
        }
      }
    }
    super(view, lastEpoch);
    this.totalSteps = totalSteps;
    this.schedulePhases = threePhase
      ? [
          phase(pctStart * totalSteps - 1, 'initial_lr', 'max_lr', 'max_momentum', 'base_momentum'),
          phase(2 * pctStart * totalSteps - 2, 'max_lr', 'initial_lr', 'base_momentum', 'max_momentum'),
          phase(totalSteps - 1, 'initial_lr', 'min_lr', 'max_momentum', 'max_momentum'),
        ]
      : [
          phase(pctStart * totalSteps - 1, 'initial_lr', 'max_lr', 'max_momentum', 'base_momentum'),
          phase(totalSteps - 1, 'max_lr', 'min_lr', 'base_momentum', 'max_momentum'),
        ];
    this.annealFuncType = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.initialStep();
  }

  /**
   * PyTorch's `_anneal_func`: cosine or linear annealing from `start` to `end` as `pct` goes from 0
   * to 1. `cosOut` is `cos(pi * pct) + 1` (the same for every group and for lr and momentum, so
   * `getLr()` computes it once per step).
   */
  private anneal(start: number, end: number, pct: number, cosOut: number): number {
    if (this.annealFuncType === 'cos') return end + ((start - end) / 2.0) * cosOut;
    return (end - start) * pct + start;
  }

  override getLr(): readonly number[] {
    if (!this.getLrCalledWithinStep) this.warnIfOutsideStep();
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new InvalidArgumentError(`OneCycleLR: Tried to step ${String(stepNum)} times. The specified number of total steps is ${String(this.totalSteps)}`);
    }
    // PyTorch finds the phase and its pct again for every group; they depend on the step only.
    const phases = this.schedulePhases;
    let startStep = 0.0;
    let phase = 0;
    while (!(stepNum <= phases[phase].end_step || phase === phases.length - 1)) {
      startStep = phases[phase].end_step;
      phase += 1;
    }
    const current = phases[phase];
    const length = current.end_step - startStep;
    if (length === 0) throw new PythonArithmeticError('OneCycleLR: float division by zero', 'ZeroDivisionError');
    const pct = (stepNum - startStep) / length;
    const cosOut = this.annealFuncType === 'cos' ? cos(PI * pct) + 1 : 0;
    const groups = this.groups;
    const lrs = this.nextLrs;
    const { start_lr: startLr, end_lr: endLr, start_momentum: startMomentum, end_momentum: endMomentum } = current;
    const startLrKey = keyCode(startLr);
    const endLrKey = keyCode(endLr);
    const startMomentumKey = keyCode(startMomentum);
    const endMomentumKey = keyCode(endMomentum);
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g];
      lrs[g] = this.anneal(groupValue(group, startLrKey, startLr), groupValue(group, endLrKey, endLr), pct, cosOut);
      if (this.cycleMomentum) {
        const momentum = this.anneal(
          groupValue(group, startMomentumKey, startMomentum),
          groupValue(group, endMomentumKey, endMomentum),
          pct,
          cosOut,
        );
        writeMomentum(group, momentum, this.useBeta1);
      }
    }
    return lrs;
  }

  protected override writeState(state: SchedulerState): void {
    super.writeState(state);
    state.total_steps = this.totalSteps;
    state._schedule_phases = this.schedulePhases.map((p) => ({
      end_step: encodeFloat(p.end_step),
      start_lr: p.start_lr,
      end_lr: p.end_lr,
      start_momentum: p.start_momentum,
      end_momentum: p.end_momentum,
    }));
    state._anneal_func_type = this.annealFuncType;
    state.cycle_momentum = this.cycleMomentum;
    if (this.cycleMomentum) state.use_beta1 = this.useBeta1;
  }

  protected override readState(reader: StateReader): () => void {
    const applyBase = super.readState(reader);
    const totalSteps = reader.number('total_steps', POSITIVE_INTEGER);
    const phases = reader.value(
      '_schedule_phases',
      `the schedule phases of a ${totalSteps}-step cycle (two or three, laid out as the constructor builds them)`,
      (raw) => decodePhases(raw, totalSteps),
    );
    const annealFuncType = reader.string('_anneal_func_type', ['cos', 'linear'] as const);
    const cycleMomentum = reader.boolean('cycle_momentum');
    if (cycleMomentum !== this.cycleMomentum) {
      throw reader.error('cycle_momentum', `${String(this.cycleMomentum)} (this scheduler was built with cycleMomentum ${String(this.cycleMomentum)})`, cycleMomentum);
    }
    let useBeta1 = this.useBeta1;
    if (cycleMomentum) {
      useBeta1 = reader.boolean('use_beta1');
      if (useBeta1 && !this.optimizer.paramGroups.every((group) => Array.isArray(group.betas))) {
        throw reader.error('use_beta1', 'false (the param groups have no betas)', useBeta1);
      }
    }
    return () => {
      applyBase();
      this.totalSteps = totalSteps;
      this.schedulePhases = phases;
      this.annealFuncType = annealFuncType;
      this.useBeta1 = useBeta1;
    };
  }
}

function phase(endStep: number, startLr: string, endLr: string, startMomentum: string, endMomentum: string): OneCycleLRPhase {
  return { end_step: endStep, start_lr: startLr, end_lr: endLr, start_momentum: startMomentum, end_momentum: endMomentum };
}

/** The phase keys OneCycleLR writes into the groups, as small integers (`keyCode`); any other key is `Other`. */
const enum PhaseKey {
  InitialLr,
  MaxLr,
  MinLr,
  MaxMomentum,
  BaseMomentum,
  Other,
}

function keyCode(key: string): PhaseKey {
  switch (key) {
    case 'initial_lr':
      return PhaseKey.InitialLr;
    case 'max_lr':
      return PhaseKey.MaxLr;
    case 'min_lr':
      return PhaseKey.MinLr;
    case 'max_momentum':
      return PhaseKey.MaxMomentum;
    case 'base_momentum':
      return PhaseKey.BaseMomentum;
    default:
      return PhaseKey.Other;
  }
}

/**
 * `group[key]` as PyTorch reads it (`code` is `keyCode(key)`): a missing key is Python's KeyError.
 * The keys OneCycleLR writes are read by name: one `group[key]` load seeing four keys is
 * megamorphic in V8, which then boxes every number it reads (a heap number per load).
 */
function groupValue(group: ParamGroup, code: PhaseKey, key: string): number {
  let value: unknown;
  switch (code) {
    case PhaseKey.InitialLr:
      value = group.initial_lr;
      break;
    case PhaseKey.MaxLr:
      value = group.max_lr;
      break;
    case PhaseKey.MinLr:
      value = group.min_lr;
      break;
    case PhaseKey.MaxMomentum:
      value = group.max_momentum;
      break;
    case PhaseKey.BaseMomentum:
      value = group.base_momentum;
      break;
    default:
      value = group[key];
  }
  return typeof value === 'number' ? value : missingKey(key);
}

function missingKey(key: string): never {
  throw new InvalidArgumentError(
    `OneCycleLR: param group has no ${JSON.stringify(key)} (a resumed OneCycleLR reads initial_lr, max_lr, min_lr, ` +
      'max_momentum and base_momentum from the groups: load the optimizer state first)',
    'KeyError',
  );
}

/**
 * `_schedule_phases` as the constructor builds them for `totalSteps` and some `pctStart` in [0, 1]:
 * two or three phases with the constructor's key layout; the first ends at `pctStart * totalSteps - 1`
 * (in [-1, totalSteps - 1]), a middle one at twice that, the last at `totalSteps - 1`.
 */
function decodePhases(raw: unknown, totalSteps: number): OneCycleLRPhase[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const layout = PHASE_LAYOUTS.find((candidate) => candidate.length === raw.length);
  if (layout === undefined) return undefined;
  const phases: OneCycleLRPhase[] = [];
  for (let i = 0; i < raw.length; i++) {
    const item = raw[i] as JsonValue;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const record = item as Record<string, JsonValue>;
    if (Object.keys(record).some((key) => !PHASE_KEYS.includes(key))) return undefined;
    const endStep = decodeFloat(record.end_step);
    const [startLr, endLr, startMomentum, endMomentum] = layout[i];
    if (record.start_lr !== startLr || record.end_lr !== endLr || record.start_momentum !== startMomentum || record.end_momentum !== endMomentum) {
      return undefined;
    }
    if (endStep === undefined || !Number.isFinite(endStep)) return undefined;
    phases.push(phase(endStep, startLr, endLr, startMomentum, endMomentum));
  }
  const first = phases[0].end_step;
  if (first < -1 || first > totalSteps - 1 || phases[phases.length - 1].end_step !== totalSteps - 1) return undefined;
  if (phases.length === 3 && phases[1].end_step !== 2 * first) return undefined;
  return phases;
}
