/**
 * Checkpoint generations: how a directory holds complete checkpoints while one writer replaces
 * them and readers read them.
 *
 * ```
 * <dir>/CURRENT                          names the current generation and its manifest's SHA-256
 * <dir>/g000000000007/                   generation 7: checkpoint.json and the data files, never changed
 * <dir>/g000000000006/                   the previous generation, kept for readers still on it
 * <dir>/.tmp-g000000000008-<pid>-<hex>/  a save in progress (process <pid>)
 * <dir>/.CURRENT-<pid>-<hex>             the next CURRENT, being written
 * <dir>/LOCK                             held by the process saving: {"pid", "hostname", "createdAt"}
 * <dir>/.LOCK-<pid>-<hex>                the next LOCK, being written
 * ```
 *
 * A save takes the lock, writes generation N+1 into a temporary directory and flushes every file,
 * renames it to `gN+1`, then replaces `CURRENT` by renaming a flushed new one over it (an atomic
 * step), and finally deletes every generation but the new and the previous one, and temporary
 * entries of processes that are gone. A process killed at any moment leaves `CURRENT` naming a
 * complete generation (the old or the new one); the next save cleans up after it.
 *
 * A reader reads `CURRENT`, opens the generation's manifest and every file it needs, and only then
 * reads them: once open, a file stays readable even if a writer deletes it. If a file has gone
 * because the writer moved on twice in between (the previous generation is only deleted by the
 * save after next), `CURRENT` has changed and the reader starts again with the new generation.
 *
 * Saves in one process into one directory are queued; a save while another process holds the lock
 * is rejected with a `CheckpointError` (one writer at a time).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { checkpointError, errorCode, fsCall, fsError, openRegularFile, readOpenFile, syncDirectory, writeFileDurably, type Operation } from './files';

export const POINTER_FILE = 'CURRENT';
export const LOCK_FILE = 'LOCK';
const GENERATION = /^g(\d{12})$/;
const TEMPORARY = /^\.tmp-g(\d{12})-(\d+)-[0-9a-f]{8}$/;
const TEMPORARY_POINTER = /^\.CURRENT-(\d+)-[0-9a-f]{8}$/;
const TEMPORARY_LOCK = /^\.LOCK-(\d+)-[0-9a-f]{8}$/;
const MAX_SMALL_FILE_BYTES = 4096;
/** How often a reader starts again because the writer replaced the generation it was opening. */
const MAX_READ_ATTEMPTS = 25;
/** A lock file that cannot be parsed is a save killed while creating it, once it is this old. */
const UNREADABLE_LOCK_STALE_MS = 60_000;

/** What `CURRENT` says: the current generation and the SHA-256 of its manifest file. */
export interface Generation {
  readonly number: number;
  readonly manifestSha256: string;
}

export function generationName(generation: number): string {
  return `g${String(generation).padStart(12, '0')}`;
}

/** The content of `CURRENT` for a generation (canonical: `parsePointer` accepts exactly this). */
export function pointerText(format: string, formatVersion: number, generation: Generation): string {
  return `${JSON.stringify({ format, formatVersion, generation: generation.number, manifestSha256: generation.manifestSha256 })}\n`;
}

function parsePointer(operation: Operation, path: string, text: string, format: string, formatVersion: number): Generation {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw checkpointError(operation, `${path} is damaged (not JSON)`, { path });
  }
  const record = value as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || record.format !== format) {
    throw checkpointError(operation, `${path} is not the CURRENT file of a ${format} directory`, { path });
  }
  if (record.formatVersion !== formatVersion) {
    throw checkpointError(operation, `format version ${String(record.formatVersion)} is not supported (this version reads ${formatVersion})`, { path });
  }
  const generation = { number: record.generation as number, manifestSha256: record.manifestSha256 as string };
  if (
    !Number.isSafeInteger(generation.number) ||
    generation.number < 1 ||
    typeof generation.manifestSha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(generation.manifestSha256) ||
    pointerText(format, formatVersion, generation) !== text
  ) {
    throw checkpointError(operation, `${path} is damaged`, { path });
  }
  return generation;
}

