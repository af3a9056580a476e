/**
 * `tfjs-lr-scheduler/torch`: read and write `torch.save` files (bytes in, bytes out; Node and
 * browsers), so a PyTorch run resumes here and a run trained here resumes in PyTorch.
 *
 * @example
 * import { readTorchFile, writeTorchFile, torchSchedulerState, loadTorchOptimizerState } from 'tfjs-lr-scheduler/torch';
 * const ckpt = readTorchFile<{ scheduler: TorchDict; optimizer: TorchDict }>(bytes);
 * scheduler.loadStateDict(ckpt.scheduler);
 */
export { readTorchFile, type ReadTorchFileOptions } from './read-torch-file';
export { writeTorchFile, type WriteTorchFileOptions } from './write-torch-file';
export { torchSchedulerState, FLOAT_KEYS } from './scheduler-state';
export {
  loadTorchOptimizerState,
  torchOptimizerState,
  type LoadTorchOptimizerStateOptions,
  type TorchParameter,
  type TorchParameterLike,
  type TfjsVariableLike,
} from './optimizer-state';
export {
  TorchTensor,
  Counter,
  PyFloat,
  pyFloat,
  tuple,
  isTuple,
  type TorchDtype,
  type TorchTensorData,
  type TorchTypedArray,
  type TorchValue,
  type TorchDict,
  type TorchKey,
} from './values';
export { TorchFileError, type TorchFileErrorCode } from './errors';
