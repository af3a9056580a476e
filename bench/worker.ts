/**
 * One measurement in its own process (so every timed call site sees one scheduler class and one
 * kind of param group, as in a real training loop):
 *
 *   node --expose-gc --import tsx bench/worker.ts plain <Class> <out.json> [--quick]
 *   node --expose-gc --import tsx bench/worker.ts tfjs <Class> <sgd|adam> <out.json> [--quick]
 *   node --expose-gc --import tsx bench/worker.ts model <sgd|adam> <out.json> [--quick]
 *   node --expose-gc --import tsx bench/worker.ts reference <out.json> [--quick]
 */
import { writeFileSync } from 'node:fs';
import { loadLibrary, pymath, setWarningHandler, type LRScheduler } from './library';
import { benchConfig, buildPlain, EPOCHS, hasClosedForm, STEPS_PER_SCHEDULE, stepperFor, takesEpoch, type Stepper } from './cases';
import { collectGarbage, gcAvailable, measure, measurePair, now, type Timing } from './timing';

const args = process.argv.slice(2).filter((arg) => arg !== '--quick');
const quick = process.argv.includes('--quick');
const WARMUP_RUNS = quick ? 2 : 3;
const RUNS = quick ? 5 : 11;

let warnings = 0;

/** Steps each driver (built beforehand) `count` times, timing intervals of `chunk` steps. */
function timeDrivers(drivers: LRScheduler[], stepper: Stepper, count: number, chunk = count): number[] {
  const times: number[] = [];
  for (const driver of drivers) {
    for (let first = 0; first < count; first += chunk) {
      const start = now();
      stepper(driver, chunk, first);
      times.push(now() - start);
    }
  }
  return times;
}

/** tfjs steps take microseconds: shorter intervals, so the ones the OS interrupted are outliers. */
const TFJS_CHUNK = 50;

function plain(className: string): unknown {
  const config = benchConfig(className);
  if (config === undefined) throw new Error(`no sample configuration for ${className}`);
  const stepper = stepperFor(className);
  const schedules = quick ? 20 : 100;
  // A schedule that lives through all runs, as in training: when every schedule of a run dies in
  // the collection between runs, V8 drops their hidden classes and the optimized step code with them.
  const keepAlive = buildPlain(config).driver;
  const warningsBefore = warnings;
  const step = measure(
    {
      prepare: () => Array.from({ length: schedules }, () => buildPlain(config).driver),
      intervals: (drivers) => timeDrivers(drivers, stepper, STEPS_PER_SCHEDULE),
      opsPerInterval: STEPS_PER_SCHEDULE,
    },
    WARMUP_RUNS,
    RUNS,
  );
  const warningsInStepLoop = warnings - warningsBefore;
  let epoch: Record<string, Timing> | null = null;
  let closedForm: boolean | null = null;
  if (takesEpoch(className)) {
    const longConfig = benchConfig(className, true);
    if (longConfig === undefined) throw new Error(`no long configuration for ${className}`);
    epoch = {};
    for (const at of EPOCHS) {
      const stepAt: Stepper = (driver, count) => {
        for (let i = 0; i < count; i++) driver.step(at);
      };
      epoch[String(at)] = measure(
        {
          prepare: () => Array.from({ length: schedules }, () => buildPlain(longConfig).driver),
          intervals: (drivers) => timeDrivers(drivers, stepAt, STEPS_PER_SCHEDULE),
          opsPerInterval: STEPS_PER_SCHEDULE,
        },
        WARMUP_RUNS,
        RUNS,
      );
    }
    closedForm = hasClosedForm(buildPlain(config).driver);
  }
  stepper(keepAlive, 1, 0);
  return { className, step, warningsInStepLoop, epoch, closedForm };
}

async function loadTf(): Promise<typeof import('@tensorflow/tfjs')> {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  return tf;
}

