/**
 * The tfjs-layers `model.fit()` callback: steps a scheduler after the optimizer's updates of every
 * epoch or batch, as PyTorch Lightning's scheduler configuration does, and records the learning
 * rate in the epoch logs (`history.history.lr`).
 */
import { InvalidArgumentError } from '../errors';
import { LRScheduler } from '../lr-scheduler';
import { isTensorLike, tensorMetricError } from '../metric';
import type { TfjsOptimizerLike } from '../optim/tfjs-groups';
import { OptionChecker } from '../options';
import { describeValue } from '../state/state-reader';

/** Builds the scheduler when training begins, from `model.optimizer` (for `compile({ optimizer: 'adam' })`). */
export type SchedulerFactory = (optimizer: TfjsOptimizerLike) => LRScheduler;

/** What the `tf` option accepts: any namespace exporting tfjs-layers' `Callback` (`@tensorflow/tfjs`, `-node`, `-layers`). */
export interface TfjsLayersLike {
  readonly Callback: abstract new () => object;
}

/** tfjs logs: numbers for plain-object callbacks, scalar tensors for class-based ones. */
export type CallbackLogs = Record<string, unknown>;

export interface LRSchedulerCallbackOptions {
  /** When the scheduler steps: after every epoch or after every batch (Lightning's `interval`). @default 'epoch' */
  interval?: 'epoch' | 'batch';
  /** Step once every `frequency` epochs or batches (Lightning's `frequency`). @default 1 */
  frequency?: number;
  /**
   * The log key passed as the metric to `ReduceLROnPlateau` (also when it is the after-scheduler of
   * `GradualWarmupScheduler`), e.g. `'val_loss'`; required for those, unused by the others.
   * @default undefined
   */
  monitor?: string;
  /**
   * The app's tfjs (`import * as tf from '@tensorflow/tfjs'`, `-node` or `-layers`): the callback
   * becomes an instance of that copy's `tf.Callback`, so `model.fit` accepts it in any position of
   * a callbacks array, and a scheduler factory gets `model.optimizer`. Without it (or with `null`)
   * it is a plain object, which `model.fit` takes alone, among plain callbacks, or after tfjs's
   * class-based ones (`[tf.callbacks.earlyStopping(), callback]`). This package imports no tfjs
   * itself, so that an app's bundle holds one copy.
   * @default null
   */
  tf?: TfjsLayersLike | null;
}

interface ModelLike {
  optimizer?: unknown;
}

interface PlateauLike {
  step(metrics?: number, epoch?: number): void;
}

interface WarmupLike {
  step(epoch?: number, metrics?: number): void;
  readonly afterScheduler: LRScheduler | null;
}

const OPTION_NAMES = ['interval', 'frequency', 'monitor', 'tf'];
/** What the per-batch hooks return when they have nothing to wait for (one promise, not one per batch). */
const RESOLVED: Promise<void> = Promise.resolve();
const brand = new WeakSet<object>();

/**
 * A `model.fit()` callback that drives a scheduler: it steps after the optimizer's updates of each
 * interval (PyTorch's order), passes the monitored log value to `ReduceLROnPlateau`, and adds the
 * learning rate of the epoch's last update to the epoch logs as `lr` (and, with several param
 * groups, every group's as `lr_0`, `lr_1`, ...), so `history.history.lr` holds the curve.
 *
 * `scheduler` is a scheduler, or a function `(optimizer) => scheduler` called when training first
 * begins with `model.optimizer` (for models compiled with an optimizer name such as `'adam'`).
 *
 * With the `tf` option it is an instance of that tfjs's `tf.Callback` and works alone, first or
 * last beside tfjs's class-based callbacks (`tf.callbacks.earlyStopping`); without it, it is a plain
 * object (its methods are bound own properties), which works alone, among plain callbacks and after
 * class-based ones. Intervals are counted by the callback itself over all the `fit()` calls it
 * serves, so `fit({ epochs: 1 })` in a loop works.
 *
 * @example
 * const scheduler = new StepLR(optimizer, { stepSize: 10, gamma: 0.5 });
 * model.compile({ optimizer, loss: 'meanSquaredError' });
 * const history = await model.fit(x, y, { epochs: 30, callbacks: [new LRSchedulerCallback(scheduler)] });
 * // history.history.lr: 0.1 (epochs 0-9), 0.05 (10-19), 0.025 (20-29)
 *
 * @example
 * model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
 * const plateau = new LRSchedulerCallback((optimizer) => new ReduceLROnPlateau(optimizer, { patience: 2 }), { monitor: 'val_loss' });
 * await model.fit(x, y, { epochs: 50, validationSplit: 0.2, callbacks: [tf.callbacks.earlyStopping(), plateau] });
 */
