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
import type { SchedulerState } from '../state/state-reader';
import type { PlotConfig, PlotOp } from './config-file';

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
  /** The driver's `lastEpoch` at each point (`null` when it has none, e.g. ChainedScheduler). */
  lastEpoch: Array<number | null>;
  /** `lr[group][point]`: `optimizer.paramGroups[group].lr`. */
  lr: number[][];
  /** Each group's momentum (`betas[0]` for Adam) when the schedule changes it, else `null`. */
  momentum: { name: 'momentum' | 'beta1'; values: number[][] } | null;
  phases: Phase[];
  markers: Marker[];
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

function num(state: SchedulerState, key: string): number | undefined {
  const value = state[key];
  return typeof value === 'number' ? value : undefined;
}

/** `bisect.bisect_right(milestones, x)`. */
function bisectRight(milestones: readonly number[], x: number): number {
  let i = 0;
  while (i < milestones.length && milestones[i] <= x) i++;
  return i;
}

const ONE_CYCLE_PHASE_NAMES = [['warmup', 'anneal'], ['warmup', 'anneal', 'annihilate']];

/** Derives phases and markers from the schedulers' state dicts and the configuration's structure. */
class ScheduleInspector {
  private readonly specs = new Map<string, SchedulerConfig>();
  private states = new Map<string, SchedulerState>();
  private previousStates = new Map<string, SchedulerState>();

  constructor(private readonly built: BuiltSchedule, specs: readonly SchedulerConfig[]) {
    for (const spec of specs) this.specs.set(spec.id, spec);
  }

  /** Takes this point's state dicts (the previous point's are kept for comparisons). */
  capture(): void {
    this.previousStates = this.states;
    this.states = new Map();
  }

  private state(id: string, previous = false): SchedulerState | undefined {
    const cache = previous ? this.previousStates : this.states;
    if (previous) return cache.get(id);
    let state = cache.get(id);
    if (state === undefined) {
      const scheduler: LRScheduler | undefined = this.built.schedulers[id];
      if (scheduler === undefined) return undefined;
      try {
        state = scheduler.stateDict();
      } catch {
        return undefined;
      }
      cache.set(id, state);
    }
    return state;
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
    const state = this.state(id);
    if (state === undefined || depth > 16) return simple;
    const args = this.args(id);
    switch (type) {
      case 'GradualWarmupScheduler': {
        const lastEpoch = num(state, 'last_epoch');
        const totalEpoch = num(state, 'total_epoch');
        if (lastEpoch === undefined || totalEpoch === undefined) return simple;
        if (state.finished !== true && lastEpoch <= totalEpoch) return { key: `${id}:warmup`, label: 'warmup', warmup: true, phased: true };
        const afterId = refId(args.after_scheduler);
        if (afterId === undefined) return { key: `${id}:constant`, label: 'constant (after warmup)', warmup: false, phased: true };
        const after = this.phase(afterId, depth + 1);
        return { key: `${id}:after/${after.key}`, label: after.label, warmup: after.warmup, phased: true };
      }
      case 'SequentialLR': {
        const children = Array.isArray(args.schedulers) ? args.schedulers.map(refId) : [];
        const saved = state._milestones;
        const milestones = (Array.isArray(saved) ? saved : Array.isArray(args.milestones) ? args.milestones : []).filter(
          (m): m is number => typeof m === 'number',
        );
        const lastEpoch = num(state, 'last_epoch');
        if (lastEpoch === undefined || children.length === 0) return simple;
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
        const phases = state._schedule_phases;
        const lastEpoch = num(state, 'last_epoch');
        if (!Array.isArray(phases) || phases.length === 0 || lastEpoch === undefined) return simple;
        let index = phases.length - 1;
        for (let i = 0; i < phases.length; i++) {
          const endStep = (phases[i] as { end_step?: unknown })?.end_step;
          if (typeof endStep === 'number' && lastEpoch <= endStep) {
            index = i;
            break;
          }
        }
        const phase = phases[index] as { start_lr?: unknown; end_lr?: unknown };
        const names = ONE_CYCLE_PHASE_NAMES[phases.length === 3 ? 1 : 0];
        const name = names[index] ?? `phase ${index + 1}`;
        const detail = typeof phase?.start_lr === 'string' && typeof phase?.end_lr === 'string' ? ` (${phase.start_lr} → ${phase.end_lr})` : '';
        return { key: `${id}:${index}`, label: `${name}${detail}`, warmup: phase?.end_lr === 'max_lr', phased: true };
      }
      case 'SWALR': {
        const stepCount = num(state, '_step_count');
        const annealEpochs = num(state, 'anneal_epochs');
        if (stepCount === undefined || annealEpochs === undefined) return simple;
        // Only the constructor's step so far: another scheduler on the optimizer drives (SWA's pattern).
        if (stepCount === 1 && annealEpochs > 0) return { key: `${id}:before`, label: 'SWALR not stepped yet', warmup: false, phased: true };
        return stepCount - 1 < annealEpochs
          ? { key: `${id}:anneal`, label: `anneal to swa_lr (${String(state._anneal_strategy)})`, warmup: false, phased: true }
          : { key: `${id}:swa`, label: 'swa_lr', warmup: false, phased: true };
      }
      default:
        return transformersPhase(id, type, args, state) ?? simple;
    }
  }

