/**
 * Value rules: one predicate per option, shared by the constructor that checks the option and the
 * `loadStateDict()` that checks the state key storing it, so the two can never drift apart. A
 * loaded state must satisfy everything the constructor would require.
 *
 * The pattern, in a scheduler file:
 *
 *     const STEP_SIZE = numberRule('a non-zero number', (n) => n !== 0 && !Number.isNaN(n));
 *     // constructor:   check.number('stepSize', options.stepSize, undefined, STEP_SIZE)
 *     // readState:     reader.number('step_size', STEP_SIZE)
 *
 * Both sides then reject the same values with the same words ("must be a non-zero number").
 * A rule rejects only what PyTorch rejects, or what could only crash or produce NaN / infinite
 * learning rates later (the README lists each such difference).
 */

/** A check on a number: what an error message says is expected, and the predicate. */
export interface NumberRule {
  /** The expectation as error messages word it: `a finite number`, `an integer >= -1`. */
  readonly expected: string;
  /** Whether `value` satisfies the rule (it is a number already; NaN and infinities included). */
  readonly test: (value: number) => boolean;
}

export function numberRule(expected: string, test: (value: number) => boolean): NumberRule {
  return { expected, test };
}

/** Any number, NaN and infinities included (PyTorch checks nothing). */
export const ANY_NUMBER = numberRule('a number', () => true);

/** Not NaN (infinities are fine: a period of Infinity never ends). */
export const NOT_NAN = numberRule('a number (not NaN)', (n) => !Number.isNaN(n));

/** A finite number: an infinite or NaN learning rate, bound or factor can only give non-finite learning rates. */
export const FINITE = numberRule('a finite number', Number.isFinite);

/** Not 0 (a divisor) and not NaN. */
export const NON_ZERO = numberRule('a non-zero number', (n) => n !== 0 && !Number.isNaN(n));

/** `lastEpoch` / `last_epoch`: -1 starts a fresh schedule, otherwise the index of the last epoch. */
export const EPOCH = numberRule('an integer >= -1', (n) => Number.isInteger(n) && n >= -1);

export const INTEGER = numberRule('an integer', Number.isInteger);

export const POSITIVE_INTEGER = numberRule('a positive integer', (n) => Number.isInteger(n) && n > 0);

/** A learning rate a schedule starts from or cycles to (`initial_lr`, `base_lrs`, `max_lrs`). */
export const LEARNING_RATE = FINITE;

/**
 * A learning rate a schedule wrote (`_last_lr`, a group's `lr`): it may have overflowed to an
 * infinity (PyTorch's does too), but a NaN one can only give NaN learning rates on.
 */
export const WRITTEN_LR = NOT_NAN;

/** A momentum a schedule writes (SGD's `momentum`). */
export const MOMENTUM = FINITE;

/**
 * Adam's and Adamax's `beta1` / `beta2`: `torch.optim.Adam` requires `0 <= beta < 1`; a `beta1` of 1
 * divides by `1 - beta1 ** step` = 0 (PyTorch raises ZeroDivisionError, tfjs produces NaN weights).
 */
export const BETA = numberRule('a number in [0, 1)', (n) => n >= 0 && n < 1);