export class LRSchedulerCallback {
  readonly interval: 'epoch' | 'batch';
  readonly frequency: number;
  readonly monitor: string | undefined;
  /** tfjs-layers' callback fields (`params` and `model` are set only when tfjs calls the callback directly). */
  validationData: unknown = null;
  params: Record<string, unknown> = {};
  model: unknown = null;

  #scheduler: LRScheduler | null;
  readonly #factory: SchedulerFactory | null;
  #epochs = 0;
  #batches = 0;
  #batchesThisEpoch = 0;
  #fitModel: ModelLike | null = null;
  #usedLrs: number[] = [];
  #lrKeys: string[] = [];
  #metricDecidedFor: LRScheduler | null = null;
  #usesMetric = false;

  constructor(scheduler: LRScheduler | SchedulerFactory, options: LRSchedulerCallbackOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(`LRSchedulerCallback: options must be an object, got ${describeValue(options)}`, 'TypeError');
    }
    const check = new OptionChecker('LRSchedulerCallback', options).known(OPTION_NAMES);
    this.interval = check.choice('interval', options.interval, ['epoch', 'batch'], 'epoch');
    this.frequency = check.integer('frequency', options.frequency, 1, 'a positive integer', (n) => n >= 1);
    if (options.monitor !== undefined && (typeof options.monitor !== 'string' || options.monitor === '')) {
      check.fail('monitor', 'a non-empty string (a key of the logs)', options.monitor, 'TypeError');
    }
    this.monitor = options.monitor;
    const base = callbackBase(options.tf, check);
    if (typeof scheduler === 'function') {
      this.#factory = scheduler;
      this.#scheduler = null;
    } else {
      this.#factory = null;
      this.#scheduler = this.#checkScheduler(scheduler, 'the first argument');
    }
    brand.add(this);
    if (base !== null && new.target === LRSchedulerCallback) Object.setPrototypeOf(this, prototypeOn(base));
  }

  /** `x instanceof LRSchedulerCallback` holds although the prototype is per tfjs copy. */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== LRSchedulerCallback) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && brand.has(value);
  }

  /** The scheduler being driven (`null` until training begins when built from a factory). */
  get scheduler(): LRScheduler | null {
    return this.#scheduler;
  }

  readonly setParams = (params: Record<string, unknown>): void => {
    this.params = params;
  };

  readonly setModel = (model: unknown): void => {
    this.model = model;
    this.#fitModel = model as ModelLike;
  };

  readonly onTrainBegin = async (): Promise<void> => {
    const model = this.#fitModel;
    let scheduler = this.#scheduler;
    if (scheduler === null) {
      if (model === null) {
        throw new InvalidArgumentError(
          'LRSchedulerCallback: a scheduler factory needs model.optimizer, but model.fit did not pass the model: it does ' +
            'that only for instances of its own tf.Callback. Pass the app\'s tfjs as the "tf" option ' +
            '(new LRSchedulerCallback(factory, { tf })), or build the scheduler on model.optimizer after model.compile().',
        );
      }
      const optimizer = model.optimizer;
      if (optimizer === undefined || optimizer === null) {
        throw new InvalidArgumentError('LRSchedulerCallback: the model has no optimizer; call model.compile() before model.fit()');
      }
      scheduler = this.#scheduler = this.#checkScheduler((this.#factory as SchedulerFactory)(optimizer as TfjsOptimizerLike), 'the factory\'s result');
    } else if (model !== null) {
      const optimizers = scheduler.optimizer.optimizers;
      if (optimizers.length > 0 && !optimizers.includes(model.optimizer as TfjsOptimizerLike)) {
        throw new InvalidArgumentError(
          `LRSchedulerCallback: the ${scheduler.getClassName()} schedules an optimizer the model does not train with; ` +
            'build it on the optimizer given to model.compile() (model.optimizer), or pass a factory (optimizer) => scheduler',
        );
      }
    }
    this.#checkMonitorAgainstParams(scheduler);
    const groupCount = scheduler.optimizer.paramGroups.length;
    if (this.#usedLrs.length !== groupCount) {
      this.#usedLrs = new Array<number>(groupCount).fill(0);
      this.#lrKeys = groupCount > 1 ? Array.from({ length: groupCount }, (_, i) => `lr_${i}`) : [];
    }
  };

  readonly onTrainEnd = async (): Promise<void> => {
    this.#fitModel = null;
  };

  readonly onEpochBegin = async (): Promise<void> => {
    this.#batchesThisEpoch = 0;
  };

  readonly onBatchBegin = (): Promise<void> => RESOLVED;

  // Not an async function: one runs on every batch, and V8 allocates a promise and, as this one would
  // contain an await, its suspended state (about 230 bytes) on every call. Errors still reject the
  // returned promise, as from an async function.
  readonly onBatchEnd = (batch: number, logs?: CallbackLogs): Promise<void> => {
    try {
      // #active() and #recordUsedLrs() inline: this runs unoptimized for hundreds of batches.
      const scheduler = this.#scheduler ?? this.#active();
      const groups = scheduler.optimizer.paramGroups;
      const used = this.#usedLrs;
      for (let i = 0; i < used.length; i++) used[i] = groups[i].lr;
      this.#batchesThisEpoch += 1;
      const batches = (this.#batches += 1);
      if (this.interval === 'batch' && batches % this.frequency === 0) {
        if (this.#metricDecidedFor === scheduler ? this.#usesMetric : this.#stepsOnMetric(scheduler)) return this.#step(scheduler, logs, 'batch');
        scheduler.step();
      }
      return RESOLVED;
    } catch (error) {
      return Promise.reject(error);
    }
  };

  readonly onEpochEnd = async (epoch: number, logs?: CallbackLogs): Promise<void> => {
    const scheduler = this.#active();
    if (this.#batchesThisEpoch === 0) this.#recordUsedLrs(scheduler);
    this.#epochs += 1;
    if (this.interval === 'epoch' && this.#epochs % this.frequency === 0) await this.#step(scheduler, logs, 'epoch');
    if (logs !== undefined && logs !== null) {
      const used = this.#usedLrs;
      logs.lr = used[0];
      const keys = this.#lrKeys;
      for (let i = 0; i < keys.length; i++) logs[keys[i]] = used[i];
    }
  };

  /**
   * When tfjs calls the callback directly it passes `params.metrics` (the epoch log keys): a missing
   * monitored key is reported before training starts, not at the first step.
   */
  #checkMonitorAgainstParams(scheduler: LRScheduler): void {
    const metrics = this.params.metrics;
    const monitor = this.monitor;
    if (monitor === undefined || !Array.isArray(metrics) || !usesMetric(scheduler)) return;
    const keys = (metrics as unknown[]).filter((key): key is string => typeof key === 'string');
    const available = this.interval === 'epoch' ? keys : [...keys.filter((key) => !key.startsWith('val_')), 'batch', 'size'];
    if (!available.includes(monitor)) throw missingKey(monitor, this.interval, available);
  }

  /** `usesMetric(scheduler)`, worked out once per scheduler (class names are compared, twice for a warmup). */
  #stepsOnMetric(scheduler: LRScheduler): boolean {
    if (this.#metricDecidedFor !== scheduler) {
      this.#metricDecidedFor = scheduler;
      this.#usesMetric = usesMetric(scheduler);
    }
    return this.#usesMetric;
  }

  #active(): LRScheduler {
    const scheduler = this.#scheduler;
    if (scheduler === null) {
      throw new InvalidArgumentError('LRSchedulerCallback: training did not begin through this callback (onTrainBegin was not called)');
    }
    return scheduler;
  }

  #recordUsedLrs(scheduler: LRScheduler): void {
    const groups = scheduler.optimizer.paramGroups;
    const used = this.#usedLrs;
    for (let i = 0; i < used.length; i++) used[i] = groups[i].lr;
  }

  /** Steps with each scheduler's own signature (PyTorch Lightning's `scheduler.step(monitor_val)` for plateaus). */
  async #step(scheduler: LRScheduler, logs: CallbackLogs | undefined, where: 'epoch' | 'batch'): Promise<void> {
    if (scheduler.getClassName() === 'ReduceLROnPlateau') {
      const metric = await this.#monitored(logs, where);
      (scheduler as unknown as PlateauLike).step(metric);
    } else if (isWarmupOverPlateau(scheduler)) {
      const metric = await this.#monitored(logs, where);
      (scheduler as unknown as WarmupLike).step(undefined, metric);
    } else {
      scheduler.step();
    }
  }

  async #monitored(logs: CallbackLogs | undefined, where: 'epoch' | 'batch'): Promise<number> {
    const monitor = this.monitor as string;
    const value = logs?.[monitor];
    if (value === undefined || value === null) {
      throw missingKey(monitor, where, logs === undefined || logs === null ? [] : Object.keys(logs));
    }
    if (typeof value === 'number') return value;
    if (isTensorLike(value)) {
      // tfjs owns the log tensors (it disposes them after the callbacks ran): read, never dispose.
      const problem = tensorMetricError(value, `LRSchedulerCallback: monitor "${monitor}"`);
      if (problem !== undefined) throw problem;
      return Number((await value.data())[0]);
    }
    throw new InvalidArgumentError(
      `LRSchedulerCallback: monitor "${monitor}" must be a number or a one-element tensor in the logs, got ${describeValue(value)}`,
      'TypeError',
    );
  }

  #checkScheduler(value: unknown, what: string): LRScheduler {
    if (!(value instanceof LRScheduler)) {
      throw new InvalidArgumentError(
        `LRSchedulerCallback: ${what} must be a scheduler or a function (optimizer) => scheduler, got ${describeValue(value)}`,
        'TypeError',
      );
    }
    if (usesMetric(value) && this.monitor === undefined) {
      throw new InvalidArgumentError(
        `LRSchedulerCallback: a ${value.getClassName()} steps on a metric: pass the log key to watch as the "monitor" option, e.g. { monitor: 'val_loss' }`,
      );
    }
    return value;
  }
}

