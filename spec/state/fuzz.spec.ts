/**
 * Property-based fuzzing of `loadStateDict()`: generated state dicts and real ones (taken from
 * every class sample at several steps) mutated by fast-check (keys deleted and added, including
 * `__proto__`, `constructor`, `prototype` and method names; wrong types; wrong lengths; NaN and
 * infinity spellings; nested children replaced or broken; huge lists; wrong class tags). Asserts:
 * only `InvalidStateError` escapes; a rejected load changes nothing (every scheduler's
 * `stateDict()`, the param groups, and the schedule that follows are as before); an accepted
 * state shares nothing with the given object; `Object.prototype` and `Array.prototype` stay clean.
 *
 * FUZZ_RUNS (default 2000) is the total number of states, spread evenly over every registered
 * class sample, the composed samples, and the optimizer view. `npm run fuzz` runs 100,000.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidStateError, registeredSchedulers, registeredScheduleFunctions, type BuiltSchedule, type JsonValue, type ScheduleConfig } from '../../lib';
import { COMPOSED_SCHEDULES, SAMPLE_SCHEDULES } from '../helpers/sample-schedules';
import { build, missingTypes, observation, quietly, run } from './schedule-run';

const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED_STEPS = [0, 1, 2, 4, 7, 13, 31];
const HUGE = 100_000;

type Json = JsonValue;
type Container = Json[] | { [key: string]: Json };

interface Target {
  name: string;
  config: ScheduleConfig;
}

const registered = registeredSchedulers();
const targets: Target[] = [
  ...registered.filter((name) => SAMPLE_SCHEDULES[name] !== undefined).map((name) => ({ name, config: SAMPLE_SCHEDULES[name] })),
  ...Object.entries(COMPOSED_SCHEDULES).map(([name, config]) => ({ name, config })),
].filter((target) => missingTypes(target.config, [...registered, ...registeredScheduleFunctions()]).length === 0);
/** One share for each target and one for the optimizer view. */
const RUNS_PER_TARGET = Math.max(1, Math.ceil(TOTAL_RUNS / (targets.length + 1)));

const counts = { states: 0, accepted: 0, rejected: 0 };

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Real state dicts of the target's driver after several numbers of steps (the mutation seeds). */
function seedStates(config: ScheduleConfig): Json[] {
  const built = build(config);
  const seeds: Json[] = [];
  let done = 0;
  for (const steps of SEED_STEPS) {
    run(built, done, steps);
    done = steps;
    seeds.push(clone(built.driver.stateDict()));
  }
  return seeds;
}

const allSeeds = new Map<string, Json[]>();
function seedsOf(target: Target): Json[] {
  let seeds = allSeeds.get(target.name);
  if (seeds === undefined) {
    seeds = seedStates(target.config);
    allSeeds.set(target.name, seeds);
  }
  return seeds;
}

/** A copy keeping everything the fuzzer may produce (NaN, undefined, own `__proto__` keys). */
function deepCopy(value: Json): Json {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.every((item) => item === null || typeof item !== 'object') ? value.slice() : value.map(deepCopy);
  const out: { [key: string]: Json } = {};
  for (const k of Object.keys(value)) setOwn(out, k, deepCopy(value[k]));
  return out;
}

/** Every object and list inside `value`, the root first. */
function containers(value: Json, out: Container[] = []): Container[] {
  if (value !== null && typeof value === 'object') {
    out.push(value);
    for (const child of Array.isArray(value) ? value : Object.values(value)) containers(child, out);
  }
  return out;
}

/** Sets an own property, even for `__proto__` (as `JSON.parse` would). */
function setOwn(record: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

const hostileKeys = [
  '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', 'step', 'getLr', 'loadStateDict',
  'stateDict', 'readState', 'optimizer', 'lastEpoch', 'baseLrs', 'nextLrs', 'lastLrs', '__scheduler__', 'base_lrs',
  'last_epoch', '_last_lr', '_step_count', '_schedulers', 'after_scheduler', 'milestones', 'verbose', 'lr', 'betas',
];
const key = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...hostileKeys) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });

