/**
 * Every warning this package emits goes through one replaceable handler, as
 * `{ category, message }` with PyTorch's category and message.
 */
export interface SchedulerWarning {
  /** The Python warning category PyTorch uses, e.g. `UserWarning`. */
  readonly category: string;
  /** PyTorch's message, with API names in this package's spelling. */
  readonly message: string;
}

export type WarningHandler = (warning: SchedulerWarning) => void;

/** Messages already shown, by category (no string is built per warning: step(epoch) warns every call). */
const alreadyShown = new Map<string, Set<string>>();

/**
 * The default handler: shows each distinct message once (like Python's default warning filter),
 * through `process.emitWarning`, or `console.warn` where there is no `process`.
 */
export const defaultWarningHandler: WarningHandler = (warning) => {
  let shown = alreadyShown.get(warning.category);
  if (shown === undefined) alreadyShown.set(warning.category, (shown = new Set()));
  if (shown.has(warning.message)) return;
  shown.add(warning.message);
  const nodeProcess = (globalThis as { process?: { emitWarning?: (message: string, type: string) => void } }).process;
  if (nodeProcess?.emitWarning) nodeProcess.emitWarning(warning.message, warning.category);
  else console.warn(`${warning.category}: ${warning.message}`);
};

let currentHandler: WarningHandler = defaultWarningHandler;

/**
 * Replaces the warning handler; `null` restores the default. Returns the previous handler,
 * so a caller can put it back.
 */
export function setWarningHandler(handler: WarningHandler | null): WarningHandler {
  const previous = currentHandler;
  currentHandler = handler ?? defaultWarningHandler;
  return previous;
}

/** Emits a warning through the current handler. */
export function warn(message: string, category = 'UserWarning'): void {
  currentHandler({ category, message });
}

export const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. ' +
  'Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from ' +
  'undefined, the closed form is used instead of the new chainable form, where available. Please open an issue ' +
  'if you are unable to replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.';

export const GET_LR_OUTSIDE_STEP_WARNING =
  'To get the last learning rate computed by the scheduler, please use `getLastLr()`.';

export const STEP_BEFORE_OPTIMIZER_WARNING =
  'Detected call of `scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call ' +
  'them in the opposite order: `optimizer.step()` before `scheduler.step()`.  Failure to do this will result in ' +
  'PyTorch skipping the first value of the learning rate schedule. See more details at ' +
  'https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate';
