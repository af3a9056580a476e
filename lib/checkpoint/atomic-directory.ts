/**
 * Crash-safe replacement of a checkpoint directory: the new files are written into a temporary
 * sibling directory and flushed to disk; only then is the previous checkpoint moved aside and the
 * new one renamed into place. A process killed at any moment leaves either the previous complete
 * checkpoint or the new complete one (`readableCheckpointDirectory` finds whichever exists).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Where the previous checkpoint waits while the new one is renamed into place. */
export function previousDirectory(dir: string): string {
  return `${resolve(dir)}.previous`;
}

/** Writes `data` to `path` and flushes it to disk before returning. */
export function writeFileDurably(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.byteLength) written += writeSync(fd, bytes, written, bytes.byteLength - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDirectory(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot open or fsync a directory; the renames are still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Calls `write(temporaryDirectory)` to fill a new directory, then replaces `dir` with it. If
 * `write` throws, the temporary directory is removed and `dir` is untouched.
 */
export async function replaceDirectory(dir: string, write: (temporary: string) => Promise<void>): Promise<void> {
  const target = resolve(dir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const temporary = join(parent, `${basename(target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(temporary);
  try {
    await write(temporary);
    syncDirectory(temporary);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  const previous = previousDirectory(target);
  if (existsSync(target)) {
    // A `.previous` left by an interrupted save is older than `target`, which is complete.
    rmSync(previous, { recursive: true, force: true });
    renameSync(target, previous);
  }
  renameSync(temporary, target);
  syncDirectory(parent);
  rmSync(previous, { recursive: true, force: true });
  removeStalePartials(target);
}

/** Removes `.partial-*` directories of saves that were killed (only those of dead processes). */
function removeStalePartials(target: string): void {
  const prefix = `${basename(target)}.partial-`;
  for (const name of readdirSync(dirname(target))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(dirname(target), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The directory holding the latest complete checkpoint: `dir` itself, or, when a save was killed
 * between moving the previous checkpoint aside and renaming the new one into place, `dir.previous`.
 */
export function readableCheckpointDirectory(dir: string, manifestName: string): string | undefined {
  const target = resolve(dir);
  if (existsSync(join(target, manifestName))) return target;
  const previous = previousDirectory(target);
  if (existsSync(join(previous, manifestName))) return previous;
  return undefined;
}