/** The generation `CURRENT` names, or `undefined` when there is no `CURRENT`. */
export function readPointer(operation: Operation, dir: string, format: string, formatVersion: number): Generation | undefined {
  const path = join(dir, POINTER_FILE);
  let file;
  try {
    file = openRegularFile(operation, path, 'the CURRENT file', { maxBytes: MAX_SMALL_FILE_BYTES });
  } catch (error) {
    if (errorCode((error as { cause?: unknown }).cause) === 'ENOENT') return undefined;
    throw error;
  }
  return parsePointer(operation, path, readOpenFile(operation, file, 'the CURRENT file').toString('utf8'), format, formatVersion);
}

/** Why `dir` holds no checkpoint: it does not exist, or it has no CURRENT (perhaps an older format). */
function noCheckpoint(operation: Operation, dir: string): Error {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return checkpointError(operation, 'no checkpoint there (the directory does not exist)', { path: dir, code: 'ENOENT' });
    return fsError(operation, 'read the directory', dir, error);
  }
  if (names.includes('checkpoint.json')) {
    return checkpointError(
      operation,
      'the directory holds a checkpoint of format version 1 (tfjs-lr-scheduler 0.1), which this version does not read: ' +
        'load it with 0.1 and save it again with this version',
      { path: dir },
    );
  }
  return checkpointError(operation, `no checkpoint there (no ${POINTER_FILE} file)`, { path: join(dir, POINTER_FILE), code: 'ENOENT' });
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown }).code ?? errorCode((error as { cause?: unknown }).cause);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Calls `read(generation, generationDirectory)` for the current generation. When `read` fails
 * because a file of that generation has gone and `CURRENT` has moved on, it starts again with the
 * new generation (`read` must open every file before it changes anything).
 */
export function readCurrentGeneration<T>(
  operation: Operation,
  dir: string,
  format: string,
  formatVersion: number,
  read: (generation: Generation, directory: string) => T,
): T {
  const root = resolve(dir);
  for (let attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
    const generation = readPointer(operation, root, format, formatVersion);
    if (generation === undefined) throw noCheckpoint(operation, root);
    try {
      return read(generation, join(root, generationName(generation.number)));
    } catch (error) {
      if (!isMissing(error)) throw error;
      const now = readPointer(operation, root, format, formatVersion);
      if (now === undefined || now.number === generation.number) throw error;
    }
  }
  throw checkpointError(operation, `the checkpoint was replaced ${MAX_READ_ATTEMPTS} times while it was being read`, { path: root });
}

