/**
 * The errors of `tfjs-lr-scheduler/torch`. Every one is an `LRSchedulerError`, so one `catch`
 * covers the whole package; `code` says what kind of problem it is.
 */
import { LRSchedulerError } from '../errors';

/**
 * What went wrong with a torch file:
 * - `format`: not a torch.save file, or a damaged one (bad zip structure, missing record, bad pickle);
 * - `truncated`: the bytes end early (a record, a string, a storage is cut off);
 * - `refused`: the pickle asks for something `torch.load(weights_only=True)` refuses (a global such
 *   as `os.system`, an opcode outside its list); nothing was executed;
 * - `unsupported`: allowed by `torch.load(weights_only=True)` but not readable here (sparse or
 *   quantized tensors, complex numbers, ...);
 * - `limit`: a size, depth or count beyond the reader's limits (see `ReadTorchFileOptions`);
 * - `value`: `writeTorchFile` was given a value it cannot write.
 */
export type TorchFileErrorCode = 'format' | 'truncated' | 'refused' | 'unsupported' | 'limit' | 'value';

/** A torch file that cannot be read, or a value that cannot be written as one. */
export class TorchFileError extends LRSchedulerError {
  static override readonly errorName: string = 'TorchFileError';

  readonly code: TorchFileErrorCode;

  constructor(code: TorchFileErrorCode, message: string) {
    super(message, code === 'value' ? 'TypeError' : 'UnpicklingError');
    this.code = code;
  }
}
