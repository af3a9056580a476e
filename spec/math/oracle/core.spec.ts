import { expect } from 'chai';
import { crCosSin, crExp, crLog, crPow } from './core';
import { mpCosSin, mpExp, mpLog, mpPow, roundRatio } from './mp';

describe('the correctly rounded oracle (spec/math/oracle)', () => {
  // A deterministic generator so failures reproduce.
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };

  it('agrees with its BigInt evaluation on random exp, log, cos, sin and pow arguments', () => {
    for (let i = 0; i < 300; i++) {
      const x = (rnd() - 0.5) * 1400;
      expect(crExp(x), `exp(${x})`).to.equal(mpExp(x));
      const y = Math.exp((rnd() - 0.5) * 1400);
      expect(crLog(y), `log(${y})`).to.equal(mpLog(y));
      const c = (rnd() - 0.5) * 10 ** (rnd() * 9);
      expect(crCosSin(c, false), `cos(${c})`).to.equal(mpCosSin(c, false));
      expect(crCosSin(c, true), `sin(${c})`).to.equal(mpCosSin(c, true));
      const px = 1 + (rnd() - 0.5) * 2 ** -Math.floor(rnd() * 30);
      const py = ((rnd() - 0.5) * 600) / Math.abs(Math.log(px));
      if (px !== 1) expect(crPow(px, py), `pow(${px}, ${py})`).to.equal(mpPow(px, py));
    }
  });

  it('rounds exact integer-power midpoints to even (squares and cubes of odd integers)', () => {
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      const m2 = 2 * Math.floor(2 ** 25 + rnd() * 2 ** 25) + 1;
      const m3 = 2 * Math.floor(2 ** 16 + rnd() * 2 ** 16) + 1;
      const s = 2 ** Math.floor((rnd() - 0.5) * 40);
      for (const [m, n] of [
        [m2, 2],
        [m3, 3],
      ]) {
        const exact = roundRatio(BigInt(m) ** BigInt(n), 1n, Math.log2(s) * n);
        expect(crPow(m * s, n), `${m * s} ** ${n}`).to.equal(exact);
        checked++;
      }
    }
    expect(checked).to.equal(400);
  });
});
