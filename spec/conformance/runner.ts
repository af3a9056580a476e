/**
 * Replays recorded PyTorch scenarios through the public API with real tfjs optimizers and
 * compares every record: lr and momentum read from the tfjs optimizers (and the param groups,
 * which must agree), getLastLr(), lastEpoch, errors, and the number and categories of warnings.
 */
import * as tf from '@tensorflow/tfjs';
import {
  fromConfig,
  setWarningHandler,
  LRSchedulerError,
  type BuiltSchedule,
  type LRScheduler,
  type OptimizerState,
  type SchedulerState,
  type SchedulerWarning,
} from '../../lib';
import { cyclesMomentum, disposeOptimizer, makeTfjsOptimizer } from '../helpers/tfjs';
import { DEVIATIONS, type DeviationContext } from './deviations';
import type { Encoded, ErrorRecord, Op, RecordedState, Scenario } from './scenario';

export type Status = 'passed' | 'failed' | 'deviation';

export interface Difference {
  at: 'construct' | number;
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface ScenarioResult {
  id: string;
  className: string;
  /** The scheduler types the scenario constructs. */
  types: string[];
  status: Status;
  deviation?: string;
  difference?: Difference;
  values: number;
  bitIdentical: number;
  maxRelativeError: number;
}

export interface Observed {
  lr: number[];
  momentum: number[];
  lastLr: number[] | null;
  lastEpoch: number | null;
  warnings: SchedulerWarning[];
  value?: number[];
  error?: unknown;
}

export function decode(value: Encoded): number {
  if (typeof value === 'number') return value;
  if (value === 'inf') return Infinity;
  if (value === '-inf') return -Infinity;
  if (value === 'nan') return NaN;
  throw new Error(`conformance: unexpected encoded number ${JSON.stringify(value)}`);
}

/** Relative error of `actual` against `expected`; 0 when they are the same double. */
function relativeError(expected: number, actual: number): number {
  if (Object.is(expected, actual)) return 0;
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Infinity;
  if (expected === actual) return 0; // 0 and -0
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return Infinity;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), Math.abs(actual));
}

/** Live objects of one run (rebuilt by `restore`). */
export interface Session {
  built: BuiltSchedule;
  optimizers: tf.Optimizer[];
  variables: tf.Variable[];
  gradients: tf.Tensor[];
}

export function buildSession(scenario: Scenario): Session {
  const optimizers: tf.Optimizer[] = [];
  const variables: tf.Variable[] = [];
  const gradients: tf.Tensor[] = [];
  const useMomentumForSgd = cyclesMomentum(scenario);
  const session: Partial<Session> = { optimizers, variables, gradients };
  try {
    session.built = fromConfig(scenario, {
      optimizer: (kind, groups) =>
        groups.map((group) => {
          variables.push(tf.tidy(() => tf.variable(tf.zeros([1]))));
          gradients.push(tf.zeros([1]));
          const optimizer = makeTfjsOptimizer(kind, group, useMomentumForSgd);
          optimizers.push(optimizer);
          return optimizer;
        }),
    });
  } catch (error) {
    disposeSession(session);
    throw error;
  }
  return session as Session;
}

export function disposeSession(session: Partial<Session>): void {
  session.optimizers?.forEach(disposeOptimizer);
  session.variables?.forEach((variable) => variable.dispose());
  session.gradients?.forEach((gradient) => gradient.dispose());
}

export function optimizerStep(session: Session): void {
  session.optimizers.forEach((optimizer, i) => {
    const variable = session.variables[i];
    optimizer.applyGradients({ [variable.name]: session.gradients[i] });
  });
}

/** lr and momentum read from the real tfjs optimizers; throws if the param groups disagree. */
function readOptimizers(session: Session): { lr: number[]; momentum: number[] } {
  const groups = session.built.optimizer.paramGroups;
  const lr: number[] = [];
  const momentum: number[] = [];
  session.optimizers.forEach((optimizer, i) => {
    const config = optimizer.getConfig() as Record<string, number>;
    const tfLr = config.learningRate;
    const tfMomentum = config.momentum ?? config.beta1 ?? 0;
    const group = groups[i];
    const groupMomentum = 'betas' in group ? (group.betas as number[])[0] : ((group.momentum as number | undefined) ?? 0);
    if (!Object.is(tfLr, group.lr)) throw new Error(`param group ${i} lr ${group.lr} disagrees with the tfjs optimizer's ${tfLr}`);
    if (!Object.is(tfMomentum, groupMomentum)) {
      throw new Error(`param group ${i} momentum ${groupMomentum} disagrees with the tfjs optimizer's ${tfMomentum}`);
    }
    lr.push(tfLr);
    momentum.push(tfMomentum);
  });
  return { lr, momentum };
}

export function observe(session: Session, warnings: SchedulerWarning[], error?: unknown, value?: number[]): Observed {
  const { lr, momentum } = readOptimizers(session);
  const driver = session.built.driver;
  let lastLr: number[] | null;
  try {
    lastLr = driver.getLastLr();
  } catch {
    lastLr = null;
  }
  // PyTorch's ChainedScheduler has no last_epoch (recorded as null); ours reads its last child's.
  const lastEpoch = driver.getClassName() === 'ChainedScheduler' ? null : driver.lastEpoch;
  return { lr, momentum, lastLr, lastEpoch, warnings: warnings.slice(), value, error };
}