const nonFiniteSpellings = fc.constantFrom('nan', 'inf', '-inf', 'NaN', 'Infinity', '-Infinity', '+inf', '1e999', 'INF', ' nan', '');
const tag = fc.constantFrom(...registered, 'LRScheduler', 'Object', '__proto__', '');
const hugeList = fc.constantFrom<() => Json>(
  () => new Array<Json>(HUGE).fill(0.1),
  () => new Array<Json>(HUGE).fill('inf'),
  () => new Array<Json>(HUGE).fill(null),
).map((make) => make());

const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.double() },
  { weight: 3, arbitrary: fc.integer({ min: -5, max: 50 }) },
  { weight: 2, arbitrary: nonFiniteSpellings },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, -0, 0, 1, 2 ** 53, -1, 0.5, 'min', 'max', 'cos', 'rel', 'triangular') },
  // Fresh copies: constants would otherwise be shared between runs and between places in one state.
  { weight: 1, arbitrary: fc.constantFrom<Json>([], {}, [0.1], [0.1, 0.05], [0.1, 0.05, 0.01], [null, null], [{}, {}]).map(clone) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: tag.map((name): Json => ({ __scheduler__: name })) },
  { weight: 1, arbitrary: fc.constant(null).map((): Json => JSON.parse('{"__proto__": {"polluted": true}}') as Json) },
  { weight: 1, arbitrary: fc.constant(null).map((): Json => JSON.parse('{"constructor": {"prototype": {"polluted": true}}}') as Json) },
  { weight: 1, arbitrary: fc.nat(1000).map((n): Json => (n < 20 ? (undefined as unknown as Json) : n)) },
);

type Mutation =
  | { kind: 'delete'; pick: number }
  | { kind: 'add'; pick: number; key: string; value: Json }
  | { kind: 'replace'; pick: number; value: Json }
  | { kind: 'resize'; pick: number; grow: boolean; value: Json }
  | { kind: 'retag'; pick: number; tag: string }
  | { kind: 'huge'; pick: number; list: Json }
  | { kind: 'transplant'; pick: number; from: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('add' as const), pick: fc.nat(), key, value }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('resize' as const), pick: fc.nat(), grow: fc.boolean(), value }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retag' as const), pick: fc.nat(), tag }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      pick: fc.nat(),
      // Long lists, and now and then a list of HUGE entries.
      list: fc.oneof({ weight: 1, arbitrary: fc.constant(null).chain(() => hugeList) }, { weight: 5, arbitrary: fc.array(fc.double(), { minLength: 3, maxLength: 200 }) as fc.Arbitrary<Json> }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transplant' as const), pick: fc.nat(), from: fc.nat() }) },
);

/** All seeds of all targets (for transplanting another class's state into a nested child). */
function anySeed(index: number): Json {
  const all = targets.flatMap((target) => seedsOf(target));
  return clone(all[index % all.length]);
}

function applyMutation(state: Json, m: Mutation): Json {
  const all = containers(state);
  if (all.length === 0) return state;
  const records = all.filter((c): c is { [key: string]: Json } => !Array.isArray(c));
  const lists = all.filter((c): c is Json[] => Array.isArray(c));
  const entryOf = (pick: number): [Container, string | number] | undefined => {
    const withEntries = all.filter((c) => (Array.isArray(c) ? c.length > 0 : Object.keys(c).length > 0));
    if (withEntries.length === 0) return undefined;
    const container = withEntries[pick % withEntries.length];
    const keys = Array.isArray(container) ? container.map((_, i) => i) : Object.keys(container);
    return [container, keys[Math.floor(pick / withEntries.length) % keys.length]];
  };
  switch (m.kind) {
    case 'delete': {
      const entry = entryOf(m.pick);
      if (entry === undefined) return state;
      const [container, at] = entry;
      if (Array.isArray(container)) container.splice(at as number, 1);
      else delete container[at as string];
      return state;
    }
    case 'add': {
      if (records.length === 0) return state;
      setOwn(records[m.pick % records.length], m.key, m.value);
      return state;
    }
    case 'replace': {
      const entry = entryOf(m.pick);
      if (entry === undefined) return m.value;
      const [container, at] = entry;
      if (Array.isArray(container)) container[at as number] = m.value;
      else setOwn(container, at as string, m.value);
      return state;
    }
    case 'resize': {
      if (lists.length === 0) return state;
      const list = lists[m.pick % lists.length];
      if (m.grow) list.push(m.value);
      else list.pop();
      return state;
    }
    case 'retag': {
      if (records.length === 0) return state;
      setOwn(records[m.pick % records.length], '__scheduler__', m.tag);
      return state;
    }
    case 'huge': {
      const entry = entryOf(m.pick);
      if (entry === undefined) return state;
      const [container, at] = entry;
      if (Array.isArray(container)) container[at as number] = m.list;
      else setOwn(container, at as string, m.list);
      return state;
    }
    case 'transplant': {
      // Replaces a nested state dict (an object holding another object) with a real state of some class.
      const nested = records.filter((r) => r !== state);
      if (nested.length === 0) return anySeed(m.from);
      const target = nested[m.pick % nested.length];
      for (const k of Object.keys(target)) delete target[k];
      const seed = anySeed(m.from) as { [key: string]: Json };
      for (const [k, v] of Object.entries(seed)) setOwn(target, k, v);
      return state;
    }
  }
}

