import { expect } from 'chai';
import { glibcPow, POW_TAB, powExact, powFast } from '../../lib/math/pow';
import { checksum, expectFastAgreesWithExact } from './tables';

describe('pow (glibc __ieee754_pow_fma)', () => {
  it("carries glibc's __pow_log_data.tab unchanged (checksum from lib/math/gen-data.py)", () => {
    expect(checksum(POW_TAB)).to.equal('5f49cff75613d76b5a535875ec040c32b4e230e36a9483e6a62b82ce21ea8204');
  });

  it('has rows 1/c with at most 9 bits (so z/c - 1 is exact), log(c) on a 2^-43 grid, and its tail', () => {
    for (let i = 0; i < 128; i++) {
      const [invc, logc, tail] = POW_TAB.subarray(3 * i, 3 * i + 3);
      expect(Number.isInteger(invc * 256) && invc * 256 < 512, `row ${i}`).to.equal(true);
      expect(Number.isInteger(logc * 2 ** 43), `row ${i}`).to.equal(true);
      expect(Math.abs(logc + tail + Math.log(invc)), `row ${i}`).to.be.below(1e-16);
      expect(Math.abs(tail)).to.be.below(2 ** -43);
    }
  });

  it('decides almost every table case on its fast path, always as the exact path does', () => {
    const decided = expectFastAgreesWithExact(
      'pow',
      (a) => powFast(a[0], a[1]),
      (a) => powExact(a[0], a[1]),
      // glibc's pow proper: Python's ** settles the rest first; |y log x| < 512 avoids exp's specialcase
      (a) => a[0] > 0 && a[0] !== 1 && a[1] !== 0 && Number.isFinite(a[0] * a[1]) && Math.abs(a[1] * Math.log(a[0])) < 500,
    );
    expect(decided).to.be.above(0.95);
  });

  it("decides results in exp's specialcase range (512 <= |y log x| < 747) on its fast path too, as the exact path does", () => {
    const decided = expectFastAgreesWithExact(
      'pow',
      (a) => powFast(a[0], a[1]),
      (a) => powExact(a[0], a[1]),
      (a) => {
        const e = a[1] * Math.log(a[0]);
        return a[0] > 0 && a[0] !== 1 && Number.isFinite(a[0] * a[1]) && Math.abs(e) >= 512 && e < 709 && e > -745;
      },
    );
    expect(decided).to.be.above(0.95);
  });

  it('rounds the exact midpoints 0.75^34, 3^34 and 10^23 as glibc does, not to even', () => {
    // recorded from CPython 3.11 / glibc 2.36; ties to even would give 5.650448946785622e-5,
    // 16677181699666568 and 1e23
    expect(glibcPow(0.75, 34)).to.equal(5.650448946785623e-5);
    expect(glibcPow(3, 34)).to.equal(16677181699666570);
    expect(glibcPow(10, 23)).to.equal(1.0000000000000001e23);
  });

  it("returns glibc's values for tiny and huge exponents and subnormal bases", () => {
    expect(glibcPow(2, 2 ** -70)).to.equal(1 + 2 ** -70);
    expect(glibcPow(0.5, 2 ** -70)).to.equal(1);
    expect(glibcPow(2, 2 ** 64)).to.equal(Infinity);
    expect(glibcPow(2, -(2 ** 64))).to.equal(0);
    // recorded from CPython 3.11 / glibc 2.36
    expect(glibcPow(5e-324, 0.5)).to.equal(2.2227587494850775e-162);
    expect(glibcPow(0.95, 100)).to.equal(0.0059205292203339975);
  });
});
