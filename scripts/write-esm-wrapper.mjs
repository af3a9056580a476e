// Writes dist/index.mjs: a thin ESM wrapper over the CommonJS build, so `import` and `require`
// share one copy of the module state (the registry, the warning handler).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const api = require('../dist/index.js');
const names = Object.keys(api).filter((name) => name !== 'default' && name !== '__esModule');
const lines = [
  "import api from './index.js';",
  ...names.map((name) => `export const ${name} = api.${name};`),
  'export default api;',
  '',
];
writeFileSync(new URL('../dist/index.mjs', import.meta.url), lines.join('\n'));
console.log(`dist/index.mjs: ${names.length} exports`);
