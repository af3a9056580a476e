/**
 * Fuzz target "generations": a reader polling `loadCheckpoint` (and now and then
 * `readCheckpointModelArtifacts`) while another process saves generation after generation into the
 * same directory, as an evaluator beside a trainer does. Every read must give one complete
 * generation: its `extra` and its scheduler state belong together. Accepted: a read that did.
 * Crash: a read that failed (no read may fail while a complete checkpoint exists). Partial: a read
 * that mixed two generations.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadCheckpoint, readCheckpointModelArtifacts, saveCheckpoint } from '../../lib/checkpoint';
import { FuzzFailure, recordInput, type FuzzTally, type FuzzTarget, type Outcome } from '../fuzz/target';
import { disposeRig, makeRig } from './fixtures/training';

function classify(error: unknown): { outcome: Outcome; detail: string } {
  if (error instanceof FuzzFailure) return { outcome: error.outcome, detail: error.message };
  return { outcome: 'crash', detail: `a read beside the writer failed: ${(error as Error)?.message ?? String(error)}` };
}

const target: FuzzTarget = {
  name: 'generations',
  inputs: 'reads beside a writer process',
  fullRuns: 20_000,
  sliceRuns: 0,
  async run(runs: number, tally: FuzzTally): Promise<void> {
    if (runs === 0) return; // a writer process takes seconds to start: npm test has spec/checkpoint/generations.spec.ts
    tf.setBackend('cpu');
    const root = mkdtempSync(join(tmpdir(), 'lr-generations-fuzz-'));
    const dir = join(root, 'polled');
    const reader = makeRig('adam', 100_000);
    // Each save's extra is its scheduler's lastEpoch (the writer trains one epoch per save).
    await saveCheckpoint(dir, { model: reader.model, scheduler: reader.scheduler, extra: { save: reader.scheduler.lastEpoch } });
    const writer = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'fixtures', 'save-loop.ts'), dir, '100000'], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    let exited = false;
    writer.on('exit', () => (exited = true));
    const generations = new Set<number>();
    try {
      // Reads count once the writer is saving (its process takes a few seconds to start).
      for (let waited = 0; (await loadCheckpoint(dir, { model: reader.model, scheduler: reader.scheduler })).generation < 2 && !exited; waited++) {
        if (waited > 600) throw new Error('the writer process saved nothing in 60 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (let read = 0; read < runs && !exited; read++) {
        await recordInput(
          tally,
          async (): Promise<Outcome> => {
            const loaded = await loadCheckpoint(dir, { model: reader.model, scheduler: reader.scheduler });
            if (reader.scheduler.lastEpoch !== (loaded.extra as { save: number }).save) throw new FuzzFailure('partial', 'a read mixed two generations');
            generations.add(loaded.generation);
            if (read % 10 === 0) readCheckpointModelArtifacts(dir);
            return 'accepted';
          },
          classify,
        );
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (exited) tally.record('crash', `the writer process ended early (exit ${writer.exitCode})`);
      tally.note('generations: distinct generations read', generations.size);
    } finally {
      writer.kill('SIGKILL');
      await new Promise((resolve) => (exited ? resolve(undefined) : writer.on('exit', resolve)));
      disposeRig(reader);
      rmSync(root, { recursive: true, force: true });
    }
  },
};

export default target;
