/** Catching a scheduler error to inspect it (its `pythonType`, its message). */
import { expect } from 'chai';
import { LRSchedulerError } from '../../lib';

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
