/**
 * Runs a configured schedule on the tensor-free VirtualOptimizer and records, after construction and
 * after every scheduler step, each group's learning rate and momentum, plus the schedule's phases
 * (warmup / after-scheduler, SequentialLR children, OneCycleLR phases) and markers (warmup end,
 * phase changes, StepLR/MultiStepLR milestones, restarts, ReduceLROnPlateau reductions), all derived from the schedulers' state.
 */
import { fromConfig, type BuiltSchedule, type SchedulerConfig } from '../config/from-config';
import type { LRScheduler } from '../lr-scheduler';
import { mod } from '../math';
import { VirtualOptimizer } from '../optim/optimizer-view';
import { CliError, type PlotConfig, type PlotOp } from './config-file';
import { grouped, MAX_GROUPS, MAX_MARKERS, MAX_SCHEDULERS, MAX_STEPS, MAX_VALUES, MAX_WORK } from './limits';

export type MarkerKind = 'warmup-end' | 'phase' | 'milestone' | 'restart' | 'reduction';

export interface Marker {
  /** The point index (0 = after construction). */
  step: number;
  kind: MarkerKind;
  label: string;
}

export interface Phase {
  label: string;
  /** First and last point index of the phase (inclusive). */
  start: number;
  end: number;
}

export interface Trace {
  driverId: string;
  driverType: string;
  groupCount: number;
  /** Point i is the state after construction (i = 0) and after the i-th scheduler step. */
  pointCount: number;
  /** The driver's `lastEpoch` at each point (NaN when it has none). */
  lastEpoch: Float64Array;
  /** `lr[group][point]`: `optimizer.paramGroups[group].lr`. */
  lr: Float64Array[];
  /** Each group's momentum (`betas[0]` for Adam) when the schedule changes it, else `null`. */
  momentum: { name: 'momentum' | 'beta1'; values: Float64Array[] } | null;
  phases: Phase[];
  /** The markers, in step order (the first MAX_MARKERS of them). */
  markers: Marker[];
  /** How many markers the schedule has (more than `markers.length` past MAX_MARKERS). */
  markerCount: number;
  /** The schedule's own length in steps (see `scheduleLength`), when it has one. */
  length: number | undefined;
}

interface PhaseInfo {
  /** Changes exactly when the phase changes. */
  key: string;
  label: string;
  /** The phase ramps the lr up to its target (its end gets a "warmup end" marker). */
  warmup: boolean;
  /** The scheduler has more than one phase. */
  phased: boolean;
}

type Ref = { ref: string };

function refId(raw: unknown): string | undefined {
  return typeof raw === 'object' && raw !== null && typeof (raw as Ref).ref === 'string' ? (raw as Ref).ref : undefined;
}

