/**
 * PyTorch hyper-parameters a tfjs optimizer cannot apply. A PyTorch param group loaded into tfjs
 * optimizers (or configured for them) keeps its `nesterov`, `dampening`, `weight_decay`, `amsgrad`,
 * ... as plain keys, which no tfjs update reads: training then differs from PyTorch's without a
 * word. `warnUnappliedHyperparameters` says so, once per hyper-parameter, through the package's
 * warning handler.
 */
import { floatRepr } from '../python/repr';
import { warn } from '../warnings';
import type { ParamGroup } from './param-group';
import type { TfjsOptimizerLike } from './tfjs-groups';

/** What the tfjs optimizer's `getConfig()` says (tfjs-core 4.x field names). */
interface TfjsConfig {
  useNesterov?: unknown;
  epsilon?: unknown;
  centered?: unknown;
  decay?: unknown;
  rho?: unknown;
  initialAccumulatorValue?: unknown;
}

/**
 * Why the value of a PyTorch key cannot take effect on this tfjs optimizer, or `undefined` when it
 * can (or is PyTorch's no-op value). `group` is the whole group, for keys that depend on others.
 */
type Rule = (value: unknown, className: string, config: TfjsConfig, group: ParamGroup) => string | undefined;

const differs = (a: unknown, b: unknown): boolean => typeof a === 'number' && typeof b === 'number' && !Object.is(a, b);

/** Python's repr of a hyper-parameter's value (a float or a bool). */
const repr = (value: unknown): string => (typeof value === 'boolean' ? (value ? 'True' : 'False') : floatRepr(value as number));

/** Why a value differs from what the tfjs optimizer was constructed with. */
const builtWith = (className: string, field: string, value: unknown): string => `the tfjs ${className} optimizer was built with ${field} ${repr(value)}`;

const RULES: Readonly<Record<string, Rule>> = {
  weight_decay: (value, _className, _config, group) => {
    if (typeof value !== 'number' || value === 0) return undefined;
    return group.decoupled_weight_decay === true
      ? "tfjs has no AdamW: its decoupled weight decay has no tfjs equivalent"
      : 'tfjs optimizers have no weight decay (PyTorch adds weight_decay * w to each gradient: add weight_decay / 2 * the sum of squared weights to the loss for the same update)';
  },
  dampening: (value) => (typeof value === 'number' && value !== 0 ? 'tfjs momentum has no dampening' : undefined),
  nesterov: (value, className, config) => {
    if (typeof value !== 'boolean') return undefined;
    const tfjsNesterov = className === 'Momentum' && config.useNesterov === true;
    if (value === tfjsNesterov) return undefined;
    if (className !== 'Momentum') return 'only tfjs momentum has Nesterov momentum: tf.train.momentum(lr, momentum, true)';
    return value
      ? 'the tfjs momentum optimizer was built without Nesterov momentum: tf.train.momentum(lr, momentum, true)'
      : 'the tfjs momentum optimizer was built with Nesterov momentum (useNesterov true)';
  },
  maximize: (value) => (value === true ? 'tfjs optimizers only minimize (negate the loss instead)' : undefined),
  amsgrad: (value) => (value === true ? 'tfjs Adam has no AMSGrad variant' : undefined),
  lr_decay: (value) => (typeof value === 'number' && value !== 0 ? 'tfjs Adagrad has no lr_decay' : undefined),
  centered: (value, className, config) => {
    if (typeof value !== 'boolean') return undefined;
    if (className !== 'RMSProp') return value ? 'only tfjs RMSProp has a centered variant' : undefined;
    return value !== (config.centered === true) ? builtWith('RMSProp', 'centered', config.centered === true) : undefined;
  },
  eps: (value, className, config) => {
    if (typeof value !== 'number') return undefined;
    if (typeof config.epsilon === 'number') {
      return differs(value, config.epsilon) ? builtWith(className, 'epsilon', config.epsilon) : undefined;
    }
    return className === 'Adagrad' ? "tfjs Adagrad uses the backend's epsilon (1e-07 on float32 backends)" : undefined;
  },
  alpha: (value, className, config) =>
    className === 'RMSProp' && differs(value, config.decay) ? builtWith('RMSProp', 'decay', config.decay) : undefined,
  rho: (value, className, config) =>
    className === 'Adadelta' && differs(value, config.rho) ? builtWith('Adadelta', 'rho', config.rho) : undefined,
  initial_accumulator_value: (value, className, config) =>
    className === 'Adagrad' && differs(value, config.initialAccumulatorValue)
      ? builtWith('Adagrad', 'initialAccumulatorValue', config.initialAccumulatorValue)
      : undefined,
};

/**
 * Warns, once per hyper-parameter, about every PyTorch key in `groups[i]` that `optimizers[i]`
 * cannot apply. `where` names the operation: `OptimizerView.loadStateDict`, `fromConfig`.
 */
export function warnUnappliedHyperparameters(where: string, groups: readonly ParamGroup[], optimizers: readonly TfjsOptimizerLike[]): void {
  if (optimizers.length === 0) return;
  const found = new Map<string, Array<{ index: number; value: unknown; className: string; reason: string }>>();
  groups.forEach((group, index) => {
    const optimizer = optimizers[index] as TfjsOptimizerLike & { getConfig?: () => TfjsConfig };
    if (optimizer === undefined) return;
    const className = optimizer.getClassName();
    const config = typeof optimizer.getConfig === 'function' ? optimizer.getConfig() : {};
    for (const key of Object.keys(RULES)) {
      if (!Object.prototype.hasOwnProperty.call(group, key)) continue;
      const reason = RULES[key](group[key], className, config, group);
      if (reason === undefined) continue;
      let list = found.get(key);
      if (list === undefined) found.set(key, (list = []));
      list.push({ index, value: group[key], className, reason });
    }
  });
  for (const [key, list] of found) {
    const indices = list.map((item) => item.index).join(', ');
    const values = [...new Set(list.map((item) => repr(item.value)))].join(', ');
    const classes = [...new Set(list.map((item) => item.className))].join(', ');
    const reasons = [...new Set(list.map((item) => item.reason))].join('; ');
    const subject = list.length === 1 ? `param_groups[${indices}] has` : `param_groups ${indices} have`;
    warn(
      `${where}: ${subject} ${key} ${values}, which the tfjs ${classes} optimizer${list.length === 1 ? '' : 's'} cannot apply: ` +
        `${reasons}. Training will differ from PyTorch's.`,
    );
  }
}
