/**
 * Reads the CLI's CONFIG argument (a JSON file, or inline JSON) into a plot configuration: the
 * `fromConfig` sections plus `steps` or an explicit `ops` list. Every problem is a `CliError`
 * whose one-line message names the place: `file.json:7:18: schedulers[1].args.gamma: ...`.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { ScheduleConfig } from '../config/from-config';
import { suggestion } from '../options';
import { decodeFloat } from '../state/encoding';
import { describeValue } from '../state/state-reader';
import { grouped, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH, MAX_STEPS } from './limits';

/** A user error: printed as one line, no stack trace, exit status 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** One operation of an explicit `ops` list (the subset of the conformance format a plot needs). */
export type PlotOp = { op: 'optimizer_step' } | { op: 'step'; epoch?: number; metrics?: number; target?: string };

export interface PlotConfig {
  /** The configuration as parsed, handed to `fromConfig`. */
  schedule: ScheduleConfig;
  /** The ops of the file's `ops` list, or `null`: run `steps` step() calls. */
  ops: PlotOp[] | null;
  /** How many step() calls without `ops` (`--steps`, else the file's `steps`); `undefined`: the schedule's own length, else 100. */
  steps: number | undefined;
  /** Whether the ops came from the file (`true`) or from `steps` (`false`). */
  explicitOps: boolean;
}

/** The top-level keys of a configuration (`description` is free text, ignored). */
export const CONFIG_KEYS = ['optimizer', 'schedulers', 'driver', 'steps', 'ops', 'description'];

/** The source of a configuration: its text and the name to show in messages. */
export interface ConfigSource {
  text: string;
  name: string;
}

const tooLarge = (name: string, bytes: number): CliError =>
  new CliError(`${name}: the configuration has ${grouped(bytes)} bytes, more than the ${grouped(MAX_CONFIG_BYTES)} a configuration may have`);

/**
 * `{...}` is inline JSON; anything else is a file path. Only a regular file is read (not a FIFO, a
 * device such as /dev/zero, or a directory), and only up to MAX_CONFIG_BYTES.
 */
