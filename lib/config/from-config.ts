/**
 * `fromConfig`: builds param groups and schedulers from the JSON configuration language of the
 * conformance format (`optimizer`, `schedulers` with `{"ref"}`, `{"fn"}`, `{"float"}`, `driver`).
 */
import { InvalidArgumentError, LRSchedulerError } from '../errors';
import type { LRScheduler } from '../lr-scheduler';
import { asOptimizer, VirtualOptimizer, type OptimizerLike, type OptimizerView } from '../optim/optimizer-view';
import type { ParamGroup } from '../optim/param-group';
import { warnUnappliedHyperparameters } from '../optim/unapplied-hyperparameters';
import { suggestion } from '../options';
import { createScheduler } from '../registry';
import { decodeFloat } from '../state/encoding';
import { describeValue } from '../state/state-reader';
import { buildLambda } from './lambdas';

export type OptimizerKind = 'sgd' | 'sgd_momentum' | 'adam';

/** The `optimizer` section: a kind and its param groups (numbers, or `{"float": "inf"}`). */
export interface OptimizerConfig {
  kind: OptimizerKind;
  groups: Array<Record<string, unknown>>;
}

export interface SchedulerConfig {
  id: string;
  type: string;
  args?: Record<string, unknown>;
}

export interface ScheduleConfig {
  optimizer: OptimizerConfig;
  schedulers: SchedulerConfig[];
  driver?: string;
  [key: string]: unknown;
}

/** A param group of the configuration, decoded: `lr`, optional `momentum` / `betas`, extra keys. */
export type GroupSpec = ParamGroup;

export interface FromConfigOptions {
  /**
   * Builds the optimizer from the decoded groups (for example real tfjs optimizers). The default is
   * a tensor-free `VirtualOptimizer` whose groups mirror PyTorch's (`sgd` groups have `momentum: 0`).
   * Extra group keys (`initial_lr`, `max_lr`, ...) are written into the built groups afterwards.
   */
  optimizer?: (kind: OptimizerKind, groups: GroupSpec[]) => OptimizerLike;
}

export interface BuiltSchedule {
  optimizer: OptimizerView;
  /**
   * The tensor-free `VirtualOptimizer` fromConfig built, or `null` when the `optimizer` option built
   * the optimizer. Call its `step()` where the training loop updates the weights, before the
   * driver's `step()`, as PyTorch expects (otherwise the "scheduler.step() before optimizer.step()"
   * warning fires).
   */
  virtualOptimizer: VirtualOptimizer | null;
  schedulers: Record<string, LRScheduler>;
  /** The driver (the `driver` id, or the last scheduler). */
  driver: LRScheduler;
  driverId: string;
}

/** An error in a configuration, naming the place in it (`schedulers[1].args.gamma`). */
export class ConfigError extends InvalidArgumentError {
  static override readonly errorName: string = 'ConfigError';

  readonly path: string;

  constructor(path: string, message: string, pythonType = 'ValueError') {
    super(`${path}: ${message}`, pythonType);
    this.path = path;
  }
}

const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'sgd_momentum', 'adam'];
const OPTIMIZER_KEYS = ['kind', 'groups'];
const SCHEDULER_KEYS = ['id', 'type', 'args'];

/** A misspelled key would otherwise be ignored silently (`"arg"` for `"args"`: a scheduler with no arguments). */
function rejectUnknownKeys(record: object, known: readonly string[], path: string): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) {
      throw new ConfigError(`${path}.${key}`, `unknown key (expected one of: ${known.join(', ')})${suggestion(key, known)}`);
    }
  }
}
const GROUP_KEYS_OF_OPTIMIZER = ['lr', 'momentum', 'betas'];

/** Decodes the `optimizer` section into param groups as PyTorch would hold them. */
export function decodeOptimizerConfig(config: unknown): { kind: OptimizerKind; groups: GroupSpec[] } {
  if (typeof config !== 'object' || config === null) throw new ConfigError('optimizer', `must be an object, got ${describeValue(config)}`);
  rejectUnknownKeys(config, OPTIMIZER_KEYS, 'optimizer');
  const { kind, groups } = config as OptimizerConfig;
  if (!OPTIMIZER_KINDS.includes(kind)) throw new ConfigError('optimizer.kind', `must be one of ${OPTIMIZER_KINDS.join(', ')}, got ${describeValue(kind)}`);
  if (!Array.isArray(groups) || groups.length === 0) throw new ConfigError('optimizer.groups', `must be a non-empty array, got ${describeValue(groups)}`);
  return {
    kind,
    groups: groups.map((group, i) => {
      const path = `optimizer.groups[${i}]`;
      if (typeof group !== 'object' || group === null) throw new ConfigError(path, `must be an object, got ${describeValue(group)}`);
      const decoded: GroupSpec = { lr: 0 };
      for (const [key, raw] of Object.entries(group)) {
        const value = decodeValue(raw, `${path}.${key}`, {});
        decoded[key] = value;
      }
      if (typeof decoded.lr !== 'number') throw new ConfigError(`${path}.lr`, `must be a number, got ${describeValue(group.lr)}`);
      if (decoded.momentum !== undefined && typeof decoded.momentum !== 'number') {
        throw new ConfigError(`${path}.momentum`, `must be a number, got ${describeValue(group.momentum)}`);
      }
      const betas = decoded.betas as unknown;
      if (betas !== undefined && !(Array.isArray(betas) && betas.length === 2 && betas.every((beta) => typeof beta === 'number'))) {
        throw new ConfigError(`${path}.betas`, `must be a pair of numbers [beta1, beta2], got ${describeValue(group.betas)}`);
      }
      if (kind === 'sgd') decoded.momentum = decoded.momentum ?? 0;
      if (kind === 'sgd_momentum') decoded.momentum = decoded.momentum ?? 0.9;
      if (kind === 'adam') decoded.betas = (betas as number[] | undefined)?.slice() ?? [0.9, 0.999];
      return decoded;
    }),
  };
}