async function tfjs(className: string, column: 'sgd' | 'adam'): Promise<unknown> {
  const tf = await loadTf();
  const setup = await import('./tfjs-setup');
  const sample = benchConfig(className);
  const longSample = benchConfig(className, true);
  if (sample === undefined || longSample === undefined) throw new Error(`no sample configuration for ${className}`);
  const config = setup.columnConfig(sample, column);
  const stepper = stepperFor(className);
  const schedules = quick ? 4 : 20;
  const tensorsAtStart = tf.memory().numTensors;

  // Lives through all runs (see plain()).
  const keepAlive = setup.buildTfjs(config);
  stepper(keepAlive.built.driver, 10, 0);
  // The recording comes first: the baseline replays what the schedule writes.
  const recording = setup.record(config, STEPS_PER_SCHEDULE, stepper);
  let tensorsCreated = 0;
  const warningsBefore = warnings;
  const [step, writes] = measurePair(
    {
      prepare: () => Array.from({ length: schedules }, () => setup.buildTfjs(config)),
      intervals: (built) => {
        const firstId = setup.nextTensorId();
        const times = timeDrivers(
          built.map((b) => b.built.driver),
          stepper,
          STEPS_PER_SCHEDULE,
          TFJS_CHUNK,
        );
        tensorsCreated = setup.nextTensorId() - firstId - 1;
        return times;
      },
      cleanup: (built) => built.forEach((b) => b.dispose()),
      opsPerInterval: TFJS_CHUNK,
      positions: STEPS_PER_SCHEDULE / TFJS_CHUNK,
    },
    {
      prepare: () => Array.from({ length: schedules }, () => setup.replayTarget(config, recording)),
      intervals: (targets) => {
        const times: number[] = [];
        for (const target of targets) {
          for (let first = 1; first <= STEPS_PER_SCHEDULE; first += TFJS_CHUNK) {
            const start = now();
            setup.replayWrites(target.optimizers, recording, first, first + TFJS_CHUNK);
            times.push(now() - start);
          }
        }
        return times;
      },
      cleanup: (targets) => targets.forEach((t) => t.dispose()),
      opsPerInterval: TFJS_CHUNK,
      positions: STEPS_PER_SCHEDULE / TFJS_CHUNK,
    },
    WARMUP_RUNS,
    RUNS,
  );
  const warningsInStepLoop = warnings - warningsBefore;
  keepAlive.dispose();

  // 10^6 steps of one schedule: tensors and heap before and after.
  const longSteps = quick ? 100_000 : 1_000_000;
  const long = setup.buildTfjs(setup.columnConfig(longSample, column));
  stepper(long.built.driver, 10_000, 0);
  collectGarbage();
  const tensorsBefore = tf.memory().numTensors;
  const heapBefore = process.memoryUsage().heapUsed;
  const start = now();
  stepper(long.built.driver, longSteps, 10_000);
  const longNs = now() - start;
  collectGarbage();
  const tensorsAfter = tf.memory().numTensors;
  const heapAfter = process.memoryUsage().heapUsed;
  long.dispose();
  const tensorsAtEnd = tf.memory().numTensors;

  return {
    className,
    column,
    optimizer: setup.buildTfjsClassNames(config),
    step,
    writes,
    warningsInStepLoop,
    tensorsPerStep: tensorsCreated / (schedules * STEPS_PER_SCHEDULE),
    tensorsNeededPerStep: recording.tensorsNeeded / STEPS_PER_SCHEDULE,
    memory: {
      steps: longSteps,
      nsPerStep: longNs / longSteps,
      tensorsBefore,
      tensorsAfter,
      heapBefore,
      heapAfter,
      gc: gcAvailable(),
      tensorsLeakedAfterDispose: tensorsAtEnd - tensorsAtStart,
    },
  };
}

async function model(column: 'sgd' | 'adam'): Promise<unknown> {
  const tf = await loadTf();
  const inputs = 64;
  const hidden = 128;
  const outputs = 10;
  const batch = 32;
  const w1 = tf.variable(tf.randomNormal([inputs, hidden], 0, 0.1));
  const b1 = tf.variable(tf.zeros([hidden]));
  const w2 = tf.variable(tf.randomNormal([hidden, outputs], 0, 0.1));
  const b2 = tf.variable(tf.zeros([outputs]));
  const variables = [w1, b1, w2, b2];
  const params = variables.reduce((sum, v) => sum + v.size, 0);
  const x = tf.randomNormal([batch, inputs]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, outputs, 'int32') as never, outputs);
  const optimizer = column === 'sgd' ? tf.train.sgd(0.01) : tf.train.adam(0.001);
  const loss = (): import('@tensorflow/tfjs').Scalar =>
    tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)) as import('@tensorflow/tfjs').Scalar;
  const updates = quick ? 20 : 50;
  const update = measure(
    {
      prepare: () => null,
      intervals: () =>
        Array.from({ length: updates }, () => {
          const start = now();
          optimizer.minimize(loss, false, variables);
          return now() - start;
        }),
      opsPerInterval: 1,
    },
    WARMUP_RUNS,
    quick ? 5 : 9,
  );
  return { column, optimizer: optimizer.getClassName(), params, batch, layers: [inputs, hidden, outputs], update };
}

