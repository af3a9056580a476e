/**
 * Real PyTorch for the specs: whether `python3` has torch (specs that need it skip with one line
 * without it, except under CI=true), and one long-lived PyTorch process (fixtures/continue.py) that
 * every such spec sends its jobs to. It starts when this module is loaded, so importing torch
 * (seconds) overlaps the rest of the suite, and happens once; it ends with the test run.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

let available: boolean | undefined;

/** Whether `python3` finds the torch package (found, not imported: importing takes seconds, and continue.py does it once). */
export function torchAvailable(): boolean {
  available ??= spawnSync('python3', ['-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec("torch") is None)'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
  return available;
}

/** In a mocha `before`: skip the suite (one line) when torch is missing, fail under CI=true. */
export function requireTorch(context: Mocha.Context): void {
  if (torchAvailable()) return;
  if (process.env.CI === 'true') throw new Error('python3 cannot import torch, but CI=true: .ci/run installs it from the torch 2.13 wheel');
  console.log('    (skipped: python3 cannot import torch)');
  context.skip();
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

let worker: ChildProcessWithoutNullStreams | undefined;
let exited: string | undefined;
let stderr = '';
let nextId = 0;
const pending = new Map<number, Pending>();

function failAll(message: string): void {
  exited = message;
  for (const { reject } of pending.values()) reject(new Error(message));
  pending.clear();
}

function startWorker(): ChildProcessWithoutNullStreams {
  const child = spawn('python3', [join(__dirname, 'fixtures', 'continue.py')], { stdio: 'pipe' });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const answer = JSON.parse(line) as { id: number; result?: unknown; error?: string };
    const job = pending.get(answer.id);
    pending.delete(answer.id);
    if (answer.error !== undefined) job?.reject(new Error(`continue.py: ${answer.error}`));
    else job?.resolve(answer.result);
  });
  child.on('error', (error) => failAll(`continue.py could not start: ${error.message}`));
  child.on('exit', (code, signal) => failAll(`continue.py exited (${signal ?? code}): ${stderr}`));
  return child;
}

/** Runs one job of continue.py (`kind`: "continue" or "trainer") in the shared PyTorch process. */
export function torchJob<T>(kind: string, job: unknown): Promise<T> {
  worker ??= startWorker();
  if (exited !== undefined) return Promise.reject(new Error(exited));
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
    worker!.stdin.write(`${JSON.stringify({ id, kind, job })}\n`);
  });
}

// Start importing torch now, while the specs before the torch ones run; close its stdin (it then
// exits) after the whole run.
if (typeof after === 'function' && torchAvailable()) {
  worker = startWorker();
  after(() => worker?.stdin.end());
}