export function readConfigSource(argument: string): ConfigSource {
  if (argument.trimStart().startsWith('{')) {
    if (argument.length > MAX_CONFIG_BYTES) throw tooLarge('<inline>', Buffer.byteLength(argument));
    return { text: argument, name: '<inline>' };
  }
  let fd: number | undefined;
  try {
    const stats = statSync(argument);
    if (stats.isDirectory()) throw new CliError(`${argument}: cannot read the configuration: is a directory`);
    if (!stats.isFile()) throw new CliError(`${argument}: cannot read the configuration: not a regular file`);
    if (stats.size > MAX_CONFIG_BYTES) throw tooLarge(argument, stats.size);
    fd = openSync(argument, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_CONFIG_BYTES) throw tooLarge(argument, size);
    // One byte more than the limit: a file that grew after the check is still caught.
    const buffer = Buffer.alloc(Math.min(size, MAX_CONFIG_BYTES) + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_CONFIG_BYTES) throw tooLarge(argument, length);
    return { text: buffer.toString('utf8', 0, length), name: argument };
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new CliError(`${argument}: cannot read the configuration: ${reason}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Rejects JSON nested deeper than MAX_CONFIG_DEPTH (checked without recursion), naming the path
 * where the limit is crossed.
 */
export function checkDepth(parsed: unknown): void {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value: parsed, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop() as { value: unknown; depth: number; path: string };
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_CONFIG_DEPTH) {
      throw new ConfigPlaceError(path, `nests more than ${MAX_CONFIG_DEPTH} levels deep (a schedule configuration needs about 6)`);
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: depth + 1, path: `${path}[${i}]` });
    } else {
      for (const key of Object.keys(value)) {
        stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, path: path === '' ? key : `${path}.${key}` });
      }
    }
  }
}

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** `JSON.parse`, with syntax errors reported as `name:line:column: invalid JSON: ...`. */
export function parseJson(source: ConfigSource): unknown {
  try {
    return JSON.parse(source.text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : /end of JSON input/.test(message) ? source.text.length : undefined;
    const reason = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    if (offset === undefined) throw new CliError(`${source.name}: invalid JSON: ${reason}`);
    const { line, column } = lineColumn(source.text, offset);
    throw new CliError(`${source.name}:${line}:${column}: invalid JSON: ${reason}`);
  }
}

/**
 * The character offset of every value in a valid JSON text, keyed by the path `fromConfig` uses in
 * its messages (`schedulers[1].args.gamma`, `optimizer.groups[0].lr`; the root is `''`).
 */
export function jsonValueOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    skipSpace();
    offsets.set(path, i);
    const c = text[i];
    if (c === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        const key = readString();
        skipSpace();
        i++; // ':'
        value(path === '' ? key : `${path}.${key}`);
        skipSpace();
        if (text[i++] === '}') return;
      }
    }
    if (c === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        value(`${path}[${index}]`);
        skipSpace();
        if (text[i++] === ']') return;
      }
    }
    if (c === '"') {
      readString();
      return;
    }
    while (i < text.length && !',]} \t\r\n'.includes(text[i])) i++;
  };
  value('');
  return offsets;
}

/**
 * `name:line:column` of the value at `path` (or of its closest enclosing value), for a path as in
 * `ConfigError.path` (which may end with a description: `schedulers[1] (StepLR "s")`).
 */
export function locate(source: ConfigSource, path: string): string {
  let offsets: Map<string, number>;
  try {
    offsets = jsonValueOffsets(source.text);
  } catch {
    return source.name;
  }
  let candidate = path.split(' ')[0];
  while (candidate !== '') {
    const offset = offsets.get(candidate);
    if (offset !== undefined) {
      const { line, column } = lineColumn(source.text, offset);
      return `${source.name}:${line}:${column}`;
    }
    const cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
    candidate = cut > 0 ? candidate.slice(0, cut) : '';
  }
  return source.name;
}

function decodeNumber(raw: unknown, path: string): number {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? decodeFloat(raw) : undefined;
  if (value === undefined) throw new ConfigPlaceError(path, `must be a number (or "inf", "-inf", "nan"), got ${describeValue(raw)}`);
  return value;
}

/** A problem at a path of the configuration; the CLI turns it into `name:line:column: path: message`. */
export class ConfigPlaceError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'ConfigPlaceError';
  }
}

/**
 * Validates the top-level keys and the plot-specific ones (`steps`, `ops`) of a parsed
 * configuration; `fromConfig` checks the rest.
 */
export function toPlotConfig(parsed: unknown, stepsOverride: number | undefined): PlotConfig {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigPlaceError('config', `must be a JSON object with "optimizer" and "schedulers", got ${describeValue(parsed)}`);
  }
  checkDepth(parsed);
  for (const key of Object.keys(parsed)) {
    if (!CONFIG_KEYS.includes(key)) {
      throw new ConfigPlaceError(key, `unknown key (expected one of: ${CONFIG_KEYS.join(', ')})${suggestion(key, CONFIG_KEYS)}`);
    }
  }
  const schedule = parsed as ScheduleConfig;
  if (schedule.description !== undefined && typeof schedule.description !== 'string') {
    throw new ConfigPlaceError('description', `must be a string, got ${describeValue(schedule.description)}`);
  }
  const rawOps = schedule.ops;
  if (rawOps !== undefined) {
    if (schedule.steps !== undefined) throw new ConfigPlaceError('steps', 'give either "steps" or "ops", not both');
    if (stepsOverride !== undefined) throw new CliError('--steps cannot be used with a configuration that lists "ops"');
    if (!Array.isArray(rawOps)) throw new ConfigPlaceError('ops', `must be an array, got ${describeValue(rawOps)}`);
    if (rawOps.length > MAX_STEPS) throw new ConfigPlaceError('ops', `has ${grouped(rawOps.length)} operations, more than the ${grouped(MAX_STEPS)} a plot runs`);
    const ids = new Set(Array.isArray(schedule.schedulers) ? schedule.schedulers.map((s) => (s as { id?: unknown })?.id) : []);
    const ops = rawOps.map((raw, i): PlotOp => {
      const path = `ops[${i}]`;
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigPlaceError(path, `must be an object, got ${describeValue(raw)}`);
      const record = raw as Record<string, unknown>;
      if (record.op === 'optimizer_step') return { op: 'optimizer_step' };
      if (record.op !== 'step') {
        throw new ConfigPlaceError(`${path}.op`, `must be "step" or "optimizer_step" (the operations a plot runs), got ${describeValue(record.op)}`);
      }
      const op: PlotOp = { op: 'step' };
      for (const key of Object.keys(record)) {
        if (key === 'op') continue;
        if (key === 'epoch' || key === 'metrics') op[key] = decodeNumber(record[key], `${path}.${key}`);
        else if (key === 'target') {
          if (!ids.has(record.target)) throw new ConfigPlaceError(`${path}.target`, `unknown scheduler id ${describeValue(record.target)}`);
          op.target = record.target as string;
        } else throw new ConfigPlaceError(`${path}.${key}`, 'unknown key (a "step" op takes "epoch", "metrics", "target")');
      }
      return op;
    });
    return { schedule, ops, steps: undefined, explicitOps: true };
  }
  let steps: number | undefined;
  if (stepsOverride !== undefined) steps = stepsOverride;
  else if (schedule.steps !== undefined) {
    const raw = schedule.steps;
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > MAX_STEPS) {
      throw new ConfigPlaceError('steps', `must be an integer from 0 to ${grouped(MAX_STEPS)}, got ${describeValue(raw)}`);
    }
    steps = raw;
  }
  return { schedule, ops: null, steps, explicitOps: false };
}
