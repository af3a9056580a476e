#!/usr/bin/env node
/** The `tfjs-lr-scheduler` executable: runs `main()` on the process's arguments and streams. */
import { main } from './main';

const stdout = process.stdout;
process.exitCode = main(process.argv.slice(2), {
  stdout: (text) => stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  columns: stdout.isTTY ? stdout.columns : undefined,
  color: stdout.isTTY === true && process.env.NO_COLOR === undefined,
});

// An ES module: without an export, the bundler takes a file of this "type": "commonjs" package for
// CommonJS, and wraps every module it imports in a lazy initializer (which defeats tree-shaking).
export {};
