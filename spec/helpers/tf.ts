/**
 * The tfjs the specs and samples run on: `@tensorflow/tfjs-node` when it is installed (it cannot be
 * installed on machines without access to its libtensorflow download), else `@tensorflow/tfjs` with
 * its pure-JavaScript CPU backend. Both expose the same API and the same optimizer classes.
 */
import type * as TfModule from '@tensorflow/tfjs';

function load(): typeof TfModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@tensorflow/tfjs-node') as typeof TfModule;
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@tensorflow/tfjs') as typeof TfModule;
  }
}

export const tf: typeof TfModule = load();