/** A state to load: a mutated real state, a real state of another class, or a generated one. */
function candidate(target: Target): fc.Arbitrary<Json> {
  const seeds = seedsOf(target);
  const mutated = fc
    .record({ seed: fc.nat(seeds.length - 1), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) })
    .map(({ seed, mutations }) => mutations.reduce(applyMutation, clone(seeds[seed])));
  const foreign = fc.nat().map((i) => anySeed(i));
  const generated = fc
    .record({ tag: fc.option(tag), entries: fc.array(fc.tuple(fc.oneof(key, fc.constantFrom(...Object.keys(seeds[0] as object))), value), { maxLength: 12 }) })
    .map(({ tag: name, entries }) => {
      const record: { [key: string]: Json } = {};
      for (const [k, v] of entries) setOwn(record, k, v);
      if (name !== null) setOwn(record, '__scheduler__', name);
      return record as Json;
    });
  const topLevel = fc.constantFrom<Json>(null, 0, 'state', [], [{}], true);
  return fc.oneof({ weight: 14, arbitrary: mutated }, { weight: 2, arbitrary: generated }, { weight: 1, arbitrary: foreign }, { weight: 1, arbitrary: topLevel });
}

/** Everything a load could change: every scheduler's state dict, the param groups, the last lrs. */
function snapshot(built: BuiltSchedule): string {
  const schedulers: Record<string, unknown> = {};
  for (const [id, scheduler] of Object.entries(built.schedulers)) schedulers[id] = scheduler.stateDict();
  const groups = built.optimizer.paramGroups.map((group) => Object.keys(group).sort().join(','));
  return JSON.stringify({ schedulers, optimizer: built.optimizer.stateDict(), groups, observed: observation(built).map(String) });
}

function prototypeNames(): string {
  return [Object.prototype, Array.prototype, Function.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join(',')).join('|');
}
const cleanPrototypes = prototypeNames();

function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  if (prototypeNames() !== cleanPrototypes || probe.polluted !== undefined || ([] as unknown as Record<string, unknown>).polluted !== undefined) {
    throw new Error('Object.prototype / Array.prototype was changed');
  }
}

/** A scheduler after `steps` steps, with what it looked like and how it would go on. */
interface Prepared {
  built: BuiltSchedule;
  before: string;
  continuation: string;
}

const CONTINUATION_STEPS = 4;
/** Every this many rejected loads, the scheduler is also stepped on and compared with an untouched twin. */
const CONTINUE_EVERY = 8;

/** Schedulers ready for a load, kept while loads into them are rejected (and so changed nothing). */
const pool = new Map<string, Prepared>();

function prepared(target: Target, steps: number): Prepared {
  const id = `${target.name}@${steps}`;
  let found = pool.get(id);
  if (found === undefined) {
    const built = build(target.config);
    run(built, 0, steps);
    const twin = build(target.config);
    run(twin, 0, steps);
    const continuation = JSON.stringify(run(twin, steps, steps + CONTINUATION_STEPS).map((o) => o.map(String)));
    found = { built, before: snapshot(built), continuation };
    pool.set(id, found);
  }
  return found;
}

