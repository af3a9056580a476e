/**
 * The package's entry points, read from package.json (its `exports` and `bin` are the one list):
 * every `./dist/X.mjs` target is built from `lib/X.ts`, and every `require` target `./dist/X.cjs`
 * is a CommonJS shim over `./dist/X.mjs`. Adding a subpath export is adding its block to `exports`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

type ExportTarget = string | null | { [condition: string]: ExportTarget };

interface PackageJson {
  name: string;
  exports: Record<string, ExportTarget>;
  bin?: Record<string, string>;
}

export interface PackageEntry {
  /** The subpath (`.`, `./checkpoint`) or, for an executable, `bin:<name>`. */
  readonly subpath: string;
  /** The condition chain leading to the target, e.g. `['import']`, `['browser', 'default']`. */
  readonly conditions: readonly string[];
  /** The target inside the package, e.g. `./dist/index.mjs`. */
  readonly target: string;
}

export function readPackageJson(): PackageJson {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
}

/** Every target of `exports` (and `bin`), with the conditions that select it. */
export function packageEntries(pkg: PackageJson = readPackageJson()): PackageEntry[] {
  const entries: PackageEntry[] = [];
  const visit = (subpath: string, conditions: string[], target: ExportTarget): void => {
    if (typeof target === 'string') entries.push({ subpath, conditions, target });
    else if (target !== null) for (const [condition, inner] of Object.entries(target)) visit(subpath, [...conditions, condition], inner);
  };
  for (const [subpath, target] of Object.entries(pkg.exports)) visit(subpath, [], target);
  for (const [name, target] of Object.entries(pkg.bin ?? {})) entries.push({ subpath: `bin:${name}`, conditions: [], target });
  return entries;
}

const ESM_TARGET = /^\.\/dist\/(.+)\.mjs$/;
const CJS_TARGET = /^\.\/dist\/(.+)\.cjs$/;

/** The sources to build: `lib/X.ts` for each `./dist/X.mjs` target, keyed by output name `X`. */
export function buildEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const { target } of packageEntries()) {
    const name = ESM_TARGET.exec(target)?.[1];
    if (name !== undefined) entries[name] = `lib/${name}.ts`;
  }
  return entries;
}

/** The `.d.mts` files under `dir`, relative to it. */
function declarationFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) return declarationFiles(dir, path);
    return entry.name.endsWith('.d.mts') ? [path] : [];
  });
}

/**
 * Writes the CommonJS side of the package. `dist/X.cjs`, for each `require` target, loads the ES
 * module `dist/X.mjs` with require() (Node 20.19+), so `require` and `import` share one copy of the
 * module state. Every `.d.mts` gets a `.d.cts` twin (the same declarations, importing `.cjs`
 * twins), which TypeScript's CommonJS resolutions (node10, node16) read: a `.d.cts` that
 * re-exported the `.d.mts` would be a CommonJS file importing an ES module, an error under node16.
 */
export function writeCommonJsShims(outDir = join(ROOT, 'dist')): string[] {
  const written: string[] = [];
  for (const { target } of packageEntries()) {
    const name = CJS_TARGET.exec(target)?.[1];
    if (name === undefined) continue;
    const esm = `./${name.split('/').pop() as string}.mjs`;
    writeFileSync(
      join(outDir, `${name}.cjs`),
      `'use strict';\n// The ES module itself, loaded by require(): one module state for require and import.\nmodule.exports = require('${esm}');\n`,
    );
    written.push(`${name}.cjs`);
  }
  for (const file of declarationFiles(outDir)) {
    const declarations = readFileSync(join(outDir, file), 'utf8');
    const twin = declarations.replace(/((?:from|import)\s*\(?\s*)(["'])(\.\.?\/[^"']+)\.mjs\2/g, '$1$2$3.cjs$2');
    writeFileSync(join(outDir, file.replace(/\.d\.mts$/, '.d.cts')), twin);
  }
  return written;
}
