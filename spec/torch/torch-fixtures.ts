/** The torch.save fixtures of spec/torch/fixtures (generate.py) and what the specs build from them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fromConfig, type BuiltSchedule, type LRScheduler, type ParamGroup, type ScheduleConfig } from '../../lib';
import type { TorchDict } from '../../lib/torch';

export const FIXTURES = join(__dirname, 'fixtures');

export interface FixtureTensor {
  path: Array<string | number>;
  dtype: string;
  shape: number[];
  values: number[];
}

export interface Fixture {
  name: string;
  description: string;
  config: ScheduleConfig;
  format: 'zip' | 'legacy';
  tensor_lr: boolean;
  before: number;
  after: number;
  metrics: number[] | null;
  /** PyTorch's SWA pattern: the driver steps while the epoch is <= swa_start, the SWALR "swa" afterwards. */
  swa_start?: number;
  expected: {
    scheduler: Record<string, unknown>;
    /** With `swa_start`: the SWALR's state, saved beside the driver's as `swa_scheduler`. */
    swa_scheduler?: Record<string, unknown>;
    param_groups: Array<Record<string, unknown>>;
    tensors: FixtureTensor[];
    lrs: number[][];
  };
  bytes: Uint8Array;
}

export function fixtures(): Fixture[] {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json') && file !== 'values.json')
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.json'.length);
      const record = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Omit<Fixture, 'name' | 'bytes'>;
      return { ...record, name, bytes: new Uint8Array(readFileSync(join(FIXTURES, `${name}.pt`))) };
    });
}

/** The tfjs optimizer of a configuration's param group, with PyTorch's defaults (Adam eps 1e-8, SGD momentum 0.9). */
export function tfjsOptimizerFor(kind: string, group: ParamGroup): tf.Optimizer {
  if (kind === 'adam') {
    const [beta1, beta2] = (group.betas as number[] | undefined) ?? [0.9, 0.999];
    return tf.train.adam(group.lr, beta1, beta2, 1e-8);
  }
  if (kind === 'sgd_momentum') return tf.train.momentum(group.lr, (group.momentum as number | undefined) ?? 0.9);
  return tf.train.sgd(group.lr);
}

export interface TfjsRun {
  built: BuiltSchedule;
  optimizers: tf.Optimizer[];
  /** Per group: a 2x3 weight and a bias, as the fixtures' PyTorch Linear layers. */
  variables: tf.Variable[][];
  dispose(): void;
}

/** The fixture's schedule over real tfjs optimizers (one per param group) and variables shaped as PyTorch's parameters. */
export function tfjsRun(config: ScheduleConfig): TfjsRun {
  const optimizers: tf.Optimizer[] = [];
  const built = fromConfig(config, {
    optimizer: (kind, groups) => {
      for (const group of groups) optimizers.push(tfjsOptimizerFor(kind, group));
      return optimizers;
    },
  });
  const variables = optimizers.map(() => tf.tidy(() => [tf.variable(tf.zeros([2, 3])), tf.variable(tf.zeros([2]))]));
  return {
    built,
    optimizers,
    variables,
    dispose: () => {
      for (const optimizer of optimizers) {
        optimizer.dispose();
        if (optimizer.getClassName() === 'Momentum' || optimizer.getClassName() === 'SGD') (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
      }
      for (const group of variables) for (const variable of group) variable.dispose();
    },
  };
}

/** The scheduler stepped after training step `epoch` (0-based), as generate.py's `stepped`. */
export function steppedAt(fixture: Fixture, built: BuiltSchedule, epoch: number): LRScheduler {
  return fixture.swa_start !== undefined && epoch > fixture.swa_start ? built.schedulers.swa : built.driver;
}

/** A checkpoint's scheduler states into the built schedulers: `scheduler` into the driver, `swa_scheduler` into the SWALR "swa". */
export function loadSchedulers(built: BuiltSchedule, ckpt: { scheduler: TorchDict; swa_scheduler?: TorchDict }): void {
  built.driver.loadStateDict(ckpt.scheduler);
  if (ckpt.swa_scheduler !== undefined) built.schedulers.swa.loadStateDict(ckpt.swa_scheduler);
}

/** Element `path` of a value (objects by key, Maps by key, arrays by index). */
export function at(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let here = value;
  for (const key of path) {
    if (here instanceof Map) here = here.get(key);
    else here = (here as Record<string | number, unknown>)[key];
  }
  return here;
}
