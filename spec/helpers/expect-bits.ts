/**
 * The one bit-exact comparison of the specs: two numbers match when they are the same IEEE-754
 * double (NaN matches NaN, 0 does not match -0).
 */
import { expect } from 'chai';

/** The relative tolerance for values that are documented as approximate (never loosened to pass). */
export const RELATIVE_TOLERANCE = 1e-12;

export function sameDouble(a: number, b: number): boolean {
  return Object.is(a, b);
}

/** Asserts `actual` equals `expected` bit for bit, element by element. */
export function expectBits(actual: readonly number[], expected: readonly number[], what = 'values'): void {
  expect(actual.length, `${what}: length`).to.equal(expected.length);
  actual.forEach((value, i) => {
    if (!sameDouble(value, expected[i])) {
      expect.fail(`${what}[${i}]: expected ${String(expected[i])} bit for bit, got ${String(value)}`);
    }
  });
}

/** Asserts a single number equals `expected` bit for bit. */
export function expectSameDouble(actual: number, expected: number, what = 'value'): void {
  if (!sameDouble(actual, expected)) expect.fail(`${what}: expected ${String(expected)} bit for bit, got ${String(actual)}`);
}
