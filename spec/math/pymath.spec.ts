import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { PythonArithmeticError } from '../../lib/errors';
import * as pymath from '../../lib/math';
import { compareTable, decodeRepr, evaluate, FIXTURE_DIR, loadTable, PYMATH, sameResult, TABLE_NAMES } from './fixtures';

const show = (v: number | string): string => (typeof v === 'number' && Object.is(v, -0) ? '-0' : String(v));

/** Asserts f throws a PythonArithmeticError with the given Python type and message. */
function expectPythonError(f: () => unknown, pythonType: string, message?: string): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an exception').to.be.instanceOf(PythonArithmeticError);
  const err = caught as PythonArithmeticError;
  expect(err.pythonType).to.equal(pythonType);
  if (message !== undefined) expect(err.message).to.equal(message);
}

describe('pymath: CPython on x86-64 Linux, glibc >= 2.29 with FMA', () => {
  describe('reference tables from CPython (spec/fixtures/math)', () => {
    for (const name of TABLE_NAMES) {
      it(`matches CPython bit for bit on every case of the ${name} table`, () => {
        const table = loadTable(name);
        const { disagreements } = compareTable(table, PYMATH[table.fn]);
        const detail = disagreements
          .slice(0, 10)
          .map((d) => `${table.fn}(${d.args.map(show).join(', ')}): python ${show(d.python)}, pymath ${show(d.actual)}`)
          .join('\n');
        expect(disagreements, `${disagreements.length} disagreements:\n${detail}`).to.have.length(0);
      });
    }

    it("samples each of glibc's exp, log, pow, cos and sin on 100,000 inputs or more, hundreds of them misrounded", () => {
      for (const name of ['exp', 'log', 'pow', 'cos', 'sin']) {
        const table = loadTable(name);
        expect(table.cases.length, name).to.be.at.least(100000);
        expect(table.cases.filter((c) => c.glibcNotCorrectlyRounded).length, name).to.be.at.least(300);
      }
    });
  });

  describe('special values and exceptions (spec/fixtures/math/special.json)', () => {
    const cases = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'special.json'), 'utf8')) as string[][];
    const fns = [...new Set(cases.map((c) => c[0]))];
    for (const fn of fns) {
      it(`handles ${fn} of infinities, NaN, signed zeros, subnormals and out-of-range values like CPython`, () => {
        for (const c of cases.filter((cc) => cc[0] === fn)) {
          const args = c.slice(1, -1).map(decodeRepr);
          const want = c[c.length - 1];
          const label = `${fn}(${c.slice(1, -1).join(', ')})`;
          if (/j\)?$/.test(want) && !want.startsWith('!')) {
            // CPython returns a complex number (negative base, fractional exponent): pymath throws
            expectPythonError(() => PYMATH[fn](args), 'ValueError');
          } else if (want.startsWith('!')) {
            const [type, message] = want.slice(1).split(': ');
            expectPythonError(() => PYMATH[fn](args), type, message);
          } else {
            const got = evaluate(PYMATH[fn], args);
            expect(sameResult(got, decodeRepr(want)), `${label}: want ${want}, got ${show(got)}`).to.equal(true);
          }
        }
      });
    }
  });

  describe('behaviour', () => {
    it('computes log(243, 3) as 4.999999999999999 like CPython', () => {
      expect(pymath.log(243, 3)).to.equal(4.999999999999999);
      expect(pymath.log(1000, 10)).to.equal(2.9999999999999996);
      expect(pymath.log(8, 2)).to.equal(3);
    });

    it('computes math.cos(math.pi / 2) as 6.123233995736766e-17 and cos(3 pi / 4) as -0.7071067811865475', () => {
      expect(pymath.cos(Math.PI / 2)).to.equal(6.123233995736766e-17);
      expect(pymath.cos((Math.PI * 3) / 4)).to.equal(-0.7071067811865475);
      expect(pymath.cos(0)).to.equal(1);
    });

    it('computes 0.1 ** 3 as 0.0010000000000000002 and 0.95 ** 100 as 0.0059205292203339975', () => {
      expect(pymath.pow(0.1, 3)).to.equal(0.0010000000000000002);
      expect(pymath.pow(0.95, 100)).to.equal(0.0059205292203339975);
    });

    it('computes math.exp(1) as 2.718281828459045 and math.log(5e-324) as -744.4400719213812', () => {
      expect(pymath.exp(1)).to.equal(2.718281828459045);
      expect(pymath.log(5e-324)).to.equal(-744.4400719213812);
    });

    it('raises ZeroDivisionError for 0.0 ** -1 and for a logarithm to base 1', () => {
      expectPythonError(() => pymath.pow(0, -1), 'ZeroDivisionError', '0.0 cannot be raised to a negative power');
      expectPythonError(() => pymath.pow(-0, -0.5), 'ZeroDivisionError');
      expectPythonError(() => pymath.log(10, 1), 'ZeroDivisionError', 'float division by zero');
    });

    it('raises ValueError for a negative base with a fractional exponent and for log/sqrt of negatives', () => {
      expectPythonError(() => pymath.pow(-2, 0.5), 'ValueError');
      expectPythonError(() => pymath.log(0), 'ValueError', 'math domain error');
      expectPythonError(() => pymath.log(-1, 10), 'ValueError', 'math domain error');
      expectPythonError(() => pymath.log(10, -1), 'ValueError', 'math domain error');
      expectPythonError(() => pymath.sqrt(-1), 'ValueError', 'math domain error');
      expectPythonError(() => pymath.cos(Infinity), 'ValueError', 'math domain error');
    });

    it('raises OverflowError for 10.0 ** 400 and math.exp(1000), and underflows quietly to 0.0', () => {
      expectPythonError(() => pymath.pow(10, 400), 'OverflowError', "(34, 'Numerical result out of range')");
      expectPythonError(() => pymath.exp(1000), 'OverflowError', 'math range error');
      expect(pymath.pow(0.5, 1e6)).to.equal(0);
      expect(pymath.exp(-1000)).to.equal(0);
    });

    it('gives negative bases with integer exponents the right sign', () => {
      expect(pymath.pow(-2, 3)).to.equal(-8);
      expect(pymath.pow(-2, 2)).to.equal(4);
      expect(pymath.pow(-1, 1e300)).to.equal(1);
      expect(Object.is(pymath.pow(-0, 3), -0)).to.equal(true);
    });

    it('floor-divides like CPython: -7.0 // 2.0 is -4.0 and -0.0 // 5.0 is -0.0', () => {
      expect(pymath.floorDiv(-7, 2)).to.equal(-4);
      expect(Object.is(pymath.floorDiv(-0, 5), -0)).to.equal(true);
      expect(Object.is(pymath.floorDiv(0, -5), -0)).to.equal(true);
      expect(pymath.floorDiv(-5, Infinity)).to.equal(-1);
      expectPythonError(() => pymath.floorDiv(1, 0), 'ZeroDivisionError', 'float floor division by zero');
    });

    it('gives a % b the sign of b: -5.0 % 3.0 is 1.0, 5.0 % -3.0 is -1.0, 0.0 % -3.0 is -0.0', () => {
      expect(pymath.mod(-5, 3)).to.equal(1);
      expect(pymath.mod(5, -3)).to.equal(-1);
      expect(Object.is(pymath.mod(0, -3), -0)).to.equal(true);
      expect(pymath.mod(-5, Infinity)).to.equal(Infinity);
      expectPythonError(() => pymath.mod(1, 0), 'ZeroDivisionError', 'float modulo');
    });

    it('returns Python ints from trunc and floor: never -0, errors for NaN and infinity', () => {
      expect(Object.is(pymath.trunc(-0.5), 0)).to.equal(true);
      expect(Object.is(pymath.floor(-0), 0)).to.equal(true);
      expect(pymath.floor(-0.5)).to.equal(-1);
      expectPythonError(() => pymath.trunc(NaN), 'ValueError', 'cannot convert float NaN to integer');
      expectPythonError(() => pymath.floor(-Infinity), 'OverflowError', 'cannot convert float infinity to integer');
    });

    it("rounds the exact midpoints 0.75 ** 34, 3.0 ** 34 and 10.0 ** 23 as glibc does, not to even", () => {
      // exact values: 0.75^34 and 3^34 and 10^23 lie halfway between two doubles; glibc rounds
      // them up where ties-to-even gives 5.650448946785622e-5, 16677181699666568, 1e23
      expect(pymath.pow(0.75, 34)).to.equal(5.650448946785623e-5);
      expect(pymath.pow(3, 34)).to.equal(16677181699666570);
      expect(pymath.pow(10, 23)).to.equal(1.0000000000000001e23);
      expect(pymath.pow(134217727, 2)).to.equal(18014398241046528);
    });
  });
});
