import { expect } from 'chai';
import { InvalidStateError, StepLR, VirtualOptimizer } from '../../lib';
import { StateReader } from '../../lib/state/state-reader';

function stepLR(): StepLR {
  return new StepLR(new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.05 }]), { stepSize: 2 });
}

function rejects(state: unknown, message: RegExp): void {
  const scheduler = stepLR();
  const before = JSON.stringify(scheduler.stateDict());
  expect(() => scheduler.loadStateDict(state as never)).to.throw(InvalidStateError, message);
  expect(JSON.stringify(scheduler.stateDict())).to.equal(before);
}

describe('StateReader', () => {
  it('names the class, the key, the expected type and the given value', () => {
    const state = { ...stepLR().stateDict(), gamma: 'half' };
    rejects(state, /^StepLR\.loadStateDict: key "gamma" must be a finite number, got "half"$/);
    rejects({ ...stepLR().stateDict(), base_lrs: [0.1] }, /^StepLR\.loadStateDict: key "base_lrs" must be a list of 2 numbers, each a finite number, got an array of length 1$/);
    const { gamma: _gamma, ...missing } = stepLR().stateDict();
    rejects(missing, /^StepLR\.loadStateDict: key "gamma" must be a finite number, got nothing \(missing\)$/);
  });

  it('rejects anything that is not a state dict object', () => {
    for (const value of [null, undefined, 3, 'state', [], [{}]]) rejects(value, /^StepLR\.loadStateDict: expected a state dict object/);
  });

  it('rejects forbidden names at any depth, as own keys from JSON.parse', () => {
    const text = JSON.stringify(stepLR().stateDict());
    rejects(JSON.parse(`{"__proto__": {"polluted": 1}, ${text.slice(1)}`), /key "__proto__" is forbidden/);
    rejects(JSON.parse(text.replace('"base_lrs":[', '"base_lrs":[{"constructor": {}},')), /key "base_lrs\[0\]\.constructor" is forbidden/);
    rejects({ ...JSON.parse(text), nested: JSON.parse('{"a": {"prototype": 1}}') }, /key "nested\.a\.prototype" is forbidden/);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('rejects data that is not plain JSON: getters, class instances, cycles, holes, symbols, functions', () => {
    const base = stepLR().stateDict();
    let reads = 0;
    const withGetter = { ...base };
    Object.defineProperty(withGetter, 'gamma', { enumerable: true, get: () => ++reads });
    rejects(withGetter, /key "gamma" must be a plain data property/);
    expect(reads, 'the getter ran').to.equal(0);
    rejects({ ...base, gamma: new Date(0) }, /key "gamma" must be a plain object/);
    rejects(Object.assign(Object.create({ inherited: 1 }) as object, base), /must be a plain object/);
    const cyclic: Record<string, unknown> = { ...base };
    cyclic.self = cyclic;
    rejects(cyclic, /key "self" must be JSON data without cycles/);
    // eslint-disable-next-line no-sparse-arrays
    rejects({ ...base, base_lrs: [0.1, , 0.2] }, /key "base_lrs\[1\]" must be a value/);
    rejects({ ...base, [Symbol('s')]: 1 }, /no symbol keys/);
    rejects({ ...base, gamma: () => 0.5 }, /key "gamma" must be JSON data/);
  });

  it('accepts a null-prototype object and ignores the Python-only keys', () => {
    const scheduler = stepLR();
    const state = Object.assign(Object.create(null) as object, scheduler.stateDict(), { verbose: false, _is_initial: false });
    scheduler.loadStateDict(state as never);
    expect(new StateReader('StepLR', { verbose: true }).has('verbose')).to.equal(true);
  });
});
