/**
 * Python habits in plain JavaScript (issue 15, item 1): options passed positionally, or not at all,
 * are rejected with the call to write, never silently replaced by defaults; PyTorch's snake_case
 * names and misspellings get a hint.
 */
import { expect } from 'chai';
import { ConstantLR, InvalidArgumentError, LinearLR, PolynomialLR, ReduceLROnPlateau, StepLR, VirtualOptimizer } from '../lib';
import { camelCaseOption, suggestion } from '../lib/options';
import { expectInvalidArguments } from './helpers/errors';

const POSITIONAL = " (PyTorch's positional arguments are named options here)";

describe('OptionChecker', () => {
  it('rejects the positional calls that used to run silently with defaults (PolynomialLR 10 ran with total_iters 5)', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const construct = (Class: unknown, ...args: unknown[]) => () => new (Class as new (...a: unknown[]) => unknown)(optimizer, ...args);
    expectInvalidArguments([
      [construct(PolynomialLR, 10), `PolynomialLR: options must be an object of named options, got 10${POSITIONAL}: write new PolynomialLR(optimizer, { totalIters: 10 })`, 'TypeError'],
      [construct(ConstantLR, 0.5), `ConstantLR: options must be an object of named options, got 0.5${POSITIONAL}: write new ConstantLR(optimizer, { factor: 0.5 })`, 'TypeError'],
      [construct(LinearLR, 0.25), `LinearLR: options must be an object of named options, got 0.25${POSITIONAL}: write new LinearLR(optimizer, { startFactor: 0.25 })`, 'TypeError'],
      [
        construct(ReduceLROnPlateau, 'max'),
        `ReduceLROnPlateau: options must be an object of named options, got "max"${POSITIONAL}: write new ReduceLROnPlateau(optimizer, { mode: 'max' })`,
        'TypeError',
      ],
      [construct(StepLR), 'StepLR: options must be an object of named options, got undefined: write new StepLR(optimizer, { stepSize: 30 })', 'TypeError'],
      [construct(StepLR, 30, 0.1), `StepLR: options must be an object of named options, got 30${POSITIONAL}: write new StepLR(optimizer, { stepSize: 30 })`, 'TypeError'],
    ]);
    expect(optimizer.paramGroups).to.deep.equal([{ lr: 0.1 }]);
  });

  it("answers PyTorch's snake_case names with this package's spelling, and a misspelling with the closest option", () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    expectInvalidArguments([
      [
        () => new StepLR(optimizer, { step_size: 3 } as never),
        'StepLR: unknown option "step_size" (expected one of: stepSize, gamma, lastEpoch); PyTorch\'s "step_size" is "stepSize" here',
        'TypeError',
      ],
      [
        () => new StepLR(optimizer, { stepSzie: 3 } as never),
        'StepLR: unknown option "stepSzie" (expected one of: stepSize, gamma, lastEpoch); did you mean "stepSize"?',
        'TypeError',
      ],
      [() => new StepLR(optimizer, { stepSize: 3, verbose: true } as never), 'StepLR: unknown option "verbose" (expected one of: stepSize, gamma, lastEpoch)', 'TypeError'],
    ]);
  });

  it('accepts an options object without a prototype, and one from another realm', () => {
    const optimizer = new VirtualOptimizer([{ lr: 0.1 }]);
    const bare = Object.assign(Object.create(null) as object, { stepSize: 2 }) as { stepSize: number };
    expect(new StepLR(optimizer, bare).stepSize).to.equal(2);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const otherRealm = (require('node:vm') as typeof import('node:vm')).runInNewContext('({ stepSize: 4 })') as { stepSize: number };
    expect(new StepLR(new VirtualOptimizer([{ lr: 0.1 }]), otherRealm).stepSize).to.equal(4);
    expect(() => new StepLR(optimizer, new Map() as never)).to.throw(InvalidArgumentError, 'got an object that is not a plain options object: write');
  });

  it('suggests a name only when it is close (case-insensitive, a third of the letters at most, swaps count once)', () => {
    expect(suggestion('stepz', ['steps', 'ops', 'optimizer'])).to.equal('; did you mean "steps"?');
    expect(suggestion('Schedulers', ['schedulers'])).to.equal('; did you mean "schedulers"?');
    expect(suggestion('drvier', ['driver'])).to.equal('; did you mean "driver"?');
    expect(suggestion('xyz', ['steps', 'ops'])).to.equal('');
    expect(suggestion('optimiser', ['optimizer'])).to.equal('; did you mean "optimizer"?');
    expect(camelCaseOption('T_max')).to.equal('tMax');
    expect(camelCaseOption('total_iters')).to.equal('totalIters');
  });
});
