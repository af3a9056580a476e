/**
 * The errors this package throws. Every one is an `LRSchedulerError`; `pythonType` names the
 * Python exception PyTorch raises in the same situation, so ported code and the conformance
 * runner can tell them apart.
 */
export class LRSchedulerError extends Error {
  /**
   * What `error.name` says for this class. A literal, because minifiers rename classes (a bundled
   * `new.target.name` is `t`); a subclass without its own `errorName` (one written outside this
   * package) is named by its constructor's `name`.
   */
  static readonly errorName: string = 'LRSchedulerError';
  /** The Python exception class PyTorch raises in the same situation. */
  readonly pythonType: string;

  constructor(message: string, pythonType = 'RuntimeError') {
    super(message);
    const kind = new.target as typeof LRSchedulerError;
    this.name = Object.hasOwn(kind, 'errorName') ? kind.errorName : kind.name;
    this.pythonType = pythonType;
  }
}

/** A bad argument: a constructor option, a step argument, a configuration value (Python's `ValueError`). */
export class InvalidArgumentError extends LRSchedulerError {
  static override readonly errorName: string = 'InvalidArgumentError';

  constructor(message: string, pythonType = 'ValueError') {
    super(message, pythonType);
  }
}

/** A value of the wrong kind where Python raises `TypeError` (e.g. `step(epoch)` on `SequentialLR`). */
export class SchedulerTypeError extends LRSchedulerError {
  static override readonly errorName: string = 'SchedulerTypeError';

  constructor(message: string) {
    super(message, 'TypeError');
  }
}

/** A state dict that does not fit the scheduler it is loaded into; nothing was changed. */
export class InvalidStateError extends LRSchedulerError {
  static override readonly errorName: string = 'InvalidStateError';

  constructor(message: string) {
    super(message, 'ValueError');
  }
}

/** A value that was never computed (Python's `AttributeError`, e.g. `getLastLr()` before any step). */
export class NotComputedError extends LRSchedulerError {
  static override readonly errorName: string = 'NotComputedError';

  constructor(message: string) {
    super(message, 'AttributeError');
  }
}

/** An arithmetic error with Python's semantics: division by zero, a math domain error. */
export class PythonArithmeticError extends LRSchedulerError {
  static override readonly errorName: string = 'PythonArithmeticError';

  constructor(message: string, pythonType: 'ZeroDivisionError' | 'ValueError' | 'OverflowError') {
    super(message, pythonType);
  }
}