/** Loads `state`; returns whether it was accepted. Throws (failing the property) on any breach. */
function loadAndCheck(target: Target, steps: number, state: Json): boolean {
  const { built, before, continuation } = prepared(target, steps);
  const id = `${target.name}@${steps}`;
  let rejected: unknown;
  try {
    quietly(() => built.driver.loadStateDict(state as never));
  } catch (error) {
    rejected = error;
  }
  expectNoPollution();
  counts.states += 1;
  if (rejected !== undefined) {
    counts.rejected += 1;
    if (!(rejected instanceof InvalidStateError)) {
      pool.delete(id);
      throw new Error(`${target.name}: a ${(rejected as Error)?.name ?? typeof rejected} escaped: ${(rejected as Error)?.message ?? String(rejected)}`);
    }
    if (!/\.loadStateDict: /.test(rejected.message)) throw new Error(`${target.name}: message without class and method: ${rejected.message}`);
    if (snapshot(built) !== before) {
      pool.delete(id);
      throw new Error(`${target.name}: a rejected load changed something (${rejected.message})`);
    }
    if (counts.rejected % CONTINUE_EVERY === 0) {
      // Internal state that stateDict() does not show: the schedule goes on exactly like an untouched twin's.
      pool.delete(id);
      const ours = JSON.stringify(run(built, steps, steps + CONTINUATION_STEPS).map((o) => o.map(String)));
      if (ours !== continuation) throw new Error(`${target.name}: after a rejected load the schedule differs from an untouched twin's (${rejected.message})`);
    }
    return false;
  }
  counts.accepted += 1;
  pool.delete(id);
  // Accepted: nothing shared with the given object (scrambling it changes nothing).
  const loaded = snapshot(built);
  for (const container of containers(state)) {
    if (Array.isArray(container)) container.fill('scrambled');
    else for (const k of Object.keys(container)) container[k] = 'scrambled';
  }
  if (snapshot(built) !== loaded) throw new Error(`${target.name}: the scheduler shares data with the state it loaded`);
  // And what it now holds is a valid state of its own.
  quietly(() => built.driver.loadStateDict(clone(built.driver.stateDict())));
  return true;
}

describe('loadStateDict under fuzzing', function () {
  this.timeout(0);

  it('has a fuzz target for every registered class', () => {
    const covered = new Set(targets.flatMap((target) => target.config.schedulers.map((s) => s.type)));
    expect(registered.filter((name) => !covered.has(name))).to.deep.equal([]);
  });

  for (const target of targets) {
    it(`${target.name}: only InvalidStateError escapes, rejected loads change nothing, no pollution (${RUNS_PER_TARGET} states)`, () => {
      fc.assert(
        fc.property(fc.nat(6), candidate(target), (steps, state) => {
          loadAndCheck(target, steps, deepCopy(state));
        }),
        { numRuns: RUNS_PER_TARGET },
      );
    });
  }

  it(`the optimizer view: only InvalidStateError escapes, rejected loads change nothing (${RUNS_PER_TARGET} states)`, () => {
    const config = COMPOSED_SCHEDULES['OneCycleLR cycling Adam beta1'] ?? SAMPLE_SCHEDULES.StepLR;
    const seed = clone(build(config).optimizer.stateDict()) as unknown as Json;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const state = mutations.reduce(applyMutation, clone(seed));
        const built = build(config);
        const before = snapshot(built);
        counts.states += 1;
        try {
          built.optimizer.loadStateDict(state as never);
          counts.accepted += 1;
        } catch (error) {
          counts.rejected += 1;
          if (!(error instanceof InvalidStateError)) throw new Error(`a ${(error as Error).name} escaped: ${(error as Error).message}`);
          if (snapshot(built) !== before) throw new Error(`a rejected load changed the param groups (${error.message})`);
        }
        expectNoPollution();
      }),
      { numRuns: RUNS_PER_TARGET },
    );
  });

  after(() => {
    if (process.env.FUZZ_RUNS !== undefined || process.env.STATE_REPORT !== undefined) {
      process.stdout.write(
        `  fuzz: ${counts.states} states over ${targets.length} schedule targets + the optimizer view (${RUNS_PER_TARGET} each): ` +
          `${counts.rejected} rejected with InvalidStateError, ${counts.accepted} accepted\n`,
      );
    }
  });
});
