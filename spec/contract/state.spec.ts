/**
 * State-dict contracts, over every registered class: JSON data, exact round-trip into a freshly
 * built scheduler, and loads that reject a state of the wrong shape with a clear message while
 * changing nothing.
 */
import { expect } from 'chai';
import { InvalidStateError, type BuiltSchedule, type SchedulerState } from '../../lib';
import { findNonJsonData } from '../../lib/state/state-reader';
import { build, firstDifference, observation, quietly, run } from '../state/schedule-run';
import { classSamples, withGroups } from './class-samples';

const STEPS_BEFORE = 7;
const STEPS_AFTER = 20;

function everything(built: BuiltSchedule): string {
  const schedulers: Record<string, unknown> = {};
  for (const [id, scheduler] of Object.entries(built.schedulers)) schedulers[id] = scheduler.stateDict();
  return JSON.stringify({ schedulers, optimizer: built.optimizer.stateDict(), observed: observation(built).map(String) });
}

function rejected(built: BuiltSchedule, state: unknown): InvalidStateError {
  const before = everything(built);
  let error: unknown;
  try {
    quietly(() => built.driver.loadStateDict(state as SchedulerState));
  } catch (thrown) {
    error = thrown;
  }
  expect(error, 'the load was accepted').to.be.instanceOf(InvalidStateError);
  expect(everything(built), 'a rejected load changed something').to.equal(before);
  return error as InvalidStateError;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('contract: state dicts', () => {
  for (const { className, config } of classSamples()) {
    describe(className, () => {
      it('stateDict() is plain JSON data that survives JSON.stringify / JSON.parse unchanged', () => {
        const built = build(config);
        for (let k = 0; k < STEPS_BEFORE; k++) {
          const state = built.driver.stateDict();
          expect(findNonJsonData(state), 'not plain JSON data').to.equal(undefined);
          expect(state.__scheduler__).to.equal(className);
          expect(clone(state)).to.deep.equal(state);
          run(built, k, k + 1);
        }
      });

      it('a state loaded into a freshly built scheduler (optimizer view state first) gives the same state and identical following values', () => {
        const original = build(config);
        run(original, 0, STEPS_BEFORE);
        const state = clone(original.driver.stateDict());
        const fresh = build(config);
        fresh.optimizer.loadStateDict(clone(original.optimizer.stateDict()));
        quietly(() => fresh.driver.loadStateDict(state));
        expect(fresh.driver.stateDict()).to.deep.equal(original.driver.stateDict());
        expect(firstDifference(run(original, STEPS_BEFORE, STEPS_BEFORE + STEPS_AFTER), run(fresh, STEPS_BEFORE, STEPS_BEFORE + STEPS_AFTER))).to.equal(undefined);
      });

      it('the loaded scheduler shares nothing with the state object it was given', () => {
        const original = build(config);
        run(original, 0, 3);
        const state = clone(original.driver.stateDict());
        const fresh = build(config);
        quietly(() => fresh.driver.loadStateDict(state));
        const loaded = JSON.stringify(fresh.driver.stateDict());
        const scramble = (value: unknown): void => {
          if (Array.isArray(value)) value.forEach((item, i) => (typeof item === 'object' && item !== null ? scramble(item) : (value[i] = -1)));
          else if (typeof value === 'object' && value !== null) for (const key of Object.keys(value)) scramble((value as Record<string, unknown>)[key]);
        };
        scramble(state);
        expect(JSON.stringify(fresh.driver.stateDict())).to.equal(loaded);
      });

      it('rejects a state for another number of param groups, changing nothing', () => {
        const twoGroups = build(config);
        run(twoGroups, 0, 3);
        const oneGroup = build(withGroups(config, [0]));
        run(oneGroup, 0, 3);
        rejected(oneGroup, clone(twoGroups.driver.stateDict()));
        rejected(twoGroups, clone(oneGroup.driver.stateDict()));
      });

      it("rejects a state tagged with another class's name, naming the tag", () => {
        const built = build(config);
        const state = { ...clone(built.driver.stateDict()), __scheduler__: className === 'StepLR' ? 'ExponentialLR' : 'StepLR' };
        expect(rejected(built, state).message).to.match(new RegExp(`^${className}\\.loadStateDict: key "__scheduler__" must be "${className}"`));
      });

      it('rejects unknown keys, method names and forbidden names, and pollutes nothing', () => {
        const built = build(config);
        for (const key of ['unknownKey', 'step', 'getLr', 'optimizer', 'lastEpoch']) {
          const state: Record<string, unknown> = { ...clone(built.driver.stateDict()), [key]: 1 };
          expect(rejected(built, state).message).to.contain(`"${key}"`);
        }
        for (const key of ['__proto__', 'constructor', 'prototype']) {
          const state = JSON.parse(`{"${key}": {"polluted": true}, ${JSON.stringify(built.driver.stateDict()).slice(1)}`) as SchedulerState;
          expect(rejected(built, state).message).to.contain(`"${key}" is forbidden`);
          expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
        }
      });

      it('names the class, the key, the expected type and the given value when a value has the wrong type', () => {
        const built = build(config);
        run(built, 0, 2);
        const state = clone(built.driver.stateDict());
        const isNumberList = (value: unknown): boolean => Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'number');
        const numericKeys = Object.keys(state).filter((key) => typeof state[key] === 'number' || isNumberList(state[key]));
        expect(numericKeys, 'a state without numbers').to.not.be.empty;
        for (const key of numericKeys) {
          const message = rejected(built, { ...state, [key]: 'not a number' }).message;
          expect(message).to.match(new RegExp(`^${className}\\.loadStateDict: key "${key}" must be .+, got "not a number"$`));
        }
      });

      it('rejects a state missing any key it writes (except the optional ones), changing nothing', () => {
        const built = build(config);
        run(built, 0, 2);
        const state = clone(built.driver.stateDict());
        // Python-only keys, keys absent before the first step, and keys older PyTorch versions do not write.
        const optional = ['__scheduler__', '_get_lr_called_within_step', '_is_initial', 'verbose', '_last_lr', '_step_count', '_scale_fn_custom', 'default_min_lr'];
        for (const key of Object.keys(state).filter((k) => !optional.includes(k))) {
          const { [key]: _removed, ...rest } = state;
          let message: string;
          try {
            message = rejected(built, rest).message;
          } catch (error) {
            throw new Error(`without "${key}": ${(error as Error).message}`);
          }
          expect(message).to.contain(`"${key}"`);
        }
      });

      it('rejects a nested child state of the wrong shape, changing neither the parent nor any child', () => {
        const built = build(config);
        run(built, 0, 2);
        const state = clone(built.driver.stateDict());
        const children = state._schedulers;
        const after = state.after_scheduler;
        if (Array.isArray(children)) {
          rejected(built, { ...state, _schedulers: children.slice(1) });
          rejected(built, { ...state, _schedulers: [...children, children[0]] });
          const broken = clone(children);
          (broken[broken.length - 1] as SchedulerState).last_epoch = 'broken';
          rejected(built, { ...state, _schedulers: broken });
        } else if (after !== undefined && after !== null) {
          rejected(built, { ...state, after_scheduler: { ...(after as SchedulerState), __scheduler__: 'NotThatClass' } });
          rejected(built, { ...state, after_scheduler: { ...(after as SchedulerState), last_epoch: 'broken' } });
          rejected(built, { ...state, after_scheduler: null });
        }
      });
    });
  }
});
