import { expect } from 'chai';
import { createHash } from 'crypto';
import { SINCOSTAB } from '../../lib/math/sincostab';

/** The table as glibc's source lists it under BIG_ENDI: each double's high word, then its low word. */
function bigEndianBytes(table: Float64Array): Buffer {
  const bytes = Buffer.alloc(table.length * 8);
  table.forEach((x, i) => bytes.writeDoubleBE(x, 8 * i));
  return bytes;
}

function words(x: number): string {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  return `0x${b.toString('hex', 0, 4).toUpperCase()}, 0x${b.toString('hex', 4, 8).toUpperCase()}`;
}

describe('sincostab: glibc __sincostab', () => {
  it('is the 880 words of glibc sysdeps/ieee754/dbl-64/sincostab.c (2.29 to 2.42), by SHA-256', () => {
    // git show glibc-2.36:sysdeps/ieee754/dbl-64/sincostab.c | sed -n '/^#ifdef BIG_ENDI/,/^#else/p' \
    //   | grep -o '0x[0-9A-Fa-f]\{8\}' | xxd -r -p | sha256sum
    expect(SINCOSTAB.length).to.equal(440);
    expect(createHash('sha256').update(bigEndianBytes(SINCOSTAB)).digest('hex')).to.equal(
      'a1d481fae39043b893703ee1c285a43d194a617badd499ef2e26f255ad75fc7d',
    );
  });

  it('has the source values at its first, second and last entries', () => {
    // sin(0), cos(0); sin(1/128) and cos(1/128) as listed first in sincostab.c; and its last lines
    expect([0, 1, 2, 3].map((i) => words(SINCOSTAB[i]))).to.deep.equal([
      '0x00000000, 0x00000000',
      '0x00000000, 0x00000000',
      '0x3FF00000, 0x00000000',
      '0x00000000, 0x00000000',
    ]);
    expect([4, 5, 6, 7].map((i) => words(SINCOSTAB[i]))).to.deep.equal([
      '0x3F7FFFEA, 0xAAAEEEEF',
      '0xBC1E45E2, 0xEC67B77C',
      '0x3FEFFFC0, 0x00155552',
      '0x3C8F4A01, 0xA0196DAE',
    ]);
    expect([436, 437, 438, 439].map((i) => words(SINCOSTAB[i]))).to.deep.equal([
      '0x3FE812ED, 0xE9AE4BA4',
      '0xBC87830A, 0xDF402DDA',
      '0x3FE514F5, 0x7D7BF3DA',
      '0x3C747A10, 0x8073C259',
    ]);
  });

  it('keeps its low parts below 2^-54 and sin below 0.76, as the rounding bounds of sin-cos.ts assume', () => {
    for (let i = 0; i < 440; i += 4) {
      expect(Math.abs(SINCOSTAB[i + 1]), `ssn[${i / 4}]`).to.be.below(2 ** -54);
      expect(Math.abs(SINCOSTAB[i + 3]), `ccs[${i / 4}]`).to.be.below(2 ** -54);
      expect(SINCOSTAB[i]).to.be.below(0.76);
      expect(SINCOSTAB[i + 2]).to.be.above(0.65);
    }
  });
});