/** `bisect.bisect_right(milestones, x)`. */
function bisectRight(milestones: readonly number[], x: number): number {
  let lo = 0;
  let hi = milestones.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < milestones[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const ONE_CYCLE_PHASE_NAMES = [['warmup', 'anneal'], ['warmup', 'anneal', 'annihilate']];

/** The live fields the inspector reads (public fields of the scheduler classes). */
interface Inspected {
  lastEpoch: number;
  totalEpoch?: number;
  finished?: boolean;
  milestones?: readonly number[];
  schedulePhases?: ReadonlyArray<{ end_step: number; start_lr: string; end_lr: string }>;
  stepSize?: number;
  tCur?: number;
  stepCount?: number;
  annealEpochs?: number;
  annealStrategy?: string;
}

/** What the inspector remembers of a scheduler from the previous point. */
interface Previous {
  lastEpoch: number;
  tCur: number;
  lastLrs: number[] | null;
}

/**
 * Derives phases and markers from the schedulers' live fields (`lastEpoch`, `finished`, `tCur`, ...,
 * no state dicts: a step costs a few reads) and the configuration's structure.
 */
class ScheduleInspector {
  private readonly specs = new Map<string, SchedulerConfig>();
  /** MultiStepLR milestones, as sets (a long list is not searched at every step). */
  private readonly milestoneSets = new Map<string, Set<unknown>>();
  /** The schedulers that can mark events: StepLR, MultiStepLR, ReduceLROnPlateau, CosineAnnealingWarmRestarts. */
  private readonly watched: Array<{ id: string; type: string; scheduler: LRScheduler; previous: Previous }> = [];

  constructor(private readonly built: BuiltSchedule, specs: readonly SchedulerConfig[]) {
    for (const spec of specs) {
      this.specs.set(spec.id, spec);
      const milestones = spec.type === 'MultiStepLR' ? (spec.args ?? {}).milestones : undefined;
      if (Array.isArray(milestones)) this.milestoneSets.set(spec.id, new Set(milestones));
      const scheduler = built.schedulers[spec.id];
      if (scheduler !== undefined && ['StepLR', 'MultiStepLR', 'ReduceLROnPlateau', 'CosineAnnealingWarmRestarts'].includes(spec.type)) {
        this.watched.push({ id: spec.id, type: spec.type, scheduler, previous: this.snapshot(scheduler, spec.type) });
      }
    }
  }

  private snapshot(scheduler: LRScheduler, type: string): Previous {
    const fields = scheduler as unknown as Inspected;
    const lastLrs = type === 'ReduceLROnPlateau' ? scheduler.lastLrsView() : null;
    return { lastEpoch: fields.lastEpoch, tCur: typeof fields.tCur === 'number' ? fields.tCur : NaN, lastLrs: lastLrs === null ? null : lastLrs.slice() };
  }

  private args(id: string): Record<string, unknown> {
    return (this.specs.get(id)?.args ?? {}) as Record<string, unknown>;
  }

  private type(id: string): string {
    return this.specs.get(id)?.type ?? this.built.schedulers[id]?.getClassName() ?? id;
  }

  phase(id: string, depth = 0): PhaseInfo {
    const type = this.type(id);
    const simple: PhaseInfo = { key: id, label: type, warmup: false, phased: false };
    const scheduler = this.built.schedulers[id];
    if (scheduler === undefined || depth > 16) return simple;
    const fields = scheduler as unknown as Inspected;
    const lastEpoch = fields.lastEpoch;
    const args = this.args(id);
    switch (type) {
      case 'GradualWarmupScheduler': {
        const totalEpoch = fields.totalEpoch;
        if (typeof lastEpoch !== 'number' || typeof totalEpoch !== 'number') return simple;
        if (fields.finished !== true && lastEpoch <= totalEpoch) return { key: `${id}:warmup`, label: 'warmup', warmup: true, phased: true };
        const afterId = refId(args.after_scheduler);
        if (afterId === undefined) return { key: `${id}:constant`, label: 'constant (after warmup)', warmup: false, phased: true };
        const after = this.phase(afterId, depth + 1);
        return { key: `${id}:after/${after.key}`, label: after.label, warmup: after.warmup, phased: true };
      }
      case 'SequentialLR': {
        const children = Array.isArray(args.schedulers) ? args.schedulers.map(refId) : [];
        const milestones = fields.milestones ?? [];
        if (typeof lastEpoch !== 'number' || children.length === 0) return simple;
        const index = Math.min(bisectRight(milestones, lastEpoch), children.length - 1);
        const childId = children[index];
        if (childId === undefined) return simple;
        const child = this.phase(childId, depth + 1);
        return { key: `${id}:${index}/${child.key}`, label: child.label, warmup: child.warmup, phased: true };
      }
      case 'ChainedScheduler': {
        const children = Array.isArray(args.schedulers) ? args.schedulers.map(refId) : [];
        const infos = children.filter((c): c is string => c !== undefined).map((c) => this.phase(c, depth + 1));
        const phased = infos.filter((info) => info.phased);
        if (phased.length === 0) return simple;
        return {
          key: `${id}:(${infos.map((info) => info.key).join(',')})`,
          label: phased.map((info) => info.label).join(' + '),
          warmup: phased.every((info) => info.warmup),
          phased: true,
        };
      }
      case 'OneCycleLR': {
        const phases = fields.schedulePhases;
        if (!Array.isArray(phases) || phases.length === 0 || typeof lastEpoch !== 'number') return simple;
        let index = phases.length - 1;
        for (let i = 0; i < phases.length; i++) {
          if (lastEpoch <= phases[i].end_step) {
            index = i;
            break;
          }
        }
        const phase = phases[index];
        const names = ONE_CYCLE_PHASE_NAMES[phases.length === 3 ? 1 : 0];
        const name = names[index] ?? `phase ${index + 1}`;
        return { key: `${id}:${index}`, label: `${name} (${phase.start_lr} → ${phase.end_lr})`, warmup: phase.end_lr === 'max_lr', phased: true };
      }
      case 'SWALR': {
        const { stepCount, annealEpochs } = fields;
        if (typeof stepCount !== 'number' || typeof annealEpochs !== 'number') return simple;
        // Only the constructor's step so far: another scheduler on the optimizer drives (SWA's pattern).
        if (stepCount === 1 && annealEpochs > 0) return { key: `${id}:before`, label: 'SWALR not stepped yet', warmup: false, phased: true };
        return stepCount - 1 < annealEpochs
          ? { key: `${id}:anneal`, label: `anneal to swa_lr (${String(fields.annealStrategy)})`, warmup: false, phased: true }
          : { key: `${id}:swa`, label: 'swa_lr', warmup: false, phased: true };
      }
      default:
        return transformersPhase(id, type, args, lastEpoch) ?? simple;
    }
  }

  /** Milestone, reduction and restart markers at this point (compared with the previous point). */
  events(step: number, markers: Marker[]): void {
    for (const watched of this.watched) {
      const { id, type, scheduler, previous } = watched;
      const fields = scheduler as unknown as Inspected;
      const lastEpoch = fields.lastEpoch;
      const moved = lastEpoch !== previous.lastEpoch;
      if (type === 'StepLR') {
        const stepSize = fields.stepSize;
        if (moved && typeof stepSize === 'number' && stepSize !== 0 && lastEpoch !== 0 && mod(lastEpoch, stepSize) === 0) {
          markers.push({ step, kind: 'milestone', label: `milestone (${id})` });
        }
      } else if (type === 'MultiStepLR') {
        if (moved && this.milestoneSets.get(id)?.has(lastEpoch) === true) markers.push({ step, kind: 'milestone', label: `milestone (${id})` });
      } else if (type === 'ReduceLROnPlateau') {
        const lrs = scheduler.lastLrsView();
        const before = previous.lastLrs;
        if (moved && lrs !== null && before !== null && lrs.some((v, g) => v < before[g])) markers.push({ step, kind: 'reduction', label: `lr reduced (${id})` });
        if (lrs !== null) {
          if (before === null || before.length !== lrs.length) previous.lastLrs = lrs.slice();
          else for (let g = 0; g < lrs.length; g++) before[g] = lrs[g];
        }
      } else if (type === 'CosineAnnealingWarmRestarts') {
        const tCur = fields.tCur;
        if (moved && typeof tCur === 'number' && tCur < previous.tCur) markers.push({ step, kind: 'restart', label: `restart (${id})` });
        if (typeof tCur === 'number') previous.tCur = tCur;
      }
      previous.lastEpoch = lastEpoch;
    }
  }
}

/** The decay of each transformers schedule function, by Python name (get_scheduler's names map onto them). */
const TRANSFORMERS_DECAYS: Readonly<Record<string, string>> = {
  get_constant_schedule_with_warmup: 'constant',
  get_linear_schedule_with_warmup: 'linear decay',
  get_cosine_schedule_with_warmup: 'cosine decay',
  get_cosine_with_hard_restarts_schedule_with_warmup: 'cosine with hard restarts',
  get_polynomial_decay_schedule_with_warmup: 'polynomial decay',
  get_inverse_sqrt_schedule: 'inverse sqrt decay',
  get_cosine_with_min_lr_schedule_with_warmup: 'cosine decay to min lr',
  get_cosine_with_min_lr_schedule_with_warmup_lr_rate: 'cosine decay to min lr',
  get_wsd_schedule: 'decay',
};
const GET_SCHEDULER_NAMES: Readonly<Record<string, string>> = {
  linear: 'get_linear_schedule_with_warmup',
  cosine: 'get_cosine_schedule_with_warmup',
  cosine_with_restarts: 'get_cosine_with_hard_restarts_schedule_with_warmup',
  polynomial: 'get_polynomial_decay_schedule_with_warmup',
  constant_with_warmup: 'get_constant_schedule_with_warmup',
  inverse_sqrt: 'get_inverse_sqrt_schedule',
  cosine_with_min_lr: 'get_cosine_with_min_lr_schedule_with_warmup',
  cosine_warmup_with_min_lr: 'get_cosine_with_min_lr_schedule_with_warmup_lr_rate',
  warmup_stable_decay: 'get_wsd_schedule',
};

/**
 * The phases of a transformers schedule function's LambdaLR, from its arguments and `last_epoch`:
 * warmup, (WSD: stable,) decay, and past `num_training_steps` (where the cosine forms rise again).
 */
function transformersPhase(id: string, type: string, args: Record<string, unknown>, lastEpoch: number): PhaseInfo | undefined {
  let fn = type;
  let options = args;
  if (type === 'get_scheduler') {
    fn = GET_SCHEDULER_NAMES[String(args.name)] ?? '';
    const kwargs = args.scheduler_specific_kwargs;
    options = { ...(typeof kwargs === 'object' && kwargs !== null ? kwargs : {}), ...args };
  }
  const decay = TRANSFORMERS_DECAYS[fn];
  if (decay === undefined || typeof lastEpoch !== 'number') return undefined;
  const value = (key: string): number | undefined => (typeof options[key] === 'number' ? (options[key] as number) : undefined);
  const warmup = value('num_warmup_steps') ?? 0;
  const phase = (name: string, isWarmup = false): PhaseInfo => ({ key: `${id}:${name}`, label: name, warmup: isWarmup, phased: true });
  if (lastEpoch < warmup) return phase('warmup', true);
  if (fn === 'get_wsd_schedule') {
    const decaySteps = value('num_decay_steps') ?? 0;
    const training = value('num_training_steps');
    const stable = value('num_stable_steps') ?? (training === undefined ? 0 : training - warmup - decaySteps);
    if (lastEpoch < warmup + stable) return phase('stable');
    return lastEpoch < warmup + stable + decaySteps ? phase('decay') : phase('after the decay (min lr ratio)');
  }
  const training = value('num_training_steps');
  if (training !== undefined && lastEpoch > training && fn !== 'get_constant_schedule_with_warmup' && fn !== 'get_inverse_sqrt_schedule') {
    return phase(`past num_training_steps (${decay} continued)`);
  }
  return phase(decay);
}

/** An error thrown by a scheduler's `step()`: which op (index into the ops) and which point it would have made. */
export class ScheduleStepError extends Error {
  constructor(
    readonly opIndex: number,
    readonly step: number,
    readonly error: unknown,
    /** The schedule's own length, when it has one (the error may come from stepping past it). */
    readonly scheduleLength?: number,
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'ScheduleStepError';
  }
}

/** Checks what can be checked before anything is built: the numbers of schedulers, groups and points. */
function checkConfigLimits(config: PlotConfig): void {
  const { schedulers, optimizer } = config.schedule as { schedulers?: unknown; optimizer?: { groups?: unknown } };
  if (Array.isArray(schedulers) && schedulers.length > MAX_SCHEDULERS) {
    throw new CliError(`the configuration has ${grouped(schedulers.length)} schedulers, more than the ${MAX_SCHEDULERS} a plot builds`);
  }
  const groups = optimizer?.groups;
  if (Array.isArray(groups)) {
    if (groups.length > MAX_GROUPS) throw new CliError(`the configuration has ${grouped(groups.length)} param groups, more than the ${grouped(MAX_GROUPS)} a plot records`);
    const steps = config.ops?.length ?? config.steps;
    if (steps !== undefined) checkValues(steps, groups.length);
  }
}

function checkValues(steps: number, groupCount: number): void {
  if (steps * groupCount > MAX_VALUES) {
    const most = Math.floor(MAX_VALUES / Math.max(1, groupCount));
    const groupsText = `${grouped(groupCount)} param group${groupCount === 1 ? '' : 's'}`;
    throw new CliError(
      `${grouped(steps)} steps of ${groupsText} are more than the ${grouped(MAX_VALUES)} steps x param groups a plot records: at most ${grouped(most)} steps for ${groupsText}`,
    );
  }
}

interface Composite {
  schedulers?: readonly LRScheduler[];
  milestones?: readonly number[];
  totalSteps?: number;
  totalEpoch?: number;
  afterScheduler?: LRScheduler | null;
}

/**
 * How many more `step()` calls the scheduler's schedule lasts, from its current state, when it has
 * an end it cannot be stepped past (OneCycleLR: until `lastEpoch` reaches `totalSteps - 1`, its last
 * point; a composite: where the first such child ends); `Infinity` otherwise.
 */
export function scheduleLength(scheduler: LRScheduler, depth = 0): number {
  if (depth > 16) return Infinity;
  const inner = scheduler as unknown as Composite;
  switch (scheduler.getClassName()) {
    case 'OneCycleLR':
      return typeof inner.totalSteps === 'number' ? Math.max(0, inner.totalSteps - 1 - scheduler.lastEpoch) : Infinity;
    case 'ChainedScheduler': {
      let length = Infinity;
      for (const child of inner.schedulers ?? []) length = Math.min(length, scheduleLength(child, depth + 1));
      return length;
    }
    case 'SequentialLR': {
      // Child i runs from epoch start_i (its own lastEpoch 0 there: the re-run initial step or the
      // hand-over) until the next milestone; the schedule ends where a child ends before it hands over.
      const children = inner.schedulers ?? [];
      const milestones = inner.milestones ?? [];
      for (let i = 0; i < children.length; i++) {
        const start = i === 0 ? 0 : milestones[i - 1];
        const own = i === 0 ? scheduleLength(children[i], depth + 1) : freshLength(children[i], depth + 1);
        const end = start + own;
        if (i === children.length - 1 || end < milestones[i] - 1) return Math.max(0, end - scheduler.lastEpoch);
      }
      return Infinity;
    }
    case 'GradualWarmupScheduler': {
      const after = inner.afterScheduler;
      if (after === null || after === undefined || after.getClassName() === 'ReduceLROnPlateau' || typeof inner.totalEpoch !== 'number') return Infinity;
      // After the warmup (epochs 0..totalEpoch) the hand-off epoch shows the after-scheduler as it is,
      // then each epoch steps it once: lastEpoch = after.lastEpoch + totalEpoch + 1.
      return Math.max(0, after.lastEpoch + scheduleLength(after, depth + 1) + inner.totalEpoch + 1 - scheduler.lastEpoch);
    }
    default:
      return Infinity;
  }
}

/**
 * How many schedulers one `step()` of `scheduler` steps or inspects, at most: itself, plus every
 * child of a ChainedScheduler (a child listed twice counts twice), the costliest child of a
 * SequentialLR, a warmup's after-scheduler. Memoized: a child may be shared.
 */
export function stepCost(scheduler: LRScheduler, memo = new Map<LRScheduler, number>()): number {
  const known = memo.get(scheduler);
  if (known !== undefined) return known;
  const inner = scheduler as unknown as Composite;
  let cost = 1;
  switch (scheduler.getClassName()) {
    case 'ChainedScheduler':
      for (const child of inner.schedulers ?? []) cost += stepCost(child, memo);
      break;
    case 'SequentialLR': {
      let most = 0;
      for (const child of inner.schedulers ?? []) most = Math.max(most, stepCost(child, memo));
      cost += most;
      break;
    }
    case 'GradualWarmupScheduler':
      if (inner.afterScheduler) cost += stepCost(inner.afterScheduler, memo);
      break;
    default:
      break;
  }
  memo.set(scheduler, cost);
  return cost;
}

/** `scheduleLength` of a child that a SequentialLR restarts at epoch 0 (its lastEpoch then is 0). */
function freshLength(child: LRScheduler, depth: number): number {
  const remaining = scheduleLength(child, depth);
  return Number.isFinite(remaining) ? remaining + child.lastEpoch : remaining;
}

/**
 * Runs the schedule: construction, then for every `step` op the virtual optimizer's `step()` (unless
 * an `optimizer_step` op just did it) and the scheduler's. Without ops, `steps` step() calls (by
 * default the schedule's own length, else 100). Throws `CliError` for a schedule beyond the limits,
 * what `fromConfig` throws, and `ScheduleStepError` around what a `step()` throws.
 */
export function traceSchedule(config: PlotConfig): Trace {
  checkConfigLimits(config);
  const built = fromConfig(config.schedule);
  const optimizer = built.virtualOptimizer as VirtualOptimizer;
  const groups = built.optimizer.paramGroups;
  const groupCount = groups.length;
  const length = scheduleLength(built.driver);
  const ownLength = Number.isFinite(length) ? length : undefined;
  const ops = config.ops;
  let steps: number;
  if (ops !== null) {
    steps = 0;
    for (const op of ops) if (op.op === 'step') steps += 1;
  } else if (config.steps !== undefined) {
    steps = config.steps;
  } else if (ownLength !== undefined) {
    if (ownLength > MAX_STEPS) {
      throw new CliError(`the schedule lasts ${grouped(ownLength)} steps, more than the ${grouped(MAX_STEPS)} a plot runs: give "steps" or --steps`);
    }
    steps = ownLength;
  } else {
    steps = 100;
  }
  checkValues(steps, groupCount);
  const targets = ops === null ? [] : [...new Set(ops.map((op) => (op.op === 'step' ? op.target : undefined)))];
  const cost = Math.max(...targets.map((id) => stepCost(id === undefined ? built.driver : built.schedulers[id])), stepCost(built.driver));
  // A step costs about 16 ns per scheduler and param group, plus 250 ns per scheduler (measured).
  if (steps * cost * (16 + groupCount) > MAX_WORK) {
    const most = Math.floor(MAX_WORK / (cost * (16 + groupCount)));
    throw new CliError(
      `each step steps ${grouped(cost)} schedulers over ${grouped(groupCount)} param group${groupCount === 1 ? '' : 's'}: ` +
        `${grouped(steps)} steps would take minutes; at most ${grouped(most)} steps for this schedule`,
    );
  }
  const pointCount = steps + 1;
  const useBeta1 = groups.every((group) => Array.isArray(group.betas));
  const inspector = new ScheduleInspector(built, config.schedule.schedulers);

  const lr = groups.map(() => new Float64Array(pointCount));
  const momentum = groups.map(() => new Float64Array(pointCount));
  const lastEpoch = new Float64Array(pointCount);
  const markers: Marker[] = [];
  let markerCount = 0;
  const phases: Phase[] = [];
  let currentPhase: (PhaseInfo & { start: number }) | undefined;
  let step = 0;

  const addMarker = (marker: Marker): void => {
    markerCount += 1;
    if (markers.length < MAX_MARKERS) markers.push(marker);
  };
  const stepMarkers: Marker[] = [];
  const record = (): void => {
    for (let g = 0; g < groupCount; g++) {
      lr[g][step] = groups[g].lr;
      const value = useBeta1 ? (groups[g].betas as number[])[0] : groups[g].momentum;
      momentum[g][step] = typeof value === 'number' ? value : NaN;
    }
    const driverEpoch = (built.driver as { lastEpoch?: unknown }).lastEpoch;
    lastEpoch[step] = typeof driverEpoch === 'number' ? driverEpoch : NaN;
    const phase = inspector.phase(built.driverId);
    if (currentPhase === undefined) {
      currentPhase = { ...phase, start: step };
    } else if (phase.key !== currentPhase.key) {
      phases.push({ label: currentPhase.label, start: currentPhase.start, end: step - 1 });
      if (currentPhase.warmup) addMarker({ step: step - 1, kind: 'warmup-end', label: 'warmup end' });
      else addMarker({ step, kind: 'phase', label: phase.label });
      currentPhase = { ...phase, start: step };
    }
    if (step > 0) {
      stepMarkers.length = 0;
      inspector.events(step, stepMarkers);
      for (const marker of stepMarkers) addMarker(marker);
    }
    step += 1;
  };

  const runOne = (op: Extract<PlotOp, { op: 'step' }>, index: number, optimizerStepped: boolean): void => {
    if (!optimizerStepped) optimizer.step();
    try {
      runStep(built, op);
    } catch (error) {
      throw new ScheduleStepError(index, step, error, ownLength);
    }
    record();
  };

  record();
  if (ops === null) {
    const plain: PlotOp = { op: 'step' };
    for (let i = 0; i < steps; i++) runOne(plain, i, false);
  } else {
    let optimizerStepped = false;
    ops.forEach((op, index) => {
      if (op.op === 'optimizer_step') {
        optimizer.step();
        optimizerStepped = true;
        return;
      }
      runOne(op, index, optimizerStepped);
      optimizerStepped = false;
    });
  }
  if (currentPhase !== undefined) phases.push({ label: currentPhase.label, start: currentPhase.start, end: pointCount - 1 });
  markerCount += addJumpRestarts(lr[0], markers);
  markers.sort((a, b) => a.step - b.step);

  const momentumChanges = momentum.some((values) => values.some((v) => !Object.is(v, values[0])));
  return {
    driverId: built.driverId,
    driverType: built.driver.getClassName(),
    groupCount,
    pointCount,
    lastEpoch,
    lr,
    momentum: momentumChanges ? { name: useBeta1 ? 'beta1' : 'momentum', values: momentum } : null,
    phases,
    markers,
    markerCount,
    length: ownLength,
  };
}

/** One `step` op, called the way the conformance format calls each class. */
function runStep(built: BuiltSchedule, op: Extract<PlotOp, { op: 'step' }>): void {
  const scheduler = op.target === undefined ? built.driver : built.schedulers[op.target];
  const type = scheduler.getClassName();
  const step = scheduler.step as (...args: Array<number | undefined>) => void;
  if (type === 'ReduceLROnPlateau') {
    if (op.epoch === undefined) step.call(scheduler, op.metrics);
    else step.call(scheduler, op.metrics, op.epoch);
  } else if (type === 'GradualWarmupScheduler') {
    step.call(scheduler, op.epoch, op.metrics);
  } else if (op.epoch === undefined) {
    step.call(scheduler);
  } else {
    step.call(scheduler, op.epoch);
  }
}

/**
 * Restarts no scheduler reports: the lr jumps up by at least half its range in one step after
 * a step where it did not rise, and does not keep rising (a ramp is not a restart). Skips points already marked.
 */
function addJumpRestarts(values: ArrayLike<number>, markers: Marker[]): number {
  let added = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const range = max - min;
  if (!(range > 0)) return 0;
  const marked = new Set(markers.map((m) => m.step));
  for (let t = 1; t < values.length; t++) {
    const rise = values[t] - values[t - 1];
    if (!(rise >= 0.5 * range)) continue;
    if (t < 2 || values[t - 1] > values[t - 2]) continue;
    if (t + 1 < values.length && values[t + 1] > values[t]) continue;
    if (marked.has(t) || marked.has(t - 1)) continue;
    added += 1;
    if (markers.length < MAX_MARKERS) markers.push({ step: t, kind: 'restart', label: 'lr jumps up' });
  }
  return added;
}
