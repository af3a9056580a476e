import { expect } from 'chai';
import { glibcLog, LOG_TAB, logExact, logFast } from '../../lib/math/log';
import { checksum, expectFastAgreesWithExact } from './tables';

describe('log (glibc __ieee754_log_fma)', () => {
  it("carries glibc's __log_data.tab unchanged (checksum from lib/math/gen-data.py)", () => {
    expect(checksum(LOG_TAB)).to.equal('17f5ff2e3446b737056c4c3ff459954533f7e9ab2f6f89ad8baaa9b6c18d86d9');
  });

  it("has rows 1/c, log(c) with c inside the row's subinterval", () => {
    const f64 = new Float64Array(1);
    const i32 = new Int32Array(f64.buffer);
    /** The double whose high word is hi (low word 0). */
    const fromHigh = (hi: number): number => {
      i32[0] = 0;
      i32[1] = hi;
      return f64[0];
    };
    for (let i = 0; i < 128; i++) {
      // row i takes the z whose bits lie in OFF + [i, i + 1) 2^45, OFF = 0x3fe6000000000000
      const c = 1 / LOG_TAB[2 * i];
      expect(c, `row ${i}`).to.be.within(fromHigh(0x3fe60000 + i * 8192), fromHigh(0x3fe60000 + (i + 1) * 8192));
      expect(Math.abs(LOG_TAB[2 * i + 1] - Math.log(c)), `row ${i}`).to.be.below(1e-15);
    }
  });

  it('decides almost every table case on its fast path, always as the exact path does', () => {
    const decided = expectFastAgreesWithExact(
      'log',
      (a) => logFast(a[0]),
      (a) => logExact(a[0]),
    );
    expect(decided).to.be.above(0.98);
  });

  it("returns glibc's values at the edges: 0 at 1, -Infinity at 0, NaN below", () => {
    expect(Object.is(glibcLog(1), 0)).to.equal(true);
    expect(glibcLog(0)).to.equal(-Infinity);
    expect(glibcLog(-1)).to.be.NaN;
    expect(glibcLog(Infinity)).to.equal(Infinity);
    // recorded from CPython 3.11 / glibc 2.36
    expect(glibcLog(5e-324)).to.equal(-744.4400719213812);
    expect(glibcLog(0.9375)).to.equal(-0.06453852113757118);
  });
});
