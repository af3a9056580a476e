import { expect } from 'chai';
import { EXP_TAB, expExact, expFast, glibcExp } from '../../lib/math/exp';
import { mpPow } from './oracle/mp';
import { checksum, expectFastAgreesWithExact } from './tables';

describe('exp (glibc __ieee754_exp_fma)', () => {
  it("carries glibc's __exp_data.tab unchanged (checksum from lib/math/gen-data.py)", () => {
    expect(checksum(EXP_TAB)).to.equal('0814a1e00792aba42c7840d2d85b443935b987a688ceb7c2ae3aa358c228af82');
  });

  it('has as scale k the double nearest 2^(k/128), and a tail below 2^-53', () => {
    const words = new Int32Array(EXP_TAB.buffer);
    const f64 = new Float64Array(1);
    const i32 = new Int32Array(f64.buffer);
    for (let k = 0; k < 128; k++) {
      i32[0] = words[4 * k + 2];
      i32[1] = words[4 * k + 3] + (k << 13);
      expect(f64[0], `row ${k}`).to.equal(k === 0 ? 1 : mpPow(2, k / 128));
      expect(Math.abs(EXP_TAB[2 * k])).to.be.below(2 ** -53);
    }
  });

  it('decides almost every table case on its fast path, always as the exact path does', () => {
    const decided = expectFastAgreesWithExact(
      'exp',
      (a) => expFast(a[0], 0, 0),
      (a) => expExact(a[0], 0),
      (a) => Math.abs(a[0]) < 512,
    );
    expect(decided).to.be.above(0.95);
  });

  it("decides glibc's specialcase range (512 <= |x| < 747, results above 2^738 or below 2^-738) on its fast path too, as the exact path does", () => {
    // Without it, a schedule whose lr decays below 1e-222 (0.95 ** e past e = 10,000) costs a
    // call of the exact path per step. The values: spec/math/agreement.ts and math:check.
    const decided = expectFastAgreesWithExact(
      'exp',
      (a) => expFast(a[0], 0, 0),
      (a) => expExact(a[0], 0),
      (a) => Math.abs(a[0]) >= 512 && a[0] < 711 && a[0] > -747,
    );
    expect(decided).to.be.above(0.95);
  });

  it("returns glibc's values at the edges: 1 + x below 2^-54, 0 and Infinity beyond the range", () => {
    expect(glibcExp(2 ** -55)).to.equal(1);
    expect(glibcExp(-0)).to.equal(1);
    expect(glibcExp(-Infinity)).to.equal(0);
    expect(glibcExp(1000)).to.equal(Infinity);
    expect(glibcExp(-1000)).to.equal(0);
    expect(glibcExp(NaN)).to.be.NaN;
    // recorded from CPython 3.11 / glibc 2.36: subnormal results and the largest finite one
    expect(glibcExp(-745.1332191019411)).to.equal(5e-324);
    expect(glibcExp(709.782712893384)).to.equal(1.7976931348622732e308);
  });
});
