/**
 * The build: the ES modules of lib/, one file per source file (so bundlers drop what an app does
 * not import), with their declarations and source maps; then a CommonJS shim per `require` target.
 * The entries come from package.json's `exports` and `bin` (scripts/package-entries.ts).
 */
import { chmodSync } from 'node:fs';
import { defineConfig } from 'tsdown';
import { buildEntries, readPackageJson, writeCommonJsShims } from './scripts/package-entries';

export default defineConfig({
  entry: buildEntries(),
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  unbundle: true,
  root: 'lib',
  outDir: 'dist',
  // Empty dist/ first (tsdown's default, stated): files an earlier build left would be packed.
  clean: true,
  fixedExtension: true,
  sourcemap: true,
  dts: { sourcemap: false },
  tsconfig: 'tsconfig.build.json',
  checks: { pluginTimings: false },
  deps: { neverBundle: [/^@tensorflow\//, /^node:/, 'asciichart', '@resvg/resvg-js'] },
  hooks: {
    'build:done': () => {
      writeCommonJsShims();
      for (const bin of Object.values(readPackageJson().bin ?? {})) chmodSync(bin, 0o755);
    },
  },
});
