/**
 * The error classes: each one's `name` is its class name written out (a minified bundle renames
 * the classes themselves; spec/package/bundles.spec.ts checks the names there), and a subclass
 * written outside the package keeps its own name.
 */
import { expect } from 'chai';
import {
  ConfigError,
  InvalidArgumentError,
  InvalidStateError,
  LRSchedulerError,
  NotComputedError,
  PythonArithmeticError,
  SchedulerTypeError,
} from '../lib';
import { CheckpointError } from '../lib/checkpoint/format';
import { UnsupportedOptimizerError } from '../lib/optim/tfjs-slots';
import { TorchFileError } from '../lib/torch/errors';

describe('the error classes', () => {
  it('name every error by its class, in words that survive minification', () => {
    const errors: Array<[Error, string, string]> = [
      [new LRSchedulerError('m'), 'LRSchedulerError', 'RuntimeError'],
      [new InvalidArgumentError('m'), 'InvalidArgumentError', 'ValueError'],
      [new SchedulerTypeError('m'), 'SchedulerTypeError', 'TypeError'],
      [new InvalidStateError('m'), 'InvalidStateError', 'ValueError'],
      [new NotComputedError('m'), 'NotComputedError', 'AttributeError'],
      [new PythonArithmeticError('m', 'ZeroDivisionError'), 'PythonArithmeticError', 'ZeroDivisionError'],
      [new ConfigError('schedulers[0]', 'm'), 'ConfigError', 'ValueError'],
      [new CheckpointError('m'), 'CheckpointError', 'ValueError'],
      [new UnsupportedOptimizerError('m'), 'UnsupportedOptimizerError', 'TypeError'],
      [new TorchFileError('format', 'm'), 'TorchFileError', 'UnpicklingError'],
    ];
    for (const [error, name, pythonType] of errors) {
      expect(error.name).to.equal(name);
      expect(Object.prototype.hasOwnProperty.call(error.constructor, 'errorName'), name).to.equal(true);
      expect(error).to.be.instanceOf(LRSchedulerError);
      expect((error as LRSchedulerError).pythonType).to.equal(pythonType);
      expect(String(error)).to.match(new RegExp(`^${name}: `));
    }
  });

  it("gives a subclass written outside the package its own class's name", () => {
    class TrainingLoopError extends InvalidArgumentError {}
    const error = new TrainingLoopError('the loop stopped');
    expect(error.name).to.equal('TrainingLoopError');
    expect(error).to.be.instanceOf(InvalidArgumentError);
  });
});
