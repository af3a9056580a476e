/**
 * The file operations of checkpoints, each failing with a `CheckpointError` that names the
 * operation, the path and the cause: reading only regular files (never a symbolic link, FIFO,
 * device, socket or directory), with their size checked before a byte is read; and durable writes
 * (flushed to disk before the write returns).
 */
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, readSync, writeSync, type Stats } from 'node:fs';
import { CheckpointError } from './format';

export { CheckpointError };

/** What a checkpoint operation was doing, for error messages: `saveCheckpoint("runs/a"): ...`. */
export interface Operation {
  readonly name: 'saveCheckpoint' | 'loadCheckpoint' | 'readCheckpointModelArtifacts';
  readonly dir: string;
}

export function checkpointError(operation: Operation, message: string, details: { path?: string; code?: string; cause?: unknown } = {}): CheckpointError {
  return new CheckpointError(`${operation.name}(${JSON.stringify(operation.dir)}): ${message}`, details);
}

const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'it does not exist',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ELOOP: 'it is a symbolic link',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the directory is not empty',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'an input/output error',
  EBUSY: 'it is busy',
};

/** The system error code of a Node error, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A file-system failure as a `CheckpointError`: `cannot write <path>: no space left on the device (ENOSPC)`. */
export function fsError(operation: Operation, action: string, path: string, error: unknown): CheckpointError {
  const code = errorCode(error);
  const reason = code === undefined ? String((error as Error)?.message ?? error) : `${REASONS[code] ?? (error as Error).message} (${code})`;
  return checkpointError(operation, `cannot ${action} ${path}: ${reason}`, { path, code, cause: error });
}

/** Runs a file-system call, turning its failure into a `CheckpointError`. */
export function fsCall<T>(operation: Operation, action: string, path: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw fsError(operation, action, path, error);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** An open regular file of known size. */
export interface OpenFile {
  readonly path: string;
  readonly fd: number;
  readonly size: number;
}

/** O_NOFOLLOW (no symbolic link at the last component) and O_NONBLOCK (a FIFO never blocks the open), where the platform has them. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Opens `path` for reading if it is a regular file of at most `maxBytes` bytes (and, when given,
 * exactly `expectedBytes`), checked with `lstat` before opening (so no device or FIFO is opened
 * through a path that names one) and with `fstat` after (what was opened). Fails with a
 * `CheckpointError` naming `what` and the path.
 */
export function openRegularFile(operation: Operation, path: string, what: string, limits: { maxBytes: number; expectedBytes?: number }): OpenFile {
  const before = fsCall(operation, `read ${what}`, path, () => lstatSync(path));
  if (!before.isFile()) throw checkpointError(operation, `${what} ${path} is ${kindOf(before)}, not a regular file`, { path });
  checkSize(operation, path, what, before.size, limits);
  const fd = fsCall(operation, `open ${what}`, path, () => openSync(path, READ_FLAGS));
  try {
    // Replaced between lstat and open (CURRENT is, by every save): what counts is what was opened.
    const after = fstatSync(fd);
    if (!after.isFile()) throw checkpointError(operation, `${what} ${path} is ${kindOf(after)}, not a regular file`, { path });
    checkSize(operation, path, what, after.size, limits);
    return { path, fd, size: after.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

function checkSize(operation: Operation, path: string, what: string, size: number, limits: { maxBytes: number; expectedBytes?: number }): void {
  if (limits.expectedBytes !== undefined && size !== limits.expectedBytes) {
    throw checkpointError(operation, `${what} ${path} is damaged: it has ${size} bytes, the manifest says ${limits.expectedBytes}`, { path });
  }
  if (size > limits.maxBytes) {
    throw checkpointError(operation, `${what} ${path} has ${size} bytes, more than the ${limits.maxBytes} a checkpoint allows there`, { path });
  }
}

/** Reads the whole of an open file (exactly its size), then closes it. */
export function readOpenFile(operation: Operation, file: OpenFile, what: string): Buffer {
  try {
    const data = Buffer.allocUnsafe(file.size);
    let offset = 0;
    while (offset < file.size) {
      const read = fsCall(operation, `read ${what}`, file.path, () => readSync(file.fd, data, offset, file.size - offset, offset));
      if (read === 0) throw checkpointError(operation, `${what} ${file.path} is damaged: it ended after ${offset} of ${file.size} bytes`, { path: file.path });
      offset += read;
    }
    return data;
  } finally {
    closeFile(file);
  }
}

export function closeFile(file: OpenFile): void {
  try {
    closeSync(file.fd);
  } catch {
    // Already closed.
  }
}

/** Creates `path` (which must not exist), writes `data` and flushes it to disk. */
export function writeFileDurably(operation: Operation, path: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = fsCall(operation, 'create', path, () => openSync(path, 'wx'));
  let failed = true;
  try {
    let written = 0;
    while (written < bytes.byteLength) {
      written += fsCall(operation, 'write', path, () => writeSync(fd, bytes, written, bytes.byteLength - written));
    }
    fsCall(operation, 'flush', path, () => fsyncSync(fd));
    failed = false;
  } finally {
    try {
      closeSync(fd);
    } catch (error) {
      // Some file systems report a failed write only when the file is closed.
      if (!failed) throw fsError(operation, 'close', path, error);
    }
  }
}

/** Flushes a directory's entries (renames, new files) to disk; a platform that cannot fsync a directory is tolerated. */
export function syncDirectory(path: string): void {
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
