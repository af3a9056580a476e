/**
 * The class samples the contract specs run over: one per registered class (its driver is that
 * class), taken from spec/helpers/sample-schedules.ts. A registered class without a sample fails
 * the "every registered class has a sample" spec; a sample whose classes are not all registered
 * yet is left out until they are.
 */
import { registeredSchedulers, type ScheduleConfig } from '../../lib';
import { SAMPLE_SCHEDULES } from '../helpers/sample-schedules';
import { missingTypes } from '../state/schedule-run';

export interface ClassSample {
  className: string;
  config: ScheduleConfig;
}

export function classSamples(): ClassSample[] {
  const registered = registeredSchedulers();
  return registered
    .filter((className) => SAMPLE_SCHEDULES[className] !== undefined && missingTypes(SAMPLE_SCHEDULES[className], registered).length === 0)
    .map((className) => ({ className, config: SAMPLE_SCHEDULES[className] }));
}

/** Arguments PyTorch accepts per param group (a list with one entry per group). */
const PER_GROUP_ARGS = ['lr_lambda', 'base_lr', 'max_lr', 'base_momentum', 'max_momentum', 'min_lr', 'swa_lr'];

/**
 * The same configuration on a subset of its param groups: the groups at `indices`, and every
 * per-group argument list cut down to those groups.
 */
export function withGroups(config: ScheduleConfig, indices: readonly number[]): ScheduleConfig {
  const count = config.optimizer.groups.length;
  return {
    ...config,
    optimizer: { ...config.optimizer, groups: indices.map((i) => config.optimizer.groups[i]) },
    schedulers: config.schedulers.map((spec) => {
      const args: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(spec.args ?? {})) {
        args[key] = PER_GROUP_ARGS.includes(key) && Array.isArray(value) && value.length === count ? indices.map((i) => value[i] as unknown) : value;
      }
      return { ...spec, args };
    }),
  };
}
