/**
 * The options-object contract, over every registered class: a constructor given anything but an
 * options object (a number or a string passed positionally as in Python, a list, a function, null,
 * another scheduler; no options at all where some option is required) throws a TypeError-typed `InvalidArgumentError` that names the
 * class and shows the call to write, before it changes anything; and the call it shows works.
 */
import { expect } from 'chai';
import {
  ExponentialLR,
  InvalidArgumentError,
  LinearLR,
  LRScheduler,
  registeredSchedulers,
  VirtualOptimizer,
  type OptimizerLike,
} from '../../lib';
import { OptionChecker } from '../../lib/options';
import { schedulerClass } from '../../lib/registry';
import { quietly } from '../state/schedule-run';

type AnyConstructor = new (optimizer: unknown, options?: unknown) => LRScheduler;

const NOT_OPTIONS: ReadonlyArray<[string, () => unknown]> = [
  ['null', () => null],
  ['a number', () => 30],
  ['a string', () => 'max'],
  ['a boolean', () => true],
  ['a list of numbers', () => [30, 80]],
  ['a function', () => (epoch: number) => 0.95 ** epoch],
  ['a scheduler', () => new ExponentialLR(new VirtualOptimizer([{ lr: 1 }]), { gamma: 0.5 })],
  ['an optimizer', () => new VirtualOptimizer([{ lr: 1 }])],
];

/** A fresh optimizer every class accepts (CyclicLR and OneCycleLR cycle momentum by default). */
function freshOptimizer(): VirtualOptimizer {
  return new VirtualOptimizer([{ lr: 0.1, momentum: 0.9 }]);
}

/** The text after "write " in the error: one or more calls separated by " or ". */
function suggestedCalls(message: string): string[] {
  const at = message.indexOf(': write ');
  expect(at, message).to.be.greaterThan(0);
  return message.slice(at + ': write '.length).split(' or ');
}

/** Evaluates a suggested call with the names it uses bound to real objects on `optimizer`. */
function evaluateCall(className: string, call: string, optimizer: VirtualOptimizer): LRScheduler {
  const warmup = new LinearLR(optimizer, { startFactor: 0.5, totalIters: 5 });
  const decay = new ExponentialLR(optimizer, { gamma: 0.9 });
  const names = ['optimizer', 'warmup', 'decay', 'first', 'second', 'afterScheduler', className];
  const values = [optimizer, warmup, decay, warmup, decay, decay, schedulerClass(className)];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function(...names, `return ${call};`) as (...args: unknown[]) => LRScheduler;
  return make(...values);
}

describe('every scheduler class rejects what is not an options object', () => {
  for (const className of registeredSchedulers()) {
    const Scheduler = schedulerClass(className) as unknown as AnyConstructor;

    it(`${className}: names the class, shows the call to write, and changes nothing`, () => {
      for (const [what, make] of NOT_OPTIONS) {
        const optimizer = freshOptimizer();
        const given = make();
        let error: unknown;
        try {
          new Scheduler(optimizer, given);
        } catch (caught) {
          error = caught;
        }
        expect(error, `${className} with ${what}`).to.be.instanceOf(InvalidArgumentError);
        const { message, pythonType } = error as InvalidArgumentError;
        expect(pythonType, message).to.equal('TypeError');
        expect(message, `${className} with ${what}`).to.match(new RegExp(`^${className}: options must be an object of named options, got `));
        expect(message).to.contain(`write new ${className}(`);
        expect(optimizer.paramGroups, `${className} with ${what} changed the groups`).to.deep.equal([{ lr: 0.1, momentum: 0.9 }]);
      }
    });

    it(`${className}: without options, either uses every default or names the class and the call to write`, () => {
      const optimizer = freshOptimizer();
      let error: unknown;
      try {
        quietly(() => new Scheduler(optimizer));
      } catch (caught) {
        error = caught;
      }
      if (error === undefined) return; // PyTorch's defaults cover every option, as in ConstantLR(optimizer)
      expect(error).to.be.instanceOf(InvalidArgumentError);
      expect((error as Error).message).to.match(new RegExp(`^${className}: options must be an object of named options, got undefined: write new ${className}\\(`));
      expect(optimizer.paramGroups).to.deep.equal([{ lr: 0.1, momentum: 0.9 }]);
    });

    it(`${className}: the call the error shows constructs a ${className}`, function () {
      let message = '';
      try {
        new Scheduler(freshOptimizer(), null);
      } catch (error) {
        message = (error as Error).message;
      }
      const calls = suggestedCalls(message);
      // A class whose constructor gives OptionChecker no usage shows a generic call: give it one.
      if (calls.some((call) => call.includes('{ ... }'))) this.skip();
      for (const call of calls) {
        const built = quietly(() => evaluateCall(className, call, freshOptimizer()));
        expect(built.getClassName(), call).to.equal(className);
      }
    });
  }

  it('turns a positional PyTorch argument into the named option in the call it shows', () => {
    const optimizer = freshOptimizer() as OptimizerLike;
    const cases: Array<[string, unknown, string]> = [
      ['PolynomialLR', 10, 'new PolynomialLR(optimizer, { totalIters: 10 })'],
      ['ConstantLR', 0.5, 'new ConstantLR(optimizer, { factor: 0.5 })'],
      ['LinearLR', 0.25, 'new LinearLR(optimizer, { startFactor: 0.25 })'],
      ['ReduceLROnPlateau', 'max', "new ReduceLROnPlateau(optimizer, { mode: 'max' })"],
      ['MultiStepLR', [30, 80], 'new MultiStepLR(optimizer, { milestones: [30, 80] })'],
    ];
    for (const [className, given, call] of cases) {
      const Scheduler = schedulerClass(className) as unknown as AnyConstructor;
      expect(() => new Scheduler(optimizer, given)).to.throw(InvalidArgumentError, `: write ${call}`);
    }
  });

  it('gives a class that shows no usage (a new one) a generic call naming its options type', () => {
    class HalvingLR extends LRScheduler {
      static override readonly className = 'HalvingLR';
      constructor(optimizer: OptimizerLike, options: { lastEpoch?: number }) {
        const check = new OptionChecker('HalvingLR', options).known(['lastEpoch']);
        super(optimizer, check.lastEpoch(options.lastEpoch));
        this.initialStep();
      }
      override getLr(): readonly number[] {
        return this.optimizer.paramGroups.map((group) => group.lr / 2);
      }
    }
    const optimizer = freshOptimizer();
    expect(() => new HalvingLR(optimizer, 3 as never)).to.throw(
      InvalidArgumentError,
      "HalvingLR: options must be an object of named options, got 3 (PyTorch's positional arguments are named options here): " +
        'write new HalvingLR(optimizer, { ... }) (see HalvingLROptions)',
    );
    expect(optimizer.paramGroups[0]).to.not.have.property('initial_lr');
  });
});