/** Whether the scheduler steps on a metric: a ReduceLROnPlateau, alone or after a GradualWarmupScheduler. */
function usesMetric(scheduler: LRScheduler): boolean {
  return scheduler.getClassName() === 'ReduceLROnPlateau' || isWarmupOverPlateau(scheduler);
}

function missingKey(monitor: string, where: 'epoch' | 'batch', keys: readonly string[]): InvalidArgumentError {
  const hint = monitor.startsWith('val_')
    ? where === 'epoch'
      ? ' (val_ keys exist only when fit() gets validationData or validationSplit)'
      : ' (val_ keys exist only in the epoch logs: use interval "epoch")'
    : '';
  return new InvalidArgumentError(
    `LRSchedulerCallback: monitor "${monitor}" is not in the ${where} logs, which have: ${keys.length > 0 ? keys.join(', ') : 'no keys'}${hint}`,
    'KeyError',
  );
}

function isWarmupOverPlateau(scheduler: LRScheduler): boolean {
  if (scheduler.getClassName() !== 'GradualWarmupScheduler') return false;
  const after = (scheduler as unknown as WarmupLike).afterScheduler;
  return after !== null && after.getClassName() === 'ReduceLROnPlateau';
}

type CallbackConstructor = abstract new () => object;

/** The `tf.Callback` to extend: the `tf` option's, else none (a plain-object callback). */
function callbackBase(tf: TfjsLayersLike | null | undefined, check: OptionChecker): CallbackConstructor | null {
  if (tf === null || tf === undefined) return null;
  if (typeof tf !== 'object' || typeof tf.Callback !== 'function') {
    check.fail('tf', "a tfjs namespace exporting Callback (import * as tf from '@tensorflow/tfjs'), or null", tf, 'TypeError');
  }
  return tf.Callback;
}

const prototypes = new WeakMap<CallbackConstructor, object>();

/** LRSchedulerCallback's prototype members on top of `base.prototype`, one object per tfjs copy. */
function prototypeOn(base: CallbackConstructor): object {
  let prototype = prototypes.get(base);
  if (prototype === undefined) {
    prototype = Object.create(base.prototype, Object.getOwnPropertyDescriptors(LRSchedulerCallback.prototype)) as object;
    prototypes.set(base, prototype);
  }
  return prototype;
}
