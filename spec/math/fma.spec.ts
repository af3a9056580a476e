import { expect } from 'chai';
import { fma } from '../../lib/math/fma';
import { roundRatio } from './oracle/mp';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** x = m 2^e exactly, m a signed integer. */
function decompose(x: number): [bigint, number] {
  f64[0] = x;
  const hi = u32[1];
  const biased = (hi >>> 20) & 0x7ff;
  let m = BigInt(hi & 0xfffff) * 4294967296n + BigInt(u32[0]);
  if (biased !== 0) m += 1n << 52n;
  const e = biased === 0 ? -1074 : biased - 1075;
  return [hi >>> 31 ? -m : m, e];
}

/** a * b + c rounded once, to nearest, ties to even, in exact rational arithmetic. */
function exactFma(a: number, b: number, c: number): number {
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const [mc, ec] = decompose(c);
  const e = Math.min(ea + eb, ec);
  const n = ((ma * mb) << BigInt(ea + eb - e)) + (mc << BigInt(ec - e));
  if (n === 0n) return a * b + c; // the sign of an exact zero follows IEEE's rules, as fma's does
  const r = roundRatio(n < 0n ? -n : n, 1n, e);
  return n < 0n ? -r : r;
}

describe('fma', () => {
  let seed = 11;
  const rnd = (): number => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const anyDouble = (): number => (rnd() - 0.5) * 2 ** Math.floor((rnd() - 0.5) * 160);

  it('rounds a * b + c once, like exact arithmetic, on random operands of any relative size', () => {
    for (let i = 0; i < 20000; i++) {
      const a = anyDouble();
      const b = anyDouble();
      const c = i % 3 === 0 ? anyDouble() : i % 3 === 1 ? -(a * b) * (1 + (rnd() - 0.5) * 2 ** -Math.floor(rnd() * 60)) : a * b * 2 ** Math.floor((rnd() - 0.5) * 120);
      expect(Object.is(fma(a, b, c), exactFma(a, b, c)), `fma(${a}, ${b}, ${c})`).to.equal(true);
    }
  });

  it('breaks the ties its two roundings would get wrong: sums within a product error of a midpoint', () => {
    // (1 + 2^-i)(1 + 2^-j) = 1 + 2^-i + 2^-j + 2^-(i+j): for i + j > 53 the last term decides
    // whether 1 + 2^-i + 2^-j + c lies above or below a rounding midpoint
    let differsFromTwoRoundings = 0;
    for (let i = 1; i < 54; i++) {
      for (let j = 1; j < 54; j++) {
        for (const c of [0, 1, -1, 0.5, -0.5, 2 ** -53, -(2 ** -53), 2 ** -54, -(2 ** -54), 2 ** -106, 3 * 2 ** -54]) {
          for (const sign of [1, -1]) {
            const a = 1 + 2 ** -i;
            const b = sign * (1 + 2 ** -j);
            const want = exactFma(a, b, sign * c);
            expect(Object.is(fma(a, b, sign * c), want), `fma(${a}, ${b}, ${sign * c})`).to.equal(true);
            if (a * b + sign * c !== want) differsFromTwoRoundings++;
          }
        }
      }
    }
    expect(differsFromTwoRoundings).to.be.greaterThan(500);
  });

  it('is exact when the result is: the error of a product, a cancelling sum', () => {
    const a = 0.1;
    const b = 0.7;
    const p = a * b;
    expect(fma(a, b, -p)).to.equal(exactFma(a, b, -p));
    expect(fma(a, b, -p)).to.not.equal(0);
    expect(fma(3, 5, -15)).to.equal(0);
    expect(fma(2 ** 30, 2 ** 30, 1)).to.equal(2 ** 60);
  });

  it("decides a small product next to a larger term by its shortcut, midpoints included (|a b| < |c| / 8)", () => {
    // random c, and a b near half of c's ulp, so that RN(a b) + c is often exactly a midpoint
    // while a b is not RN(a b): there the two roundings and the fused one part
    let midpoints = 0;
    let differsFromTwoRoundings = 0;
    for (let i = 0; i < 20000; i++) {
      const c = (rnd() < 0.5 ? -1 : 1) * (1 + rnd()) * 2 ** Math.floor((rnd() - 0.5) * 200);
      const halfUlp = Math.abs(c) * 2 ** -53 - ((Math.abs(c) * 2 ** -53) % 2 ** Math.floor(Math.log2(Math.abs(c)) - 53));
      const a = 1 + 2 ** -(27 + Math.floor(rnd() * 26));
      const target = i % 4 === 0 ? halfUlp * (1 + rnd()) * 2 ** Math.floor(rnd() * 40) : (i % 2 ? 1 : -1) * halfUlp * (1 + (i % 8 < 4 ? 0 : 2 ** -Math.floor(rnd() * 60)));
      const b = target / a;
      const p = a * b;
      if (!(Math.abs(p) < Math.abs(c) / 8)) continue;
      const s = p + c;
      const t = p - (s - c);
      if (t !== 0 && s + 2 * t - s === 2 * t) midpoints++;
      const want = exactFma(a, b, c);
      expect(Object.is(fma(a, b, c), want), `fma(${a}, ${b}, ${c})`).to.equal(true);
      if (s !== want) differsFromTwoRoundings++;
    }
    expect(midpoints).to.be.greaterThan(1000);
    expect(differsFromTwoRoundings).to.be.greaterThan(100);
  });
});
