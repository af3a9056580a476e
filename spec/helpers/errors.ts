/** Catching a scheduler error to inspect it (its `pythonType`, its message). */
import { expect } from 'chai';
import { InvalidArgumentError, LRSchedulerError } from '../../lib';

/** The `LRSchedulerError` that `fn` throws; fails the test when it throws nothing or something else. */
export function thrown(fn: () => unknown): LRSchedulerError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(LRSchedulerError);
    return error as LRSchedulerError;
  }
  return expect.fail('expected an error') as never;
}

/** Each `[build, message, pythonType]`: `build()` throws an `InvalidArgumentError` with that message and Python type. */
export function expectInvalidArguments(cases: ReadonlyArray<readonly [() => unknown, string, string]>): void {
  for (const [build, message, pythonType] of cases) {
    const error = thrown(build);
    expect(error).to.be.instanceOf(InvalidArgumentError);
    expect(error.message).to.equal(message);
    expect(error.pythonType).to.equal(pythonType);
  }
}
