/**
 * The recorded pass list: scenario ids that pass at tolerance 1e-12 and bit for bit. The spec
 * fails when one of them stops passing; `npm run conformance -- --record-passes` only ever adds.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PASS_LIST_FILE = join(__dirname, 'pass-list.json');

export interface PassList {
  /** Pass (or deviate as listed) at relative tolerance 1e-12. */
  tolerance1e12: string[];
  /** Pass bit for bit (tolerance 0). */
  bitIdentical: string[];
}

export function readPassList(): PassList {
  return JSON.parse(readFileSync(PASS_LIST_FILE, 'utf8')) as PassList;
}

/** Adds newly passing ids; never removes one. Returns how many were added. */
export function growPassList(tolerance1e12: readonly string[], bitIdentical: readonly string[]): number {
  const current = readPassList();
  const merged: PassList = {
    tolerance1e12: [...new Set([...current.tolerance1e12, ...tolerance1e12])].sort(),
    bitIdentical: [...new Set([...current.bitIdentical, ...bitIdentical])].sort(),
  };
  writeFileSync(PASS_LIST_FILE, `${JSON.stringify(merged, null, 2)}\n`);
  return merged.tolerance1e12.length - current.tolerance1e12.length + merged.bitIdentical.length - current.bitIdentical.length;
}
