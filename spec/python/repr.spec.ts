/**
 * pyrepr against CPython's repr(), recorded by spec/fixtures/python/generate_repr.py: 300,000
 * generated doubles (random bit patterns, moderate magnitudes around both notation switches, short
 * decimals such as learning rates) and every power of two and ten with its neighbours, compared as
 * sha256 hashes of chunks of 10,000 (the generator regenerates the same doubles from the same
 * splitmix64 streams); then explicit edge cases, lists and strings, compared value by value.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, pyrepr } from '../../lib';

interface ReprSet {
  name: string;
  seed: number | null;
  count: number;
  chunk: number;
  sha256: string[];
  sample: Array<[string, string]>;
}

interface ReprFixture {
  python: string;
  float_repr_style: string;
  sets: ReprSet[];
  edge: Array<[string, string]>;
  lists: Array<[number[] | number[][], string]>;
  strings: Array<[string, string]>;
}

const FIXTURE = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'python', 'repr.json'), 'utf8')) as ReprFixture;
const M64 = (1n << 64n) - 1n;
const view = new DataView(new ArrayBuffer(8));

function fromBits(bits: bigint): number {
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

function toBits(x: number): bigint {
  view.setFloat64(0, x);
  return view.getBigUint64(0);
}

/** The generator's splitmix64 stream. */
function* splitmix64(seed: number): Generator<bigint> {
  let state = BigInt(seed);
  for (;;) {
    state = (state + 0x9e3779b97f4a7c15n) & M64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    yield z ^ (z >> 31n);
  }
}

function next(stream: Generator<bigint>): bigint {
  return stream.next().value as bigint;
}

/** The same doubles as generate_repr.py's set of that name, in the same order. */
function generate(set: ReprSet): number[] {
  const out: number[] = [];
  if (set.name === 'powers') {
    const bits: bigint[] = [];
    for (let k = -1074; k < 1024; k++) {
      const b = k >= -1022 ? BigInt(k + 1023) << 52n : 1n << BigInt(k + 1074);
      bits.push(b - 1n, b, b + 1n);
    }
    for (let p = -323; p < 309; p++) {
      const b = toBits(Number(`1e${p}`));
      bits.push(b - 1n, b, b + 1n);
    }
    for (const b of bits) if (b >= 0n && b <= M64) out.push(fromBits(b));
    return out;
  }
  const stream = splitmix64(set.seed as number);
  for (let i = 0; i < set.count; i++) {
    if (set.name === 'bits') {
      out.push(fromBits(next(stream)));
    } else if (set.name === 'moderate') {
      const r = next(stream);
      const exponentField = 1023n - 30n + (next(stream) % 91n);
      out.push(fromBits((r & (1n << 63n)) | (exponentField << 52n) | (r & ((1n << 52n) - 1n))));
    } else if (set.name === 'decimal') {
      const digits = 1n + (next(stream) % 17n);
      const k = 1n + (next(stream) % 10n ** digits);
      const p = (next(stream) % 61n) - 40n;
      // float('<k>e<p>') in Python and Number('<k>e<p>') here: both correctly rounded, the same double
      out.push(Number(`${k}e${p}`));
    } else {
      throw new Error(`unknown set ${set.name}`);
    }
  }
  return out;
}

describe('pyrepr', () => {
  it(`was recorded from CPython ${FIXTURE.python} with float_repr_style "short"`, () => {
    expect(FIXTURE.float_repr_style).to.equal('short');
    expect(FIXTURE.sets.map((set) => set.name)).to.deep.equal(['bits', 'moderate', 'decimal', 'powers']);
  });

  for (const set of FIXTURE.sets) {
    it(`prints Python's repr of every double of the "${set.name}" set (${set.count} values)`, () => {
      const values = generate(set);
      expect(values.length).to.equal(set.count);
      set.sample.forEach(([hex, repr], i) => {
        expect(toBits(values[i]).toString(16).padStart(16, '0'), `sample ${i}: the generators disagree`).to.equal(hex);
        expect(pyrepr(values[i]), `0x${hex}`).to.equal(repr);
      });
      const reprs = values.map((x) => pyrepr(x));
      set.sha256.forEach((hash, chunk) => {
        const text = reprs.slice(chunk * set.chunk, (chunk + 1) * set.chunk).join('\n');
        const actual = createHash('sha256').update(text).digest('hex');
        if (actual !== hash) {
          expect.fail(`chunk ${chunk} of "${set.name}" differs from Python's: compare with python3 spec/fixtures/python/generate_repr.py --dump ${set.name} ${chunk}`);
        }
      });
    });
  }

  it("prints Python's repr of the edge cases: zeros, infinities, nan, subnormals, both notation switches, learning rates", () => {
    for (const [hex, repr] of FIXTURE.edge) expect(pyrepr(fromBits(BigInt(`0x${hex}`))), `0x${hex}`).to.equal(repr);
    // the three the issue quotes, and what JavaScript prints instead
    expect([0, 1e-5, 4e-8].map((x) => pyrepr(x))).to.deep.equal(['0.0', '1e-05', '4e-08']);
    expect([0, 1e-5, 4e-8].map(String)).to.deep.equal(['0', '0.00001', '4e-8']);
  });

  it('prints arrays as Python lists, strings as Python quotes them, bigints as ints, and None, True, False', () => {
    for (const [list, repr] of FIXTURE.lists) expect(pyrepr(list)).to.equal(repr);
    for (const [text, repr] of FIXTURE.strings) expect(pyrepr(text), JSON.stringify(text)).to.equal(repr);
    expect(pyrepr([1n, true, false, null, undefined, 'lr', 0.5])).to.equal("[1, True, False, None, None, 'lr', 0.5]");
    const cyclic: unknown[] = [1.5];
    cyclic.push(cyclic);
    expect(pyrepr(cyclic as never)).to.equal('[1.5, [...]]');
  });

  it('rejects what has no Python spelling here (objects, functions) with a typed error', () => {
    expect(() => pyrepr({ lr: 0.1 } as never)).to.throw(InvalidArgumentError, 'pyrepr: cannot print an object as Python would');
    expect(() => pyrepr((() => 0) as never)).to.throw(InvalidArgumentError, 'pyrepr: cannot print function as Python would');
  });
});
