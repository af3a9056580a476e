/**
 * Fuzz target "state": `loadStateDict()` of every scheduler and of the optimizer view, fed
 * generated state dicts and real ones (taken from every class sample at several steps) mutated by
 * fast-check: keys deleted and added (`__proto__`, `constructor`, `prototype`, method names), wrong
 * types, wrong lengths, NaN and infinity spellings in every numeric key, nested children replaced
 * or broken, huge lists, expanded counters (MultiStepLR milestones with counts up to 1e15 and
 * thousands of keys), wrong class tags.
 *
 * Typed rejection: `InvalidStateError`, whose message names the class and method. Crash: anything
 * else thrown, or `Object.prototype` / `Array.prototype` changed. Partial change: a rejected load
 * changed a scheduler's `stateDict()`, the param groups, or the schedule that follows (compared with
 * an untouched twin); or an accepted state still shares data with the object it was given, or is
 * not a valid state of its own. An accepted state after which one of the next 30 steps gives a NaN
 * learning rate counts as a crash too (a state the constructor's rules allow cannot be poisonous),
 * unless it holds a number above 1e150 in magnitude (overflow to Infinity, then NaN, is arithmetic
 * any valid state near the double range can reach, in PyTorch too).
 */
import fc from 'fast-check';
import { InvalidStateError, registeredSchedulers, registeredScheduleFunctions, type BuiltSchedule, type JsonValue, type ScheduleConfig } from '../../lib';
import { FuzzFailure, recordInput, type FuzzTally, type FuzzTarget } from '../fuzz/target';
import { COMPOSED_SCHEDULES, SAMPLE_SCHEDULES } from '../helpers/sample-schedules';
import { build, missingTypes, observation, quietly, run } from './schedule-run';

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

/** MultiStepLR's Counter as JSON with counts far beyond a real milestone list, and many keys. */
const counter: fc.Arbitrary<Json> = fc
  .record({
    keys: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constantFrom(120, 1000, 5000)),
    count: fc.constantFrom(1, 1e6, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 1e15, 2 ** 53, 1.5, 0, -1, 'inf'),
  })
  .map(({ keys, count }): Json => Object.fromEntries(Array.from({ length: keys }, (_, i) => [String(i), count as Json])));

const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 1, arbitrary: counter },
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
    throw new FuzzFailure('crash', 'Object.prototype / Array.prototype was changed');
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

/** The largest magnitude of a finite number in `value` (infinities are values a state may hold). */
function largestMagnitude(value: Json): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.abs(value) : 0;
  if (value === null || typeof value !== 'object') return 0;
  let largest = 0;
  for (const child of Array.isArray(value) ? value : Object.values(value)) largest = Math.max(largest, largestMagnitude(child));
  return largest;
}

/** Whether any of the next 30 steps gives a NaN learning rate. */
function goesNaN(built: BuiltSchedule, from: number): boolean {
  try {
    return run(built, from, from + 30).some((o) => built.optimizer.paramGroups.some((_, g) => Number.isNaN(o[2 * g] as number)));
  } catch {
    return false; // a typed error of a later step (e.g. OneCycleLR past its total steps) is not a NaN
  }
}

