/**
 * The package as users get it: built (`npm run build`), packed by `npm pack`, and unpacked into
 * the node_modules of a throwaway project, next to links to this repository's copies of its
 * dependencies. Built and packed once per test process; the projects are removed at exit.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

export interface Packed {
  /** The tarball `npm pack` wrote. */
  readonly tarball: string;
  /** The files in it, relative to the package root (`dist/index.mjs`, `package.json`, ...). */
  readonly files: readonly string[];
}

export interface UserProject {
  /** The project directory (run commands and bundlers here). */
  readonly dir: string;
  /** `node_modules/tfjs-lr-scheduler` inside it. */
  readonly packageDir: string;
}

/** An executable of this repository's dev dependencies (`node_modules/.bin/NAME`). */
export function devBin(name: string): string {
  return join(ROOT, 'node_modules', '.bin', name);
}

/** Runs a command, throwing its output when it fails. */
export function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: ROOT, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${String(result.stdout)}${String(result.stderr)}`);
  }
  return String(result.stdout);
}

let scratch: string | undefined;

/** A fresh directory under one temporary folder that is removed when the process exits. */
export function scratchDir(name: string): string {
  if (scratch === undefined) {
    const made = mkdtempSync(join(tmpdir(), 'tfjs-lr-scheduler-spec-'));
    scratch = made;
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  const dir = mkdtempSync(join(scratch, `${name}-`));
  return dir;
}

let packed: Packed | undefined;

/**
 * A file no build writes, put into dist/ before the build, as an earlier build's leftovers would
 * be: the build (tsdown's `clean`) must remove it, or it would be packed.
 */
export const STALE_FILE = 'dist/stale-from-an-earlier-build.mjs';

/** Builds (as `npm run build` does) and packs the package (once per process). */
export function packedPackage(): Packed {
  if (packed === undefined) {
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    writeFileSync(join(ROOT, STALE_FILE), 'export const stale = true;\n');
    run(devBin('tsdown'), ['--log-level', 'error']);
    const destination = scratchDir('pack');
    const [report] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination])) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    packed = { tarball: join(destination, report.filename), files: report.files.map((file) => file.path).sort() };
  }
  return packed;
}

/**
 * A project with the packed package installed. `withTfjs` links this repository's
 * `@tensorflow/*` packages into it; without it the project has no tfjs at all.
 */
export function userProject(name: string, { withTfjs }: { withTfjs: boolean }): UserProject {
  const { tarball } = packedPackage();
  const dir = scratchDir(name);
  const modules = join(dir, 'node_modules');
  const packageDir = join(modules, 'tfjs-lr-scheduler');
  mkdirSync(packageDir, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
  const links = ['asciichart', 'fflate', ...(withTfjs ? ['@tensorflow'] : [])];
  for (const link of links) symlinkSync(join(ROOT, 'node_modules', link), join(modules, link), 'dir');
  return { dir, packageDir };
}
