// Steps one schedule for bench/instructions.ts, under callgrind: only the steps inside
// Array.prototype.findLast are counted (--toggle-collect=Builtins_ArrayPrototypeFindLast).
//   node [--jitless | --no-opt] bench/instructions-probe.js <config.json> <warm-up steps> <counted steps>
'use strict';
const { readFileSync } = require('node:fs');
const lib = require('../dist/index.cjs');
const { buildLambda } = require('../dist/config/lambdas.mjs');

const [configPath, warmArg, stepsArg] = process.argv.slice(2);
const { className, config } = JSON.parse(readFileSync(configPath, 'utf8'));
lib.setWarningHandler(() => {});
const lambdas = (value) => {
  if (Array.isArray(value)) return value.map(lambdas);
  if (typeof value !== 'object' || value === null) return value;
  if ('fn' in value) return buildLambda(value, (message) => { throw new Error(message); });
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, lambdas(item)]));
};
let virtual;
const built = lib.fromConfig(lambdas(config), { optimizer: (_kind, groups) => (virtual = new lib.VirtualOptimizer(groups)) });
virtual.step();
const driver = built.driver;
// Already boxed numbers (a generic array), as a loss the training loop holds.
const metrics = ['x'];
metrics.pop();
for (let n = 1; n <= 7; n++) metrics.push(1 / n);
const plateau = className === 'ReduceLROnPlateau';
function run(count) {
  if (plateau) for (let i = 0; i < count; i++) driver.step(metrics[i % 7]);
  else for (let i = 0; i < count; i++) driver.step();
}
run(Number(warmArg));
[0].findLast(() => {
  run(Number(stepsArg));
  return true;
});
