// Writes thin ESM wrappers over the CommonJS build (dist/index.mjs, dist/checkpoint/index.mjs), so
// `import` and `require` share one copy of the module state (the registry, the warning handler).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);

/** [the CommonJS file, the wrapper to write], relative to this script. */
const ENTRIES = [
  ['../dist/index.js', '../dist/index.mjs'],
  ['../dist/checkpoint/index.js', '../dist/checkpoint/index.mjs'],
  ['../dist/torch/index.js', '../dist/torch/index.mjs'],
];

for (const [commonJs, wrapper] of ENTRIES) {
  const api = require(commonJs);
  const names = Object.keys(api).filter((name) => name !== 'default' && name !== '__esModule');
  const lines = [
    "import api from './index.js';",
    ...names.map((name) => `export const ${name} = api.${name};`),
    'export default api;',
    '',
  ];
  writeFileSync(new URL(wrapper, import.meta.url), lines.join('\n'));
  console.log(`${wrapper.replace('../', '')}: ${names.length} exports`);
}
