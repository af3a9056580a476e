/**
 * Steps one class's sample schedule many times, for a CPU profile of the hot path, over plain
 * param groups or tfjs optimizers:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile.ts CosineAnnealingLR [steps] [plain|sgd|adam]
 */
import { loadLibrary, setWarningHandler, type LRScheduler } from './library';
import { benchConfig, buildPlain, STEPS_PER_SCHEDULE, stepperFor } from './cases';
import { median, now } from './timing';

async function main(): Promise<void> {
  await loadLibrary();
  const [className, stepsArg, column = 'plain'] = process.argv.slice(2);
  const config = benchConfig(className, column !== 'plain');
  if (config === undefined) throw new Error(`bench/profile: no sample configuration for ${String(className)}`);
  setWarningHandler(() => {});
  const stepper = stepperFor(className);
  const total = Number(stepsArg ?? 5_000_000);
  let build: () => { driver: LRScheduler; dispose(): void } = () => ({ driver: buildPlain(config).driver, dispose: () => {} });
  if (column !== 'plain') {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const setup = await import('./tfjs-setup');
    const tfjsConfig = setup.columnConfig(config, column as 'sgd' | 'adam');
    build = () => {
      const schedule = setup.buildTfjs(tfjsConfig);
      return { driver: schedule.built.driver, dispose: schedule.dispose };
    };
  }
  const chunk = column === 'plain' ? STEPS_PER_SCHEDULE : 50;
  const times: number[] = [];
  for (let steps = 0; steps < total; steps += 10 * STEPS_PER_SCHEDULE) {
    const schedules = Array.from({ length: 10 }, build);
    for (const schedule of schedules) {
      for (let first = 0; first < STEPS_PER_SCHEDULE; first += chunk) {
        const start = now();
        stepper(schedule.driver, chunk, first);
        times.push(now() - start);
      }
      schedule.dispose();
    }
  }
  process.stdout.write(`${className} (${column}): ${(median(times) / chunk).toFixed(1)} ns per step (median of ${times.length} intervals)\n`);
}

void main();