/**
 * For scale: hand-written loops over two plain groups (what a scheduler step cannot beat), and the
 * cost of one call of this package's cos / pow (Python's results) against Math.cos / Math.pow.
 */
function reference(): unknown {
  const loops = quick ? 200 : 1000;
  const timeLoop = (body: (groups: Array<{ lr: number }>, steps: number) => void): Timing =>
    measure(
      {
        prepare: () => Array.from({ length: loops }, () => [{ lr: 0.1 }, { lr: 0.05 }]),
        intervals: (all) =>
          all.map((groups) => {
            const start = now();
            body(groups, STEPS_PER_SCHEDULE);
            return now() - start;
          }),
        opsPerInterval: STEPS_PER_SCHEDULE,
      },
      WARMUP_RUNS,
      RUNS,
    );
  // StepLR-like: lr *= gamma every third epoch.
  const stepLike = timeLoop((groups, steps) => {
    for (let epoch = 1; epoch <= steps; epoch++) {
      const decay = epoch % 3 === 0;
      for (let i = 0; i < groups.length; i++) if (decay) groups[i].lr = groups[i].lr * 0.5;
    }
  });
  // The chainable cosine (CosineAnnealingLR's usual branch) with two Math.cos per step.
  const cosineLike = timeLoop((groups, steps) => {
    const tMax = 10;
    const etaMin = 0.001;
    for (let epoch = 1; epoch <= steps; epoch++) {
      const ratio = (1 + Math.cos((Math.PI * epoch) / tMax)) / (1 + Math.cos((Math.PI * (epoch - 1)) / tMax));
      for (let i = 0; i < groups.length; i++) groups[i].lr = ratio * (groups[i].lr - etaMin) + etaMin;
    }
  });
  // Arguments as the schedulers pass them (cosine phases over a few periods), one call site per function.
  const inputs = Float64Array.from({ length: 1000 }, (_, i) => (Math.PI * (i % 40)) / 10);
  const timeCalls = (loop: (xs: Float64Array) => number): Timing => {
    let sink = 0;
    const timing = measure(
      {
        prepare: () => null,
        intervals: () =>
          Array.from({ length: quick ? 50 : 200 }, () => {
            const start = now();
            sink += loop(inputs);
            return now() - start;
          }),
        opsPerInterval: inputs.length,
      },
      WARMUP_RUNS,
      RUNS,
    );
    if (sink === 0.5) process.stderr.write('');
    return timing;
  };
  return {
    handStepLR: stepLike,
    handCosine: cosineLike,
    mathCos: timeCalls((xs) => {
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += Math.cos(xs[i]);
      return sum;
    }),
    pymathCos: timeCalls((xs) => {
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += pymath.cos(xs[i]);
      return sum;
    }),
    mathPow: timeCalls((xs) => {
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += Math.pow(0.95, xs[i]);
      return sum;
    }),
    pymathPow: timeCalls((xs) => {
      let sum = 0;
      for (let i = 0; i < xs.length; i++) sum += pymath.pow(0.95, xs[i]);
      return sum;
    }),
  };
}

async function main(): Promise<void> {
  await loadLibrary();
  setWarningHandler(() => {
    warnings += 1;
  });
  const [mode, ...rest] = args;
  let result: unknown;
  let out: string;
  if (mode === 'plain') {
    result = plain(rest[0]);
    out = rest[1];
  } else if (mode === 'tfjs') {
    result = await tfjs(rest[0], rest[1] as 'sgd' | 'adam');
    out = rest[2];
  } else if (mode === 'model') {
    result = await model(rest[0] as 'sgd' | 'adam');
    out = rest[1];
  } else if (mode === 'reference') {
    result = reference();
    out = rest[0];
  } else {
    throw new Error(`bench/worker: unknown mode ${String(mode)}`);
  }
  writeFileSync(out, JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