/** Creates `dir` if needed; returns its real path (the key that serializes saves into it). */
export function ensureDirectory(operation: Operation, dir: string): string {
  const path = resolve(dir);
  fsCall(operation, 'create the directory', path, () => mkdirSync(path, { recursive: true }));
  const real = fsCall(operation, 'resolve the directory', path, () => realpathSync(path));
  if (!statSync(real).isDirectory()) throw checkpointError(operation, `${path} is not a directory`, { path });
  return real;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task queued on `key` has settled (saves into one directory, one at a time). */
export function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

/** Whether process `pid` is running (a zombie, killed but not yet reaped, is not). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
  try {
    // Linux: the state after the command name in /proc/<pid>/stat; "Z" is a zombie.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Whether a temporary entry is abandoned: its process is gone, or it is this process's own (saves
 * into one directory run one at a time, so an entry of ours left over is from a failed save).
 */
function abandoned(pid: number): boolean {
  return pid === process.pid || !isAlive(pid);
}

interface LockOwner {
  pid: number;
  /** The worker thread (0: the main thread): two threads of one process are two writers. */
  threadId: number;
  hostname: string;
  createdAt: string;
}

function readLock(operation: Operation, path: string): LockOwner | undefined {
  try {
    const file = openRegularFile(operation, path, 'the lock', { maxBytes: MAX_SMALL_FILE_BYTES });
    const owner = JSON.parse(readOpenFile(operation, file, 'the lock').toString('utf8')) as Partial<LockOwner> | null;
    return owner !== null && Number.isSafeInteger(owner.pid) && Number.isSafeInteger(owner.threadId) && typeof owner.hostname === 'string'
      ? (owner as LockOwner)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes `<dir>/LOCK`, or fails naming the process that holds it; a lock left by a process that is
 * gone is taken over. The lock appears complete or not at all: its content is written and flushed
 * into `.LOCK-<pid>-<hex>` first, then hard-linked as `LOCK` (which fails if `LOCK` exists), so a
 * process killed while taking the lock never leaves an empty one behind. Where the file system has
 * no hard links, `LOCK` is created exclusively and then written (an unreadable lock then counts as
 * stale once it is a minute old).
 */
function acquireLock(operation: Operation, dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, threadId, hostname: hostname(), createdAt: new Date().toISOString() };
  const content = JSON.stringify(owner);
  const next = join(dir, `.LOCK-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    writeLockContent(operation, path, next, content);
    for (let attempt = 0; ; attempt++) {
      const taken = takeLockFile(operation, path, next, content);
      if (taken) {
        return () => {
          try {
            unlinkSync(path);
          } catch {
            // A lock this process cannot remove is taken over by its next save (it names this pid).
          }
        };
      }
      const holder = readLock(operation, path);
      const stale = holder === undefined
        ? Date.now() - modifiedAt(path) > UNREADABLE_LOCK_STALE_MS
        : holder.hostname === owner.hostname && (holder.pid === process.pid ? holder.threadId === threadId : !isAlive(holder.pid));
      if (!stale || attempt > 0) {
        const who = holder === undefined ? 'a process that is still creating it' : `process ${holder.pid} on ${holder.hostname} since ${holder.createdAt}`;
        throw checkpointError(
          operation,
          `another save is writing into this directory (${path} is held by ${who}); one writer at a time. ` +
            `If no process is saving there, delete ${path}.`,
          { path },
        );
      }
      fsCall(operation, 'remove the stale lock', path, () => rmSync(path, { force: true }));
    }
  } finally {
    removeQuietly(next);
  }
}

/** Writes and flushes the lock's content into `next` (errors name the lock, which is what the user sees). */
function writeLockContent(operation: Operation, path: string, next: string, content: string): void {
  const fd = fsCall(operation, 'create the lock', path, () => openSync(next, 'wx'));
  try {
    fsCall(operation, 'write the lock', path, () => writeSync(fd, Buffer.from(content, 'utf8')));
    fsCall(operation, 'flush the lock', path, () => fsyncSync(fd));
  } finally {
    closeSync(fd);
  }
}

/** Links `next` as the lock (false when a lock exists); exclusive create and write where hard links are not supported. */
function takeLockFile(operation: Operation, path: string, next: string, content: string): boolean {
  try {
    linkSync(next, path);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw fsError(operation, 'create the lock', path, error);
  }
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw fsError(operation, 'create the lock', path, error);
  }
  let written = false;
  try {
    fsCall(operation, 'write the lock', path, () => writeSync(fd, Buffer.from(content, 'utf8')));
    written = true;
  } finally {
    closeSync(fd);
    if (!written) rmSync(path, { force: true });
  }
  return true;
}

/** When `path` was last modified (0 when it cannot be read). */
function modifiedAt(path: string): number {
  try {
    return lstatSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** What the directory holds, sorted into our entries and anything else. */
function survey(dir: string, operation: Operation): { generations: number[]; temporaries: Array<{ name: string; pid: number; generation?: number }>; others: string[] } {
  const names = fsCall(operation, 'read the directory', dir, () => readdirSync(dir));
  const generations: number[] = [];
  const temporaries: Array<{ name: string; pid: number; generation?: number }> = [];
  const others: string[] = [];
  for (const name of names) {
    const generation = GENERATION.exec(name);
    const temporary = TEMPORARY.exec(name);
    const pointer = TEMPORARY_POINTER.exec(name) ?? TEMPORARY_LOCK.exec(name);
    if (generation !== null) generations.push(Number(generation[1]));
    else if (temporary !== null) temporaries.push({ name, pid: Number(temporary[2]), generation: Number(temporary[1]) });
    else if (pointer !== null) temporaries.push({ name, pid: Number(pointer[1]) });
    else if (name !== POINTER_FILE && name !== LOCK_FILE) others.push(name);
  }
  return { generations, temporaries, others };
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Left for the next save (an open file on Windows, a permission problem).
  }
}

/**
 * Writes a new generation into `dir` (the real path from `ensureDirectory`) and makes it current:
 * `write(temporaryDirectory, generationNumber)` writes the files durably and returns the manifest's
 * SHA-256. Call it through `serialized(dir, ...)`.
 */
export async function writeGeneration(
  operation: Operation,
  dir: string,
  format: string,
  formatVersion: number,
  write: (temporary: string, generation: number) => Promise<string> | string,
): Promise<Generation> {
  const release = acquireLock(operation, dir);
  try {
    let current: Generation | undefined;
    let pointerDamaged = false;
    try {
      current = readPointer(operation, dir, format, formatVersion);
    } catch {
      // A damaged CURRENT does not block the next save, which replaces it; nothing is deleted then.
      pointerDamaged = true;
    }
    const { generations, temporaries, others } = survey(dir, operation);
    if (current === undefined && !pointerDamaged && others.length > 0) {
      if (others.includes('checkpoint.json')) {
        throw checkpointError(
          operation,
          'the directory holds a checkpoint of format version 1 (tfjs-lr-scheduler 0.1); save into another directory, or delete that one first',
          { path: dir },
        );
      }
      throw checkpointError(
        operation,
        `the directory is not empty and holds no checkpoint (it has ${JSON.stringify(others[0])}${others.length > 1 ? ` and ${others.length - 1} more` : ''}); ` +
          'save into a new or empty directory',
        { path: dir },
      );
    }
    const number = Math.max(current?.number ?? 0, ...generations, ...temporaries.map((t) => t.generation ?? 0)) + 1;
    const name = generationName(number);
    const temporary = join(dir, `.tmp-${name}-${process.pid}-${randomBytes(4).toString('hex')}`);
    fsCall(operation, 'create the directory', temporary, () => mkdirSync(temporary));
    let manifestSha256: string;
    try {
      manifestSha256 = await write(temporary, number);
      syncDirectory(temporary);
      fsCall(operation, 'rename', temporary, () => renameSync(temporary, join(dir, name)));
    } catch (error) {
      removeQuietly(temporary);
      throw error;
    }
    syncDirectory(dir);
    const generation: Generation = { number, manifestSha256 };
    const pointer = join(dir, `.CURRENT-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      writeFileDurably(operation, pointer, pointerText(format, formatVersion, generation));
      fsCall(operation, 'replace', join(dir, POINTER_FILE), () => renameSync(pointer, join(dir, POINTER_FILE)));
    } catch (error) {
      removeQuietly(pointer);
      removeQuietly(join(dir, name));
      throw error;
    }
    syncDirectory(dir);
    // Keep the new generation and the one readers may still be reading (without CURRENT: the newest
    // one found, which nothing names but which may be all that is left of a run); the rest is ours.
    const keep = current?.number ?? Math.max(0, ...generations);
    if (!pointerDamaged) for (const old of generations) if (old !== keep) removeQuietly(join(dir, generationName(old)));
    for (const entry of temporaries) if (abandoned(entry.pid)) removeQuietly(join(dir, entry.name));
    return generation;
  } finally {
    release();
  }
}
