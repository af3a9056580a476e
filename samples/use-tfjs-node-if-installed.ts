/**
 * Registers @tensorflow/tfjs-node's native backend when it is installed (it cannot be installed on
 * machines that cannot reach its libtensorflow download); otherwise tfjs's pure-JavaScript CPU
 * backend runs. Both share one engine and the same optimizer classes, so the samples import
 * `@tensorflow/tfjs` either way.
 */
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@tensorflow/tfjs-node');
} catch {
  // not installed: the CPU backend of @tensorflow/tfjs
}

export {};
