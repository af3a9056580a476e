/** Whether `python3` can import torch: specs that need real PyTorch skip with one line without it, except under CI=true. */
import { spawnSync } from 'node:child_process';

let available: boolean | undefined;

export function torchAvailable(): boolean {
  available ??= spawnSync('python3', ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
  return available;
}

/** In a mocha `before`: skip the suite (one line) when torch is missing, fail under CI=true. */
export function requireTorch(context: Mocha.Context): void {
  if (torchAvailable()) return;
  if (process.env.CI === 'true') throw new Error('python3 cannot import torch, but CI=true: .ci/run installs it from the torch 2.13 wheel');
  console.log('    (skipped: python3 cannot import torch)');
  context.skip();
}
