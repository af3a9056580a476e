/** Captures every warning emitted while `fn` runs (through the replaceable handler). */
import { setWarningHandler, type SchedulerWarning } from '../../lib';

export function captureWarnings<T>(fn: () => T): { result: T; warnings: SchedulerWarning[] } {
  const warnings: SchedulerWarning[] = [];
  const previous = setWarningHandler((warning) => warnings.push(warning));
  try {
    const result = fn();
    return { result, warnings };
  } finally {
    setWarningHandler(previous);
  }
}