/** Loads `state`; returns whether it was accepted. Throws a FuzzFailure on any breach. */
function loadAndCheck(target: Target, steps: number, state: Json, tally: FuzzTally): 'accepted' | 'rejected' {
  const { built, before, continuation } = prepared(target, steps);
  const id = `${target.name}@${steps}`;
  let rejected: unknown;
  try {
    quietly(() => built.driver.loadStateDict(state as never));
  } catch (error) {
    rejected = error;
  }
  expectNoPollution();
  if (rejected !== undefined) {
    if (!(rejected instanceof InvalidStateError)) {
      pool.delete(id);
      throw new FuzzFailure('crash', `${target.name}: a ${(rejected as Error)?.name ?? typeof rejected} escaped: ${(rejected as Error)?.message ?? String(rejected)}`);
    }
    if (!/\.loadStateDict: /.test(rejected.message)) throw new FuzzFailure('crash', `${target.name}: message without class and method: ${rejected.message}`);
    if (snapshot(built) !== before) {
      pool.delete(id);
      throw new FuzzFailure('partial', `${target.name}: a rejected load changed something (${rejected.message})`);
    }
    rejectedLoads += 1;
    if (rejectedLoads % CONTINUE_EVERY === 0) {
      // Internal state that stateDict() does not show: the schedule goes on exactly like an untouched twin's.
      pool.delete(id);
      const ours = JSON.stringify(run(built, steps, steps + CONTINUATION_STEPS).map((o) => o.map(String)));
      if (ours !== continuation) throw new FuzzFailure('partial', `${target.name}: after a rejected load the schedule differs from an untouched twin's (${rejected.message})`);
    }
    return 'rejected';
  }
  pool.delete(id);
  // Accepted: nothing shared with the given object (scrambling it changes nothing).
  const given = JSON.stringify(state).slice(0, 2000);
  const magnitude = largestMagnitude(state);
  const loaded = snapshot(built);
  for (const container of containers(state)) {
    if (Array.isArray(container)) container.fill('scrambled');
    else for (const k of Object.keys(container)) container[k] = 'scrambled';
  }
  if (snapshot(built) !== loaded) throw new FuzzFailure('partial', `${target.name}: the scheduler shares data with the state it loaded`);
  // And what it now holds is a valid state of its own.
  try {
    quietly(() => built.driver.loadStateDict(clone(built.driver.stateDict())));
  } catch (error) {
    throw new FuzzFailure('partial', `${target.name}: an accepted state is not a valid state of its own: ${(error as Error).message}`);
  }
  // A state the constructor's rules allow cannot be one that can only go NaN. Numbers near the
  // double range can overflow to Infinity and then to NaN (Infinity * 0) with any valid state, in
  // PyTorch as here: those states are left out of this check.
  if (magnitude > 1e150) {
    tally.note('state: accepted states left out of the NaN check (a number above 1e150)');
  } else if (goesNaN(built, steps)) {
    throw new FuzzFailure('crash', `${target.name}: an accepted state gave a NaN learning rate within 30 steps: ${given}`);
  }
  return 'accepted';
}

let rejectedLoads = 0;

function classify(error: unknown): { outcome: 'crash' | 'partial'; detail: string } {
  if (error instanceof FuzzFailure) return { outcome: error.outcome, detail: error.message };
  return { outcome: 'crash', detail: `the checker itself threw: ${(error as Error)?.stack ?? String(error)}` };
}

/** `runs` states in batches of fast-check samples (seeded, so a run can be repeated). */
async function sampled<T>(arbitrary: fc.Arbitrary<T>, runs: number, seed: number, each: (value: T) => Promise<void>): Promise<void> {
  const batch = 50;
  for (let done = 0; done < runs; done += batch) {
    for (const value of fc.sample(arbitrary, { numRuns: Math.min(batch, runs - done), seed: seed + done })) await each(value);
  }
}

const target: FuzzTarget = {
  name: 'state',
  inputs: 'scheduler / optimizer states',
  fullRuns: 100_000,
  sliceRuns: 1_400,
  async run(runs: number, tally: FuzzTally): Promise<void> {
    const missing = registered.filter((name) => !targets.some((t) => t.config.schedulers.some((s) => s.type === name)));
    if (missing.length > 0) throw new Error(`no fuzz target for ${missing.join(', ')}`);
    // One share for each schedule target and one for the optimizer view.
    const perTarget = Math.max(1, Math.ceil(runs / (targets.length + 1)));
    for (const [index, scheduleTarget] of targets.entries()) {
      await sampled(fc.tuple(fc.nat(6), candidate(scheduleTarget)), perTarget, 1000 * index, async ([steps, state]) => {
        await recordInput(tally, () => loadAndCheck(scheduleTarget, steps, deepCopy(state), tally), classify);
      });
    }
    const config = COMPOSED_SCHEDULES['OneCycleLR cycling Adam beta1'] ?? SAMPLE_SCHEDULES.StepLR;
    const seed = clone(build(config).optimizer.stateDict()) as unknown as Json;
    await sampled(fc.array(mutation, { minLength: 1, maxLength: 4 }), perTarget, 999_000, async (mutations) => {
      await recordInput(
        tally,
        () => {
          const state = mutations.reduce(applyMutation, clone(seed));
          const built = build(config);
          const before = snapshot(built);
          let outcome: 'accepted' | 'rejected' = 'accepted';
          try {
            built.optimizer.loadStateDict(state as never);
          } catch (error) {
            if (!(error instanceof InvalidStateError)) throw new FuzzFailure('crash', `optimizer view: a ${(error as Error).name} escaped: ${(error as Error).message}`);
            if (snapshot(built) !== before) throw new FuzzFailure('partial', `optimizer view: a rejected load changed the param groups (${error.message})`);
            outcome = 'rejected';
          }
          expectNoPollution();
          return outcome;
        },
        classify,
      );
    });
  },
};

export default target;
