import { expect } from 'chai';
import * as pymath from '../../lib/math';
import { cos, sin } from '../../lib/math/sin-cos';
import { SIN_COS_CASES } from './sin-cos-cases';

const view = new DataView(new ArrayBuffer(8));

function fromHex(hex: string): number {
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

function toHex(x: number): string {
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

/** The recorded [x, cos x, sin x] of one group, as doubles and as bits. */
function cases(group: string): Array<{ x: number; cos: string; sin: string }> {
  return SIN_COS_CASES[group]
    .trim()
    .split('\n')
    .map((line) => {
      const [x, c, s] = line.split(' ');
      return { x: fromHex(x), cos: c, sin: s };
    });
}

/** Mismatches of `fn` against the recorded bits, as readable lines. */
function mismatches(fn: (x: number) => number, group: string, which: 'cos' | 'sin'): string[] {
  const out: string[] = [];
  for (const c of cases(group)) {
    const got = toHex(fn(c.x));
    if (got !== c[which]) out.push(`${which}(${c.x}): libm ${fromHex(c[which])} (${c[which]}), got ${fromHex(got)} (${got})`);
  }
  return out;
}

const GROUPS: Record<string, string> = {
  known: 'inputs where glibc is not correctly rounded',
  dispatch: "every boundary of s_sin.c's dispatch, signed zeros and subnormals",
  table: "the table's rounding midpoints and do_sin's switch to its Taylor polynomial",
  multiples: 'doubles next to multiples of pi/2',
  reduction: "reduce_sincos's fused x * hpinv + toint on a midpoint",
  rare: 'the rare paths: fused sites on a midpoint, the exact evaluations',
  huge: 'huge arguments reduced by branred, up to 1.7e308',
  fused: "inputs where glibc's variant without fma returns other values",
  random: 'schedule arguments, [0, pi], [-1e6, 1e6] and random bit patterns',
};

describe('sin-cos: glibc __cos_fma and __sin_fma', () => {
  it('has the recorded groups', () => {
    expect(Object.keys(SIN_COS_CASES).sort()).to.deep.equal(Object.keys(GROUPS).sort());
    for (const group of Object.keys(GROUPS)) expect(cases(group).length, group).to.be.above(9);
  });

  for (const [group, what] of Object.entries(GROUPS)) {
    it(`returns libm's cos and sin bit for bit on ${what}`, () => {
      const wrong = [...mismatches(cos, group, 'cos'), ...mismatches(sin, group, 'sin')];
      expect(wrong, wrong.slice(0, 8).join('\n')).to.have.length(0);
    });
  }

  it('returns NaN for infinities and NaN, as x / x', () => {
    for (const x of [Infinity, -Infinity, NaN]) {
      expect(cos(x)).to.be.NaN;
      expect(sin(x)).to.be.NaN;
    }
  });

  it('keeps the sign of zero in sin and returns 1 for cos of zero', () => {
    expect(Object.is(sin(-0), -0)).to.equal(true);
    expect(Object.is(sin(0), 0)).to.equal(true);
    expect(cos(-0)).to.equal(1);
  });

  it('is what pymath.cos and pymath.sin return for finite arguments', () => {
    for (const group of ['dispatch', 'random']) {
      for (const c of cases(group)) {
        expect(toHex(pymath.cos(c.x)), `cos(${c.x})`).to.equal(c.cos);
        expect(toHex(pymath.sin(c.x)), `sin(${c.x})`).to.equal(c.sin);
      }
    }
  });
});
