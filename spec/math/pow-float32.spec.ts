import { expect } from 'chai';
import { pow } from '../../lib/math';
import { powFloat32 } from '../../lib/math/pow-float32';
import { random } from '../fuzz/target';
import { thrown } from '../helpers/errors';

describe('powFloat32', () => {
  it('rounds to the float32 of Python\'s x ** y for Adam-like betas and steps', () => {
    const next = random(17);
    for (let i = 0; i < 200_000; i++) {
      const beta = 0.5 + 0.5 * next();
      const step = 1 + Math.floor(next() * 50_000);
      const expected = Math.fround(pow(beta, step));
      const actual = Math.fround(powFloat32(beta, step));
      if (!Object.is(actual, expected)) expect.fail(`powFloat32(${beta}, ${step}) = ${actual}, float32 of pow: ${expected}`);
    }
  });

  it('defers to pow next to a float32 rounding boundary', () => {
    // x ** 2 for x just above the square root of a float32 midpoint: Math.pow and glibc may straddle it.
    let deferred = 0;
    for (let i = 0; i < 2000; i++) {
      const midpoint = 1 + (2 * i + 1) * 2 ** -24; // halfway between two float32 in [1, 2)
      const x = Math.sqrt(midpoint);
      expect(Math.fround(powFloat32(x, 2)), `x = ${x}`).to.equal(Math.fround(pow(x, 2)));
      const r = Math.pow(x, 2);
      if (Math.fround(r * (1 - 8 * 2 ** -53)) !== Math.fround(r * (1 + 8 * 2 ** -53))) deferred += 1;
    }
    expect(deferred, 'squares next to a midpoint, decided by pow').to.be.greaterThan(1000);
  });

  it('is pow for zero, subnormal, infinite and NaN results, and raises as pow does', () => {
    expect(powFloat32(0, 5)).to.equal(0);
    expect(powFloat32(0.5, 1074)).to.equal(pow(0.5, 1074));
    expect(Number.isNaN(powFloat32(Number.NaN, 3))).to.equal(true);
    expect(powFloat32(-0.5, 3)).to.equal(-0.125);
    expect(thrown(() => powFloat32(2, 5000)).pythonType).to.equal('OverflowError');
    expect(thrown(() => powFloat32(-0.5, 0.5)).pythonType).to.equal('ValueError');
  });
});
