/**
 * Prints, per reference table, how often pymath and plain Math.* agree bit for bit with
 * CPython 3.11 / glibc 2.36.  Run: npx tsx spec/math/agreement.ts
 */
import { slowPathCalls } from '../../lib/math/mp';
import { compareTable, loadTable, NAIVE, PYMATH, TABLE_NAMES } from './fixtures';

const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(3)}%`.padStart(9);

console.log(
  `${'table'.padEnd(13)}${'cases'.padStart(7)}  ${'pymath'.padStart(9)} ${'Math.*'.padStart(9)}  differ  glibc-not-CR  slow-path`,
);
let total = 0;
let totalOurs = 0;
let totalNaive = 0;
for (const name of TABLE_NAMES) {
  const table = loadTable(name);
  const n = table.cases.length;
  slowPathCalls.count = 0;
  const ours = compareTable(table, PYMATH[table.fn]);
  const slow = slowPathCalls.count;
  const naive = compareTable(table, NAIVE[table.fn]);
  const explained = ours.disagreements.filter((d) => d.glibcNotCorrectlyRounded).length;
  total += n;
  totalOurs += ours.agree;
  totalNaive += naive.agree;
  console.log(
    `${name.padEnd(13)}${String(n).padStart(7)}  ${pct(ours.agree, n)} ${pct(naive.agree, n)}  ${String(
      ours.disagreements.length,
    ).padStart(6)}  ${String(table.notCorrectlyRounded.length).padStart(12)}  ${String(slow).padStart(9)}` +
      (explained !== ours.disagreements.length ? `  (${ours.disagreements.length - explained} unexplained!)` : ''),
  );
}
console.log(`${'all'.padEnd(13)}${String(total).padStart(7)}  ${pct(totalOurs, total)} ${pct(totalNaive, total)}`);
console.log(
  '\ndiffer: pymath disagreements; glibc-not-CR: cases where glibc is not correctly rounded (mpmath);\n' +
    'slow-path: calls that needed the BigInt evaluation.',
);
