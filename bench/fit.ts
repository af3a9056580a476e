/**
 * `model.fit` with `LRSchedulerCallback` stepping a scheduler after every batch, against a no-op
 * `tf.Callback` and against the smallest hand-written callback that steps the same scheduler
 * (`onBatchEnd() { scheduler.step() }`). Each arm trains its own copy of the small MLP; fit calls
 * of one epoch rotate between the arms. A probe callback before and one after the measured one
 * record the time around its `onBatchEnd` (tfjs awaits each callback in turn), so the figure is
 * what the callback adds to a batch, tfjs's awaiting included.
 */
import * as tf from '@tensorflow/tfjs';
import { withGroups } from '../spec/contract/class-samples';
import { benchConfig } from './cases';
import { fromConfig, LRSchedulerCallback, type LRScheduler } from './library';
import { layersMlp } from './models';
import { bootstrap, median, type Estimate } from './stats';
import { makeOptimizer } from './tfjs-setup';

/** The scheduler the callback drives. */
export const FIT_CLASS = 'StepLR';

class Probe extends tf.Callback {
  constructor(private readonly times: number[]) {
    super();
  }

  override async onBatchEnd(): Promise<void> {
    this.times.push(performance.now());
  }
}

class NoopCallback extends tf.Callback {
  override async onBatchEnd(): Promise<void> {}
}

class MinimalCallback extends tf.Callback {
  constructor(private readonly scheduler: LRScheduler) {
    super();
  }

  override async onBatchEnd(): Promise<void> {
    this.scheduler.step();
  }
}

interface Arm {
  name: 'ours' | 'minimal' | 'noop';
  run(): Promise<void>;
  slots: number[];
  dispose(): void;
}

export interface FitRange {
  label: string;
  batches: number;
  oursNs: number;
  minimalNs: number;
  noopNs: number;
  oursOverNoop: Estimate;
  minimalOverNoop: Estimate;
  oursOverMinimal: Estimate;
}

export interface FitResult {
  className: string;
  backend: string;
  batchesPerFit: number;
  ranges: FitRange[];
}

function makeArm(name: Arm['name'], batchesPerFit: number): Arm {
  const config = withGroups(benchConfig(FIT_CLASS) as NonNullable<ReturnType<typeof benchConfig>>, [0]);
  const optimizer = makeOptimizer(config, 0);
  const { model, x, y, dispose } = layersMlp(tf, 'small', optimizer, batchesPerFit);
  let callback: tf.Callback | InstanceType<typeof LRSchedulerCallback>;
  if (name === 'noop') callback = new NoopCallback();
  else {
    const scheduler = fromConfig(config, { optimizer: () => optimizer }).driver;
    callback = name === 'ours' ? new LRSchedulerCallback(scheduler, { interval: 'batch', tf }) : new MinimalCallback(scheduler);
  }
  const before: number[] = [];
  const after: number[] = [];
  const slots: number[] = [];
  const callbacks = [new Probe(before), callback, new Probe(after)] as unknown as tf.CustomCallbackArgs[];
  return {
    name,
    slots,
    run: async () => {
      before.length = 0;
      after.length = 0;
      await model.fit(x, y, { batchSize: 32, epochs: 1, shuffle: false, verbose: 0, yieldEvery: 'never', callbacks });
      for (let i = 0; i < before.length; i++) slots.push((after[i] - before[i]) * 1e6);
    },
    dispose,
  };
}

export async function fitBench(backend: string, quick: boolean): Promise<FitResult> {
  const batchesPerFit = 50;
  const fits = quick ? 8 : 30;
  const arms = (['ours', 'minimal', 'noop'] as const).map((name) => makeArm(name, batchesPerFit));
  for (let f = 0; f < fits; f++) for (const arm of arms) await arm.run();
  const [ours, minimal, noop] = arms.map((arm) => arm.slots);
  const split = Math.min(1000, Math.floor(ours.length / 2));
  const ranges: FitRange[] = [
    [`batches 1-${split.toLocaleString('en-US')}`, 0, split],
    [`batches ${(split + 1).toLocaleString('en-US')}-${ours.length.toLocaleString('en-US')}`, split, ours.length],
  ].map(([label, from, to]) => {
    const rows: Array<[number, number, number]> = [];
    for (let i = from as number; i < (to as number); i++) rows.push([ours[i], minimal[i], noop[i]]);
    const col = (r: readonly (readonly number[])[], c: number): number => median(r.map((row) => row[c]));
    return {
      label: label as string,
      batches: rows.length,
      oursNs: col(rows, 0),
      minimalNs: col(rows, 1),
      noopNs: col(rows, 2),
      oursOverNoop: bootstrap(rows, (r) => col(r, 0) - col(r, 2)),
      minimalOverNoop: bootstrap(rows, (r) => col(r, 1) - col(r, 2)),
      oursOverMinimal: bootstrap(rows, (r) => col(r, 0) - col(r, 1)),
    };
  });
  arms.forEach((arm) => arm.dispose());
  return { className: FIT_CLASS, backend, batchesPerFit, ranges };
}
