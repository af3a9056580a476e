/** Shared by the specs of lib/math's ports: checksums of their tables and fast/exact comparisons. */
import { createHash } from 'crypto';
import { expect } from 'chai';
import { OUT } from '../../lib/math/bits';
import { loadTable } from './fixtures';

/** SHA-256 of the doubles' IEEE bits as 16 lower-case hex digits, one per line (lib/math/gen-data.py). */
export function checksum(values: Float64Array): string {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let text = '';
  for (let i = 0; i < values.length; i++) {
    text += words[2 * i + 1].toString(16).padStart(8, '0') + words[2 * i].toString(16).padStart(8, '0') + '\n';
  }
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Runs fast (which writes OUT[0] and returns whether it decided) and exact on the arguments of
 * every case of a reference table, expecting the same result whenever fast decides, and returns
 * the share of cases fast decided. (The cases where glibc misrounds sit next to rounding
 * midpoints, where the fast paths' bounds leave the decision to the exact paths.)
 */
export function expectFastAgreesWithExact(
  table: string,
  fast: (args: number[]) => boolean,
  exact: (args: number[]) => number,
  accept: (args: number[]) => boolean = () => true,
): number {
  let decided = 0;
  let total = 0;
  for (const c of loadTable(table).cases) {
    if (!accept(c.args)) continue;
    total++;
    if (!fast(c.args)) continue;
    const got = OUT[0];
    decided++;
    const want = exact(c.args);
    if (!Object.is(got, want)) expect.fail(`${table}(${c.args.join(', ')}): fast path ${got}, exact path ${want}`);
  }
  return decided / total;
}
