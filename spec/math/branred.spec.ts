import { expect } from 'chai';
import { createHash } from 'crypto';
import { branred, TOVERP } from '../../lib/math/branred';

/** floor(atan(1/n) * 2^bits), from the alternating series (error below 2^4 units). */
function atanInverse(n: bigint, bits: bigint): bigint {
  let power = (1n << bits) / n;
  const n2 = n * n;
  let sum = 0n;
  for (let k = 1n; power !== 0n; k += 2n) {
    sum += (k & 2n ? -power : power) / k;
    power /= n2;
  }
  return sum;
}

/** pi * 2^bits (Machin's formula), with an error far below 2^8 units. */
function piScaled(bits: bigint): bigint {
  return 16n * atanInverse(5n, bits) - 4n * atanInverse(239n, bits);
}

const GUARD = 96n;
const PI = piScaled(1900n + GUARD);
/** floor(2/pi * 2^1900), to which the guard bits leave no doubt for the digits used. */
const TWO_OVER_PI = (1n << (3801n + 2n * GUARD)) / PI >> GUARD;

/** x = m * 2^e exactly. */
function decompose(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const field = Number(bits >> 52n);
  const m = (bits & ((1n << 52n) - 1n)) | (field === 0 ? 0n : 1n << 52n);
  return { m: x < 0 ? -m : m, e: (field === 0 ? 1 : field) - 1075 };
}

/** x - n * pi/2 for the nearest n, times 2^200, and n mod 4, from 2/pi to 1900 bits (x < 2^1024). */
function reduceExactly(x: number): { r: bigint; n: number } {
  const { m, e } = decompose(x);
  // x * 2/pi * 2^260 = m * TWO_OVER_PI * 2^(e + 260 - 1900)
  const shift = BigInt(e + 260 - 1900);
  const y = shift >= 0n ? m * TWO_OVER_PI << shift : (m * TWO_OVER_PI) >> -shift;
  const one = 1n << 260n;
  let n = y >> 260n;
  let f = y - (n << 260n);
  if (f >= one / 2n) {
    f -= one;
    n += 1n;
  }
  // r = f * pi/2, scaled by 2^200
  const r = (f * (PI >> (1900n + GUARD - 201n))) >> 262n;
  return { r, n: Number(((n % 4n) + 4n) % 4n) };
}

/** a + aa scaled by 2^200, exactly. */
function scaled(a: number): bigint {
  const { m, e } = decompose(a);
  const shift = BigInt(e + 200);
  return shift >= 0n ? m << shift : m >> -shift;
}

describe('branred: glibc __branred', () => {
  it("holds branred.h's toverp: 75 digits of 2/pi in base 2^24, matching glibc's source by SHA-256", () => {
    // git show glibc-2.36:sysdeps/ieee754/dbl-64/branred.h | sed -n '/toverp/,/};/p' | grep -o '[0-9]*\.0' \
    //   | sed 's/\.0$//' | awk '{printf "%06x", $1}' | xxd -r -p | sha256sum
    const bytes = Buffer.alloc(75 * 3);
    TOVERP.forEach((d, i) => bytes.writeUIntBE(d, 3 * i, 3));
    expect(createHash('sha256').update(bytes).digest('hex')).to.equal(
      'b2aec64ccd4e88e7e14eb05b12d9d00d9e5ea728dab9411caa7270fd43121531',
    );
    const digits = Array.from({ length: 75 }, (_, i) => Number((TWO_OVER_PI >> BigInt(1900 - 24 * (i + 1))) & 0xffffffn));
    expect(Array.from(TOVERP)).to.deep.equal(digits);
  });

  it('reduces huge arguments to n * pi/2 + (a + aa) within 2^-90 (glibc: 2^-96 at worst here), up to the largest double', () => {
    const out = new Float64Array(2);
    const inputs = [105414350, 1e9, 2 ** 53, 1e22, 6381956970095103 * 2 ** 797, 1e300, 1.7e308, Number.MAX_VALUE];
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      inputs.push((1 + seed / 2 ** 31) * 2 ** (27 + (i * 5) % 996) * (i % 2 ? -1 : 1));
    }
    for (const x of inputs) {
      out[0] = x;
      const n = branred(out);
      const exact = reduceExactly(x);
      const got = scaled(out[0]) + scaled(out[1]);
      const err = got > exact.r ? got - exact.r : exact.r - got;
      expect(err <= 1n << 110n, `branred(${x}): a + aa off by ${err} / 2^200`).to.equal(true);
      expect(n, `branred(${x}) quadrant`).to.equal(exact.n);
      expect(Math.abs(out[1])).to.be.at.most(Math.abs(out[0]) * 2 ** -52);
    }
  });
});