  /** Milestone and restart markers of every scheduler at this point (compared with the previous one). */
  events(step: number, markers: Marker[]): void {
    for (const [id, spec] of this.specs) {
      const state = this.state(id);
      const before = this.state(id, true);
      if (state === undefined || before === undefined) continue;
      const lastEpoch = num(state, 'last_epoch');
      const moved = lastEpoch !== undefined && lastEpoch !== num(before, 'last_epoch');
      if (!moved) continue;
      if (spec.type === 'StepLR') {
        const stepSize = num(state, 'step_size');
        if (stepSize !== undefined && stepSize !== 0 && lastEpoch !== 0 && mod(lastEpoch, stepSize) === 0) {
          markers.push({ step, kind: 'milestone', label: `milestone (${id})` });
        }
      } else if (spec.type === 'MultiStepLR') {
        const milestones = this.args(id).milestones;
        if (Array.isArray(milestones) && milestones.includes(lastEpoch)) markers.push({ step, kind: 'milestone', label: `milestone (${id})` });
      } else if (spec.type === 'ReduceLROnPlateau') {
        const lrs = state._last_lr;
        const lrsBefore = before._last_lr;
        if (Array.isArray(lrs) && Array.isArray(lrsBefore) && lrs.some((v, g) => typeof v === 'number' && typeof lrsBefore[g] === 'number' && v < (lrsBefore[g] as number))) {
          markers.push({ step, kind: 'reduction', label: `lr reduced (${id})` });
        }
      } else if (spec.type === 'CosineAnnealingWarmRestarts') {
        const tCur = num(state, 'T_cur');
        const tCurBefore = num(before, 'T_cur');
        if (tCur !== undefined && tCurBefore !== undefined && tCur < tCurBefore) markers.push({ step, kind: 'restart', label: `restart (${id})` });
      }
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
function transformersPhase(id: string, type: string, args: Record<string, unknown>, state: SchedulerState): PhaseInfo | undefined {
  let fn = type;
  let options = args;
  if (type === 'get_scheduler') {
    fn = GET_SCHEDULER_NAMES[String(args.name)] ?? '';
    const kwargs = args.scheduler_specific_kwargs;
    options = { ...(typeof kwargs === 'object' && kwargs !== null ? kwargs : {}), ...args };
  }
  const decay = TRANSFORMERS_DECAYS[fn];
  const lastEpoch = num(state, 'last_epoch');
  if (decay === undefined || lastEpoch === undefined) return undefined;
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
  constructor(readonly opIndex: number, readonly step: number, readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'ScheduleStepError';
  }
}

/**
 * Runs the schedule: construction, then for every `step` op the virtual optimizer's `step()` (unless
 * an `optimizer_step` op just did it) and the scheduler's. Throws what `fromConfig` throws, and
 * `ScheduleStepError` around what a `step()` throws.
 */
export function traceSchedule(config: PlotConfig): Trace {
  let virtual: VirtualOptimizer | undefined;
  const built = fromConfig(config.schedule, {
    optimizer: (_kind, groups) => (virtual = new VirtualOptimizer(groups)),
  });
  const optimizer = virtual as VirtualOptimizer;
  const groups = built.optimizer.paramGroups;
  const groupCount = groups.length;
  const useBeta1 = groups.every((group) => Array.isArray(group.betas));
  const inspector = new ScheduleInspector(built, config.schedule.schedulers);

  const lr: number[][] = groups.map(() => []);
  const momentum: number[][] = groups.map(() => []);
  const lastEpoch: Array<number | null> = [];
  const markers: Marker[] = [];
  const phases: Phase[] = [];
  let currentPhase: (PhaseInfo & { start: number }) | undefined;

  const record = (): void => {
    const step = lastEpoch.length;
    for (let g = 0; g < groupCount; g++) {
      lr[g].push(groups[g].lr);
      const value = useBeta1 ? (groups[g].betas as number[])[0] : groups[g].momentum;
      momentum[g].push(typeof value === 'number' ? value : NaN);
    }
    const driverEpoch = (built.driver as { lastEpoch?: unknown }).lastEpoch;
    lastEpoch.push(typeof driverEpoch === 'number' ? driverEpoch : null);
    inspector.capture();
    const phase = inspector.phase(built.driverId);
    if (currentPhase === undefined) {
      currentPhase = { ...phase, start: step };
    } else if (phase.key !== currentPhase.key) {
      phases.push({ label: currentPhase.label, start: currentPhase.start, end: step - 1 });
      if (currentPhase.warmup) markers.push({ step: step - 1, kind: 'warmup-end', label: 'warmup end' });
      else markers.push({ step, kind: 'phase', label: phase.label });
      currentPhase = { ...phase, start: step };
    }
    if (step > 0) inspector.events(step, markers);
  };

  record();
  let optimizerStepped = false;
  config.ops.forEach((op, index) => {
    if (op.op === 'optimizer_step') {
      optimizer.step();
      optimizerStepped = true;
      return;
    }
    if (!optimizerStepped) optimizer.step();
    optimizerStepped = false;
    try {
      runStep(built, op);
    } catch (error) {
      throw new ScheduleStepError(index, lastEpoch.length, error);
    }
    record();
  });
  const pointCount = lastEpoch.length;
  if (currentPhase !== undefined) phases.push({ label: currentPhase.label, start: currentPhase.start, end: pointCount - 1 });
  addJumpRestarts(lr[0], markers);
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
function addJumpRestarts(values: readonly number[], markers: Marker[]): void {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const range = max - min;
  if (!(range > 0)) return;
  const marked = new Set(markers.map((m) => m.step));
  for (let t = 1; t < values.length; t++) {
    const rise = values[t] - values[t - 1];
    if (!(rise >= 0.5 * range)) continue;
    if (t < 2 || values[t - 1] > values[t - 2]) continue;
    if (t + 1 < values.length && values[t + 1] > values[t]) continue;
    if (marked.has(t) || marked.has(t - 1)) continue;
    markers.push({ step: t, kind: 'restart', label: 'lr jumps up' });
  }
}