/** The op's subject and its class (a transformers function type steps as the class it returned). */
function subjectOf(session: Session, scenario: Scenario, target: string | undefined): { scheduler: LRScheduler; type: string } {
  const id = target ?? scenario.driver;
  const spec = scenario.schedulers.find((s) => s.id === id);
  if (!spec) throw new Error(`conformance: unknown target ${id}`);
  const scheduler = session.built.schedulers[id];
  return { scheduler, type: scheduler.getClassName() };
}

export interface Slot {
  schedulers: Record<string, SchedulerState>;
  optimizer: OptimizerState;
}

/** Runs one op; returns the get_lr value if any. Throws what the library throws. */
export function applyOp(op: Op, sessionRef: { current: Session }, scenario: Scenario, slots: Map<string, Slot>): number[] | undefined {
  const session = sessionRef.current;
  switch (op.op) {
    case 'optimizer_step':
      optimizerStep(session);
      return undefined;
    case 'step': {
      const { scheduler, type } = subjectOf(session, scenario, op.target);
      const epoch = op.epoch === undefined ? undefined : decode(op.epoch);
      const metrics = op.metrics === undefined ? undefined : decode(op.metrics);
      const step = scheduler.step as (...args: Array<number | undefined>) => void;
      if (type === 'ReduceLROnPlateau') {
        if (epoch === undefined) step.call(scheduler, metrics);
        else step.call(scheduler, metrics, epoch);
      } else if (type === 'GradualWarmupScheduler') {
        step.call(scheduler, epoch, metrics);
      } else if (epoch === undefined) {
        step.call(scheduler);
      } else {
        step.call(scheduler, epoch);
      }
      return undefined;
    }
    case 'get_lr':
      return subjectOf(session, scenario, op.target).scheduler.getLr().slice();
    case 'save': {
      const schedulers: Record<string, SchedulerState> = {};
      for (const [id, scheduler] of Object.entries(session.built.schedulers)) {
        schedulers[id] = JSON.parse(JSON.stringify(scheduler.stateDict())) as SchedulerState;
      }
      const optimizer = JSON.parse(JSON.stringify(session.built.optimizer.stateDict())) as OptimizerState;
      slots.set(op.slot, { schedulers, optimizer });
      return undefined;
    }
    case 'restore': {
      const slot = slots.get(op.slot);
      if (!slot) throw new Error(`conformance: restore of empty slot ${op.slot}`);
      disposeSession(session);
      const fresh = buildSession(scenario);
      sessionRef.current = fresh;
      if (op.optimizer !== false) fresh.built.optimizer.loadStateDict(slot.optimizer);
      for (const spec of scenario.schedulers) fresh.built.schedulers[spec.id].loadStateDict(slot.schedulers[spec.id]);
      return undefined;
    }
    default:
      throw new Error(`conformance: unknown op ${JSON.stringify(op)}`);
  }
}

export class Comparison {
  values = 0;
  bitIdentical = 0;
  maxRelativeError = 0;
  difference: Difference | undefined;

  constructor(private readonly tolerance: number) {}

  numbers(at: 'construct' | number, field: string, expected: Encoded[] | null | undefined, actual: number[] | null | undefined): void {
    if (expected === undefined) return;
    if (expected === null || actual === null || actual === undefined) {
      if ((expected === null) !== (actual === null || actual === undefined)) this.differ(at, field, expected, actual ?? null);
      return;
    }
    if (expected.length !== actual.length) {
      this.differ(at, field, expected, actual);
      return;
    }
    expected.forEach((encoded, i) => this.number(at, `${field}[${i}]`, decode(encoded), actual[i]));
  }

  number(at: 'construct' | number, field: string, expected: number, actual: number): void {
    this.values += 1;
    const error = relativeError(expected, actual);
    if (Object.is(expected, actual)) this.bitIdentical += 1;
    if (error > this.maxRelativeError && Number.isFinite(error)) this.maxRelativeError = error;
    const ok = this.tolerance === 0 ? Object.is(expected, actual) : error <= this.tolerance;
    if (!ok) this.differ(at, field, expected, actual);
  }

  differ(at: 'construct' | number, field: string, expected: unknown, actual: unknown): void {
    if (this.difference === undefined) this.difference = { at, field, expected, actual };
  }
}

