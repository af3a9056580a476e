/**
 * What the Node module and the browser build of `tfjs-lr-scheduler/checkpoint` share: the format's
 * names and limits, and its error class (no Node built-ins here).
 */
import { LRSchedulerError } from '../errors';

export const CHECKPOINT_FORMAT = 'tfjs-lr-scheduler-checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 2;
export const MANIFEST_FILE = 'checkpoint.json';
/** The largest manifest (and model topology file) a checkpoint may have: 64 MiB. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * A checkpoint that cannot be written or read, or does not fit the objects it is loaded into. A
 * failed load changed nothing; a failed save left the previous checkpoint as it was.
 */
export class CheckpointError extends LRSchedulerError {
  static override readonly errorName: string = 'CheckpointError';

  /** The file or directory concerned, when there is one. */
  readonly path: string | undefined;
  /** The system error code (`ENOSPC`, `EROFS`, `EACCES`, ...) when a file-system call failed. */
  readonly code: string | undefined;

  constructor(message: string, details: { path?: string; code?: string; cause?: unknown } = {}) {
    super(message, details.code === undefined ? 'ValueError' : 'OSError');
    this.path = details.path;
    this.code = details.code;
    if (details.cause !== undefined) Object.defineProperty(this, 'cause', { value: details.cause, configurable: true, writable: true });
  }
}

