/**
 * Resuming a recorded conformance scenario in the middle: replay its first ops with our objects,
 * save every scheduler and the optimizer view (JSON text, as a file would hold them), build fresh
 * objects from the scenario definition, load, and continue, comparing every following record with
 * PyTorch's. Built from the conformance runner's pieces (session, ops, observation, comparison).
 */
import { setWarningHandler, type SchedulerState, type SchedulerWarning } from '../../lib';
import {
  applyOp,
  buildSession,
  Comparison,
  compareRecord,
  disposeSession,
  observe,
  runScenario,
  type Session,
  type Slot,
} from '../conformance/runner';
import type { RecordedState, Scenario } from '../conformance/scenario';
import { RELATIVE_TOLERANCE } from '../helpers/expect-bits';

export interface ResumeResult {
  /** Values compared after the resume. */
  values: number;
  failure?: string;
}

export interface ResumeOptions {
  /** Resume from this slot as the scenario's own `save` op left it (default: a save taken at the resume point). */
  slot?: string;
  /** Changes the saved slot before it is loaded (e.g. puts PyTorch's recorded state in). */
  patch?: (slot: Slot) => void;
}

const RESUME_SLOT = '$resume';

/** Whether the scenario records PyTorch's broken warmup resume (a listed deviation from its first restore). */
export function isDetached(scenario: Scenario): boolean {
  return (scenario.tags ?? []).includes('restore-detached-after-scheduler');
}

/** The scenario cut before its first `restore` op. */
export function beforeFirstRestore(scenario: Scenario): Scenario {
  const end = scenario.ops.findIndex((op) => op.op === 'restore');
  if (end < 0) return scenario;
  return { ...scenario, ops: scenario.ops.slice(0, end), expected: { ...scenario.expected, ops: scenario.expected.ops.slice(0, end) } };
}

/**
 * The precision our uninterrupted run of `scenario` reaches: 0 (bit for bit), the 1e-12 tolerance,
 * or `undefined` when it does not pass (an unregistered class, a listed deviation). A detached
 * warmup recording is judged on its part before the first restore.
 */
export function reachedTolerance(scenario: Scenario, className: string): number | undefined {
  const held = isDetached(scenario) ? beforeFirstRestore(scenario) : scenario;
  if (runScenario(held, className, 0).status === 'passed') return 0;
  if (runScenario(held, className, RELATIVE_TOLERANCE).status === 'passed') return RELATIVE_TOLERANCE;
  return undefined;
}

/** The op indices `at` (ops applied before the save) at which the scenario can be resumed. */
export function resumePoints(scenario: Scenario): number[] {
  const points: number[] = [];
  // A detached warmup recording deviates (on purpose) from its first restore on.
  const held = isDetached(scenario) ? beforeFirstRestore(scenario) : scenario;
  const recorded = held.expected.ops;
  if (held.expected.construct.error !== undefined) return points;
  for (let at = 0; at <= recorded.length && at <= held.ops.length; at++) {
    if (at > 0 && recorded[at - 1].error !== undefined) break;
    points.push(at);
  }
  return points;
}

/** The record PyTorch took right before op `at`, without what only the op itself produced. */
function recordBefore(scenario: Scenario, at: number): RecordedState {
  const record = at === 0 ? scenario.expected.construct : scenario.expected.ops[at - 1];
  return { ...record, warnings: [], value: undefined };
}

const STEP_ORDER_WARNING = /^Detected call of `(lr_)?scheduler\.step\(\)` before `optimizer\.step\(\)`/;

/**
 * Fresh objects have a fresh optimizer: its first scheduler step after the resume may warn about
 * the step order where the uninterrupted run did not (PyTorch's resumed runs do the same).
 * That warning is left out of the comparison on both sides.
 */
function withoutStepOrderWarning<T extends { warnings: Array<{ message: string }> }>(record: T): T {
  return { ...record, warnings: record.warnings.filter((w) => !STEP_ORDER_WARNING.test(w.message)) };
}

/** Applies the first `at` ops, saves, rebuilds, loads and continues; compares with PyTorch's records. */
export function resumeScenario(scenario: Scenario, at: number, tolerance: number, options: ResumeOptions = {}): ResumeResult {
  const warnings: SchedulerWarning[] = [];
  const previousHandler = setWarningHandler((warning) => warnings.push(warning));
  const comparison = new Comparison(tolerance);
  const slots = new Map<string, Slot>();
  const sessionRef: { current: Session } = { current: buildSession(scenario) };
  try {
    for (let i = 0; i < at; i++) applyOp(scenario.ops[i], sessionRef, scenario, slots);
    const slotName = options.slot ?? RESUME_SLOT;
    if (options.slot === undefined) applyOp({ op: 'save', slot: RESUME_SLOT }, sessionRef, scenario, slots);
    const slot = slots.get(slotName) as Slot;
    options.patch?.(slot);
    // What a file holds: text.
    const saved = JSON.parse(JSON.stringify(slot)) as Slot;
    slots.set(slotName, saved);
    disposeSession(sessionRef.current);
    sessionRef.current = buildSession(scenario);
    const fresh = sessionRef.current.built;
    fresh.optimizer.loadStateDict(saved.optimizer);
    for (const spec of scenario.schedulers) fresh.schedulers[spec.id].loadStateDict(saved.schedulers[spec.id] as SchedulerState);
    warnings.length = 0;
    compareRecord(comparison, at === 0 ? 'construct' : at - 1, recordBefore(scenario, at), observe(sessionRef.current, warnings));
    for (let i = at; i < scenario.ops.length && comparison.difference === undefined; i++) {
      const expected = scenario.expected.ops[i];
      if (expected === undefined) break;
      if (isDetached(scenario) && scenario.ops[i].op === 'restore') break;
      warnings.length = 0;
      let error: unknown;
      let value: number[] | undefined;
      try {
        value = applyOp(scenario.ops[i], sessionRef, scenario, slots);
      } catch (thrown) {
        error = thrown;
      }
      compareRecord(comparison, i, withoutStepOrderWarning(expected), withoutStepOrderWarning(observe(sessionRef.current, warnings, error, value)));
      if (error !== undefined) break;
    }
  } catch (error) {
    comparison.differ(at === 0 ? 'construct' : at - 1, 'exception', 'no exception', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  } finally {
    setWarningHandler(previousHandler);
    disposeSession(sessionRef.current);
  }
  const difference = comparison.difference;
  return {
    values: comparison.values,
    failure: difference === undefined ? undefined : `${scenario.id} (resumed after ${at} ops): ${JSON.stringify(difference)}`,
  };
}
