/**
 * The deliberate differences from the PyTorch recordings, in one place, each with its reason.
 * A scenario that differs only in one of these ways is counted as a deviation, never skipped.
 */
import type { ErrorRecord, Scenario } from './scenario';

export interface DeviationContext {
  scenario: Scenario;
  /** Where the recording and our run first differ: 'construct' or the op index. */
  at: 'construct' | number;
  expectedError: ErrorRecord | undefined;
  /** Whether our run threw at construction (when the recording did not). */
  weThrewAtConstruction: boolean;
  /** Whether our run threw at this record. */
  weThrew: boolean;
}

export interface Deviation {
  id: string;
  reason: string;
  applies(context: DeviationContext): boolean;
}

export const DEVIATIONS: readonly Deviation[] = [
  {
    id: 'restore-detached-after-scheduler',
    reason:
      "GradualWarmupScheduler's PyTorch state dict holds the live after-scheduler, so a restored run drives a copy " +
      'and the real optimizer\'s lr freezes. Ours nests the after-scheduler\'s state dict and resumes exactly (what the ' +
      '"restore-relinked-after-scheduler" scenarios record, which are enforced).',
    applies: ({ scenario }) => (scenario.tags ?? []).includes('restore-detached-after-scheduler'),
  },
  {
    id: 'int-vs-float',
    reason:
      'Python tells the int 2 from the float 2.0: it rejects a float T_0 / total_steps / epochs and an int pct_start. ' +
      'JavaScript numbers cannot carry that difference, so an integral number is accepted as either.',
    applies: ({ expectedError, weThrew }) =>
      !weThrew &&
      expectedError !== undefined &&
      expectedError.origin === 'raise' &&
      (/integer .*but got -?\d+\.0$/.test(expectedError.message) || /Expected float .*but got -?\d+$/.test(expectedError.message)),
  },
  {
    id: 'early-error',
    reason:
      'Where Python failed late inside the runtime (division by zero at some step because an argument was 0, or ' +
      "transformers' polynomial schedule with numWarmupSteps == numTrainingSteps), we throw a clear error at construction instead.",
    applies: ({ expectedError, weThrewAtConstruction }) =>
      weThrewAtConstruction && expectedError !== undefined && expectedError.origin === 'runtime',
  },
  {
    id: 'warmup-composite-after-scheduler',
    reason:
      'GradualWarmupScheduler calls after_scheduler.step(None), which raises a TypeError for SequentialLR and ' +
      'ChainedScheduler in Python; ours calls step() and the schedule goes on.',
    applies: ({ scenario, expectedError, weThrew }) =>
      !weThrew &&
      expectedError !== undefined &&
      expectedError.type === 'TypeError' &&
      scenario.schedulers.some(
        (s) =>
          s.type === 'GradualWarmupScheduler' &&
          scenario.schedulers.some(
            (after) =>
              (after.type === 'SequentialLR' || after.type === 'ChainedScheduler') &&
              JSON.stringify(s.args?.after_scheduler) === JSON.stringify({ ref: after.id }),
          ),
      ),
  },
];
