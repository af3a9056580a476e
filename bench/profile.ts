/**
 * Steps one class's sample schedule many times, for a CPU profile of the hot path:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile.ts CosineAnnealingLR [steps]
 */
import { setWarningHandler } from '../lib';
import { benchConfig, buildPlain, STEPS_PER_SCHEDULE, stepperFor } from './cases';
import { median, now } from './timing';

const [className, stepsArg] = process.argv.slice(2);
const config = benchConfig(className);
if (config === undefined) throw new Error(`bench/profile: no sample configuration for ${String(className)}`);
setWarningHandler(() => {});
const stepper = stepperFor(className);
const total = Number(stepsArg ?? 5_000_000);
const times: number[] = [];
for (let steps = 0; steps < total; steps += 100 * STEPS_PER_SCHEDULE) {
  const schedules = Array.from({ length: 100 }, () => buildPlain(config).driver);
  for (const driver of schedules) {
    const start = now();
    stepper(driver, STEPS_PER_SCHEDULE, 0);
    times.push(now() - start);
  }
}
process.stdout.write(`${className}: ${(median(times) / STEPS_PER_SCHEDULE).toFixed(1)} ns per step (median of ${times.length} intervals)\n`);