function errorText(error: unknown): string {
  if (error instanceof LRSchedulerError) return `${error.pythonType}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * A raised error must be of PyTorch's exception type. Where the Python runtime failed (division by
 * zero, calling a non-callable), any clear error of ours is accepted: we throw on purpose, earlier.
 */
function sameErrorKind(expected: ErrorRecord, actual: unknown): boolean {
  if (!(actual instanceof LRSchedulerError)) return false;
  return expected.origin === 'runtime' || actual.pythonType === expected.type;
}

export function compareRecord(comparison: Comparison, at: 'construct' | number, expected: RecordedState, actual: Observed): void {
  const expectedError = expected.error;
  if (expectedError !== undefined && actual.error === undefined) {
    comparison.differ(at, 'error', `${expectedError.type}: ${expectedError.message}`, 'no error');
  } else if (expectedError === undefined && actual.error !== undefined) {
    comparison.differ(at, 'error', 'no error', errorText(actual.error));
  } else if (expectedError !== undefined && !sameErrorKind(expectedError, actual.error)) {
    comparison.differ(at, 'error', `${expectedError.type}: ${expectedError.message}`, errorText(actual.error));
  }
  comparison.numbers(at, 'lr', expected.lr, actual.lr);
  comparison.numbers(at, 'momentum', expected.momentum, actual.momentum);
  comparison.numbers(at, 'last_lr', expected.last_lr, actual.lastLr);
  if (expected.last_epoch === null || actual.lastEpoch === null) {
    if ((expected.last_epoch === null) !== (actual.lastEpoch === null)) comparison.differ(at, 'last_epoch', expected.last_epoch, actual.lastEpoch);
  } else {
    comparison.number(at, 'last_epoch', decode(expected.last_epoch), actual.lastEpoch);
  }
  if (expected.value !== undefined) comparison.numbers(at, 'value', expected.value, actual.value);
  const expectedCategories = expected.warnings.map((w) => w.category);
  const actualCategories = actual.warnings.map((w) => w.category);
  if (JSON.stringify(expectedCategories) !== JSON.stringify(actualCategories)) {
    comparison.differ(at, 'warnings', expected.warnings.map((w) => `${w.category}: ${w.message}`), actual.warnings.map((w) => `${w.category}: ${w.message}`));
  }
}

function firstExpectedError(scenario: Scenario): ErrorRecord | undefined {
  return [scenario.expected.construct, ...scenario.expected.ops].find((record) => record.error !== undefined)?.error;
}

/** Replays one scenario; `tolerance` is the relative tolerance (0 = bit for bit). */
export function runScenario(scenario: Scenario, className: string, tolerance = 0): ScenarioResult {
  const comparison = new Comparison(tolerance);
  const warnings: SchedulerWarning[] = [];
  const previousHandler = setWarningHandler((warning) => warnings.push(warning));
  const sessionRef: { current: Session } = { current: undefined as unknown as Session };
  let weThrewAtConstruction = false;
  let weThrew = false;
  let divergedAt: 'construct' | number | undefined;
  const tensorsBefore = tf.memory().numTensors;
  try {
    try {
      sessionRef.current = buildSession(scenario);
    } catch (error) {
      weThrewAtConstruction = true;
      weThrew = true;
      const expectedError = scenario.expected.construct.error;
      if (expectedError === undefined) {
        comparison.differ('construct', 'error', 'no error', errorText(error));
      } else if (!sameErrorKind(expectedError, error)) {
        comparison.differ('construct', 'error', `${expectedError.type}: ${expectedError.message}`, errorText(error));
      }
    }
    if (sessionRef.current !== undefined) {
      compareRecord(comparison, 'construct', scenario.expected.construct, observe(sessionRef.current, warnings));
      if (comparison.difference) divergedAt = 'construct';
      const slots = new Map<string, Slot>();
      for (let i = 0; i < scenario.ops.length && comparison.difference === undefined; i++) {
        const expected = scenario.expected.ops[i];
        if (expected === undefined) {
          comparison.differ(i, 'error', 'the recording stopped with an error before this op', 'no error');
          break;
        }
        warnings.length = 0;
        let value: number[] | undefined;
        let error: unknown;
        try {
          value = applyOp(scenario.ops[i], sessionRef, scenario, slots);
        } catch (thrown) {
          error = thrown;
          weThrew = true;
        }
        compareRecord(comparison, i, expected, observe(sessionRef.current, warnings, error, value));
        if (comparison.difference) divergedAt = i;
        if (error !== undefined) break;
      }
    } else if (comparison.difference) {
      divergedAt = 'construct';
    }
  } finally {
    setWarningHandler(previousHandler);
    if (sessionRef.current !== undefined) disposeSession(sessionRef.current);
  }
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0 && comparison.difference === undefined) comparison.differ('construct', 'tensors', 0, `${leaked} tensors leaked`);

  let status: Status = comparison.difference === undefined ? 'passed' : 'failed';
  let deviation: string | undefined;
  if (status === 'failed') {
    const at = divergedAt ?? comparison.difference!.at;
    const context: DeviationContext = {
      scenario,
      at,
      expectedError: at === 'construct' ? firstExpectedError(scenario) : scenario.expected.ops[at]?.error,
      weThrewAtConstruction,
      weThrew,
    };
    const found = DEVIATIONS.find((d) => d.applies(context));
    if (found) {
      status = 'deviation';
      deviation = found.id;
    }
  }
  return {
    id: scenario.id,
    className,
    types: scenario.schedulers.map((s) => s.type),
    status,
    deviation,
    difference: comparison.difference,
    values: comparison.values,
    bitIdentical: comparison.bitIdentical,
    maxRelativeError: comparison.maxRelativeError,
  };
}
