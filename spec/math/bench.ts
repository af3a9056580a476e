/**
 * Rough cost of pymath against Math.* (CPU time per call, best of several runs).
 * Run: npx tsx spec/math/bench.ts   (numbers are noisy on a loaded machine)
 */
import * as pymath from '../../lib/math';

const N = 1_000_000;
const annealing = new Float64Array(N); // math.pi * t / T, as CosineAnnealingLR evaluates
const wide = new Float64Array(N);
const expArgs = new Float64Array(N);
const logArgs = new Float64Array(N);
for (let i = 0; i < N; i++) {
  const T = 100 + (i % 3) * 450;
  annealing[i] = (Math.PI * (i % T)) / T;
  wide[i] = (Math.random() - 0.5) * 2e4;
  expArgs[i] = Math.random() * 100 - 50;
  logArgs[i] = Math.random() * 100 + 0.5;
}

const cases: Array<[string, () => number, () => number]> = [
  ['cos, pi*t/T', () => { let s = 0; for (let i = 0; i < N; i++) s += Math.cos(annealing[i]); return s; },
    () => { let s = 0; for (let i = 0; i < N; i++) s += pymath.cos(annealing[i]); return s; }],
  ['cos, |x| < 1e4', () => { let s = 0; for (let i = 0; i < N; i++) s += Math.cos(wide[i]); return s; },
    () => { let s = 0; for (let i = 0; i < N; i++) s += pymath.cos(wide[i]); return s; }],
  ['exp', () => { let s = 0; for (let i = 0; i < N; i++) s += Math.exp(expArgs[i]); return s; },
    () => { let s = 0; for (let i = 0; i < N; i++) s += pymath.exp(expArgs[i]); return s; }],
  ['log', () => { let s = 0; for (let i = 0; i < N; i++) s += Math.log(logArgs[i]); return s; },
    () => { let s = 0; for (let i = 0; i < N; i++) s += pymath.log(logArgs[i]); return s; }],
  ['0.95 ** y', () => { let s = 0; for (let i = 0; i < N; i++) s += Math.pow(0.95, logArgs[i]); return s; },
    () => { let s = 0; for (let i = 0; i < N; i++) s += pymath.pow(0.95, logArgs[i]); return s; }],
];

function cpuNs(f: () => number): number {
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const u = process.cpuUsage();
    f();
    const d = process.cpuUsage(u);
    best = Math.min(best, ((d.user + d.system) * 1000) / N);
  }
  return best;
}

for (const [name, native, ours] of cases) {
  const a = cpuNs(native);
  const b = cpuNs(ours);
  console.log(`${name.padEnd(16)} Math ${a.toFixed(1).padStart(5)} ns   pymath ${b.toFixed(1).padStart(5)} ns   ${(b / a).toFixed(2)}x`);
}
