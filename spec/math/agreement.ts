/**
 * Prints, per reference table, how often pymath and plain Math.* agree bit for bit with CPython
 * (glibc's libm), and how many of the cases where glibc is not correctly rounded pymath
 * reproduces. Run: npx tsx spec/math/agreement.ts
 */
import { compareTable, loadTable, NAIVE, PYMATH, TABLE_NAMES } from './fixtures';

const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(3)}%`.padStart(9);

console.log(
  `${'table'.padEnd(10)}${'cases'.padStart(8)}  ${'pymath'.padStart(9)} ${'Math.*'.padStart(9)}  ${'differ'.padStart(
    6,
  )}  glibc-not-CR  reproduced`,
);
let total = 0;
let totalOurs = 0;
let totalNaive = 0;
for (const name of TABLE_NAMES) {
  const table = loadTable(name);
  const n = table.cases.length;
  const ours = compareTable(table, PYMATH[table.fn]);
  const naive = compareTable(table, NAIVE[table.fn]);
  const misrounded = table.cases.filter((c) => c.glibcNotCorrectlyRounded).length;
  const missed = ours.disagreements.filter((d) => d.glibcNotCorrectlyRounded).length;
  total += n;
  totalOurs += ours.agree;
  totalNaive += naive.agree;
  console.log(
    `${name.padEnd(10)}${String(n).padStart(8)}  ${pct(ours.agree, n)} ${pct(naive.agree, n)}  ${String(
      ours.disagreements.length,
    ).padStart(6)}  ${String(misrounded).padStart(12)}  ${String(misrounded - missed).padStart(10)}`,
  );
}
console.log(`${'all'.padEnd(10)}${String(total).padStart(8)}  ${pct(totalOurs, total)} ${pct(totalNaive, total)}`);
console.log(
  '\ndiffer: cases where pymath differs from CPython; glibc-not-CR: cases where glibc is not correctly\n' +
    'rounded (mpmath); reproduced: how many of those pymath returns exactly as glibc does.',
);
