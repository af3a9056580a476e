/**
 * The factor ranges of ConstantLR and LinearLR, as rules shared by their constructors and
 * `loadStateDict()`. PyTorch's own range checks let NaN through (every comparison with NaN is
 * false); these reject it, since a NaN factor can only produce NaN learning rates.
 */
import { numberRule } from '../state/rules';

/** (0, 1]: LinearLR's `start_factor`, and ConstantLR's `factor` (PyTorch accepts 0 there and divides by it later). */
export const POSITIVE_UNIT_FACTOR = numberRule('a number in (0, 1]', (n) => n > 0 && n <= 1);

/** [0, 1]: LinearLR's `end_factor`. */
export const UNIT_FACTOR = numberRule('a number in [0, 1]', (n) => n >= 0 && n <= 1);