interface DecodeContext {
  schedulers?: Record<string, LRScheduler>;
  optimizer?: OptimizerView;
}

/** Decodes one argument value: refs, lambdas, non-finite floats, arrays; other values as they are. */
function decodeValue(raw: unknown, path: string, context: DecodeContext): unknown {
  if (Array.isArray(raw)) return raw.map((item, i) => decodeValue(item, `${path}[${i}]`, context));
  if (typeof raw !== 'object' || raw === null) return raw;
  const record = raw as Record<string, unknown>;
  const fail = (message: string): never => {
    throw new ConfigError(path, message);
  };
  if ('ref' in record) {
    const id = record.ref;
    if (id === '$optimizer') return context.optimizer ?? fail('"$optimizer" cannot be referenced here');
    const found = typeof id === 'string' && context.schedulers !== undefined && Object.prototype.hasOwnProperty.call(context.schedulers, id)
      ? context.schedulers[id]
      : undefined;
    return found ?? fail(`unknown reference ${describeValue(id)} (a scheduler must be defined before it is referenced)`);
  }
  if ('fn' in record) return buildLambda(record, fail);
  if ('float' in record) {
    const value = decodeFloat(record.float);
    return value ?? fail(`"float" must be "inf", "-inf" or "nan", got ${describeValue(record.float)}`);
  }
  return fail(`unexpected object (expected {"ref"}, {"fn"} or {"float"}), got keys ${Object.keys(record).join(', ')}`);
}

/** The argument of transformers' `get_scheduler` whose JSON object is a Python dict of keyword arguments. */
const KWARGS_ARG = 'scheduler_specific_kwargs';

/** A `scheduler_specific_kwargs` dict: an object whose values are decoded like arguments (or `null`). */
function decodeKwargs(raw: unknown, path: string, context: DecodeContext): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return decodeValue(raw, path, context);
  const kwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) kwargs[key] = decodeValue(value, `${path}.${key}`, context);
  return kwargs;
}

/**
 * Builds the optimizer view and every scheduler of a configuration, in order, exactly as user code
 * constructing them one after the other would.
 */
export function fromConfig(config: ScheduleConfig, options: FromConfigOptions = {}): BuiltSchedule {
  if (typeof config !== 'object' || config === null) throw new ConfigError('config', `must be an object, got ${describeValue(config)}`);
  const { kind, groups } = decodeOptimizerConfig(config.optimizer);
  const virtualOptimizer = options.optimizer ? null : new VirtualOptimizer(groups);
  const optimizer = asOptimizer(virtualOptimizer ?? (options.optimizer as NonNullable<FromConfigOptions['optimizer']>)(kind, groups));
  if (options.optimizer) {
    optimizer.paramGroups.forEach((group, i) => {
      for (const [key, value] of Object.entries(groups[i])) {
        if (!GROUP_KEYS_OF_OPTIMIZER.includes(key)) group[key] = value;
      }
    });
    warnUnappliedHyperparameters('fromConfig', optimizer.paramGroups, optimizer.optimizers);
  }
  if (!Array.isArray(config.schedulers) || config.schedulers.length === 0) {
    throw new ConfigError('schedulers', `must be a non-empty array, got ${describeValue(config.schedulers)}`);
  }
  const schedulers: Record<string, LRScheduler> = {};
  let lastId = '';
  config.schedulers.forEach((spec, i) => {
    const path = `schedulers[${i}]`;
    if (typeof spec !== 'object' || spec === null) throw new ConfigError(path, `must be an object, got ${describeValue(spec)}`);
    rejectUnknownKeys(spec, SCHEDULER_KEYS, path);
    if (typeof spec.id !== 'string' || spec.id === '') throw new ConfigError(`${path}.id`, `must be a non-empty string, got ${describeValue(spec.id)}`);
    if (Object.prototype.hasOwnProperty.call(schedulers, spec.id)) throw new ConfigError(`${path}.id`, `duplicate id "${spec.id}"`);
    const rawArgs = spec.args ?? {};
    if (typeof rawArgs !== 'object' || rawArgs === null || Array.isArray(rawArgs)) {
      throw new ConfigError(`${path}.args`, `must be an object, got ${describeValue(rawArgs)}`);
    }
    const args: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(rawArgs)) {
      const context = { schedulers, optimizer };
      args[key] = key === KWARGS_ARG ? decodeKwargs(raw, `${path}.args.${key}`, context) : decodeValue(raw, `${path}.args.${key}`, context);
    }
    const takesNoOptimizer = spec.type === 'ChainedScheduler';
    try {
      schedulers[spec.id] = createScheduler(takesNoOptimizer ? null : optimizer, spec.type, args);
    } catch (error) {
      if (error instanceof LRSchedulerError) {
        const wrapped = new ConfigError(`${path} (${String(spec.type)} "${spec.id}")`, error.message, error.pythonType);
        (wrapped as Error).cause = error;
        throw wrapped;
      }
      throw error;
    }
    lastId = spec.id;
  });
  const driverId = config.driver ?? lastId;
  if (!Object.prototype.hasOwnProperty.call(schedulers, driverId)) {
    throw new ConfigError('driver', `unknown scheduler id ${describeValue(driverId)}`);
  }
  return { optimizer, virtualOptimizer, schedulers, driver: schedulers[driverId], driverId };
}
