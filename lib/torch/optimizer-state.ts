/**
 * The per-parameter state of PyTorch's optimizers and the slots of tfjs's, both ways:
 *
 * | PyTorch (`optimizer.state_dict()["state"][id]`) | tfjs optimizer | conversion |
 * |---|---|---|
 * | SGD, momentum 0: no state | `tf.train.sgd` | none |
 * | SGD `momentum_buffer` | `tf.train.momentum` accumulation (`<name>/momentum`) | the same tensor: both compute `buf = momentum * buf + grad` (dampening 0) and tfjs's zero start equals PyTorch's `buf = grad` first step |
 * | Adam/AdamW `exp_avg`, `exp_avg_sq` | `tf.train.adam` `<name>/m`, `<name>/v` | the same tensors |
 * | Adam/AdamW `step` (a float32 0-d tensor per parameter) | `iterations`, `accBeta1`, `accBeta2` | `accBetaK = betaK ** (step + 1)`, the factor tfjs applies at the next update; back: `step = iterations` |
 *
 * Exact: the state moves bit for bit. Not exact, and not a conversion matter: tfjs's Adam update
 * computes in float32 with `m * beta1 + g * (1 - beta1)` and `sqrt(v / (1 - accBeta2)) + eps`,
 * PyTorch's with `lerp` and a float64 bias correction, so the weights of the two runs drift apart
 * in the last bits from the first update on (the learning rates do not: the schedulers are exact).
 * Hyper-parameters tfjs cannot follow (weight decay, dampening, `maximize`, `amsgrad`, another
 * `eps` or Nesterov setting) are errors unless `strict: false`. Other tfjs optimizers (RMSProp,
 * Adagrad, Adadelta, Adamax) are refused: their update rules differ from PyTorch's in where
 * `eps` goes and whether `lr` is inside the momentum, so no state conversion continues a run.
 */
import { InvalidArgumentError, InvalidStateError } from '../errors';
import { pow } from '../math';
import { asOptimizer, type OptimizerLike } from '../optim/optimizer-view';
import type { TfjsOptimizerLike } from '../optim/tfjs-groups';
import { tfjsOps, type TfjsTensorData, type TfjsVariable } from '../optim/tfjs-runtime';
import { disposeSlots, type AdamInternals, type MomentumInternals, type SlotVariable } from '../optim/tfjs-slots';
import { decodeFloat } from '../state/encoding';
import { describeValue } from '../state/state-reader';
import { FLOAT_KEYS, pythonTyped } from './scheduler-state';
import { isTensorLike, pyFloat, TorchTensor, tuple, type TorchDict, type TorchValue } from './values';

/** A tfjs variable (`tf.Variable`), structurally. */
export interface TfjsVariableLike extends TfjsTensorData, TfjsVariable {
  readonly name: string;
}

/**
 * A model variable and how its axes relate to the PyTorch parameter: the tfjs tensor is the
 * PyTorch tensor transposed by `permutation` (`[1, 0]` for a `Linear` weight as a Dense kernel,
 * `[2, 3, 1, 0]` for a `Conv2d` weight as a Conv2D kernel). Default: the same layout.
 */
export interface TorchParameter {
  variable: TfjsVariableLike;
  permutation?: readonly number[];
}

export type TorchParameterLike = TfjsVariableLike | TorchParameter;

export interface LoadTorchOptimizerStateOptions {
  /** Refuse PyTorch hyper-parameters the tfjs optimizer does not compute (weight decay, ...). @default true */
  strict?: boolean;
}

type SlotVar = SlotVariable<TfjsVariableLike>;
const WHERE_LOAD = 'loadTorchOptimizerState';

function parameter(value: TorchParameterLike, index: number, where: string): Required<TorchParameter> {
  const given = value as Partial<TorchParameter>;
  const entry: TorchParameter = typeof given === 'object' && given !== null && typeof given.variable === 'object' ? (given as TorchParameter) : { variable: value as TfjsVariableLike };
  const variable = entry.variable;
  if (typeof variable !== 'object' || variable === null || !Array.isArray(variable.shape) || typeof variable.dataSync !== 'function') {
    throw new InvalidArgumentError(`${where}: parameters[${index}] must be a tfjs variable or { variable, permutation }, got ${describeValue(variable)}`, 'TypeError');
  }
  const rank = variable.shape.length;
  const permutation = entry.permutation ?? variable.shape.map((_, d) => d);
  if (!Array.isArray(permutation) || permutation.length !== rank || [...permutation].sort((a, b) => a - b).some((axis, d) => axis !== d)) {
    throw new InvalidArgumentError(`${where}: parameters[${index}].permutation must be a permutation of the ${rank} axes, got ${describeValue(permutation)}`);
  }
  return { variable, permutation };
}

/** The parameters per optimizer: one flat list for one optimizer, or one list per optimizer. */
function parameterGroups(parameters: readonly TorchParameterLike[] | ReadonlyArray<readonly TorchParameterLike[]>, sizes: readonly number[] | undefined, where: string): Array<Array<Required<TorchParameter>>> {
  if (!Array.isArray(parameters)) throw new InvalidArgumentError(`${where}: parameters must be an array of tfjs variables, got ${describeValue(parameters)}`, 'TypeError');
  let index = 0;
  if (parameters.every((item) => Array.isArray(item))) {
    return (parameters as ReadonlyArray<readonly TorchParameterLike[]>).map((group) => group.map((p) => parameter(p, index++, where)));
  }
  const flat = (parameters as readonly TorchParameterLike[]).map((p) => parameter(p, index++, where));
  if (sizes === undefined) return [flat];
  const out: Array<Array<Required<TorchParameter>>> = [];
  let start = 0;
  for (const size of sizes) {
    out.push(flat.slice(start, start + size));
    start += size;
  }
  return out;
}

/** Transposes row-major `data` of `shape` by `permutation` (output axis d is input axis permutation[d]). */
function permute(data: Float32Array, shape: readonly number[], permutation: readonly number[]): { data: Float32Array; shape: number[] } {
  const outShape = permutation.map((axis) => shape[axis]);
  if (permutation.every((axis, d) => axis === d)) return { data, shape: outShape };
  const inStrides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const steps = permutation.map((axis) => inStrides[axis]);
  const out = new Float32Array(data.length);
  const index = new Array<number>(outShape.length).fill(0);
  let source = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = data[source];
    for (let d = outShape.length - 1; d >= 0; d--) {
      index[d] += 1;
      source += steps[d];
      if (index[d] < outShape[d]) break;
      source -= steps[d] * outShape[d];
      index[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}

function inverse(permutation: readonly number[]): number[] {
  const out = new Array<number>(permutation.length);
  permutation.forEach((axis, d) => (out[axis] = d));
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map) ? (value as Record<string, unknown>) : undefined;
}

interface SavedOptimizerState {
  perParameter: Map<number, Record<string, unknown>>;
  groups: Array<Record<string, unknown>>;
  groupParams: number[][];
}

function readSaved(state: unknown): SavedOptimizerState {
  const fail = (message: string): never => {
    throw new InvalidStateError(`${WHERE_LOAD}: ${message}`);
  };
  const top = record(state) ?? fail(`expected PyTorch's optimizer.state_dict() ({ state, param_groups }), got ${describeValue(state)}`);
  const groups = Array.isArray(top.param_groups) ? (top.param_groups as unknown[]) : fail(`key "param_groups" must be a list of param groups, got ${describeValue(top.param_groups)}`);
  const seen = new Set<number>();
  const groupParams = groups.map((group, i) => {
    const params = record(group)?.params;
    if (!Array.isArray(params)) return fail(`param_groups[${i}].params must be a list of parameter ids, got ${describeValue(params)}`);
    return params.map((id: unknown, j) => {
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0 || seen.has(id)) fail(`param_groups[${i}].params[${j}] must be a parameter id not used before, got ${describeValue(id)}`);
      seen.add(id as number);
      return id as number;
    });
  });
  const perParameter = new Map<number, Record<string, unknown>>();
  const raw = top.state;
  const entries: Array<[unknown, unknown]> = raw instanceof Map ? [...(raw as Map<unknown, unknown>)] : record(raw) !== undefined ? Object.entries(raw as object).map(([k, v]) => [/^\d+$/.test(k) ? Number(k) : k, v]) : fail(`key "state" must be a dict of parameter id -> state, got ${describeValue(raw)}`);
  for (const [id, value] of entries) {
    if (typeof id !== 'number' || !seen.has(id)) fail(`state has an entry for ${describeValue(id)}, which no param group lists`);
    perParameter.set(id as number, record(value) ?? fail(`state[${String(id)}] must be a dict, got ${describeValue(value)}`));
  }
  return { perParameter, groups: groups as Array<Record<string, unknown>>, groupParams };
}

function tfjsOptimizers(optimizer: OptimizerLike, where: string): TfjsOptimizerLike[] {
  const optimizers = asOptimizer(optimizer).optimizers;
  if (optimizers.length === 0) throw new InvalidArgumentError(`${where}: expected a tfjs optimizer or an array of them (one per param group)`, 'TypeError');
  return [...optimizers];
}

function numberIn(group: Record<string, unknown>, key: string): number | undefined {
  const value = group[key];
  if (isTensorLike(value)) return (value as TorchTensor).item();
  return decodeFloat(value);
}

/** The hyper-parameters of a saved group that the tfjs optimizer would not follow, as messages. */
function mismatches(className: string, optimizer: TfjsOptimizerLike, group: Record<string, unknown>, i: number): string[] {
  const problems: string[] = [];
  const expect = (key: string, ok: (value: unknown) => boolean, why: string): void => {
    if (key in group && !ok(group[key])) problems.push(`param_groups[${i}].${key} is ${describeValue(group[key])}, but ${why}`);
  };
  expect('weight_decay', (v) => numberIn(group, 'weight_decay') === 0 || v === null, 'tfjs optimizers have no weight decay');
  expect('maximize', (v) => v === false, 'tfjs optimizers minimize');
  if (className === 'SGD' || className === 'Momentum') {
    expect('dampening', () => numberIn(group, 'dampening') === 0, "tfjs's momentum has no dampening");
    const nesterov = className === 'Momentum' && (optimizer as unknown as MomentumInternals).useNesterov;
    expect('nesterov', (v) => v === nesterov, `the tfjs optimizer has useNesterov ${String(nesterov)}`);
    if (className === 'SGD') expect('momentum', () => numberIn(group, 'momentum') === 0, 'tfjs "sgd" has no momentum (use tf.train.momentum(lr, momentum))');
  } else {
    const epsilon = (optimizer as unknown as AdamInternals).epsilon;
    expect('amsgrad', (v) => v === false, 'tfjs Adam has no amsgrad');
    expect('eps', () => numberIn(group, 'eps') === epsilon, `the tfjs Adam's epsilon is ${epsilon} (build it with tf.train.adam(lr, beta1, beta2, eps))`);
  }
  return problems;
}

/** A PyTorch state tensor as the float32 data and shape of the tfjs variable it belongs to. */
function slotData(value: unknown, param: Required<TorchParameter>, where: string): Float32Array {
  if (!isTensorLike(value) || value.dtype !== 'float32') {
    throw new InvalidStateError(`${WHERE_LOAD}: ${where} must be a float32 tensor (tfjs variables are float32), got ${isTensorLike(value) ? `a ${value.dtype} tensor` : describeValue(value)}`);
  }
  const permuted = value.shape.length === param.permutation.length ? permute(value.data as Float32Array, value.shape, param.permutation) : { data: value.data as Float32Array, shape: value.shape.slice() };
  if (value.shape.length !== param.permutation.length || !sameShape(permuted.shape, param.variable.shape)) {
    throw new InvalidStateError(
      `${WHERE_LOAD}: ${where} has shape [${value.shape.join(', ')}]${param.permutation.some((a, d) => a !== d) ? ` (permuted: [${permuted.shape.join(', ')}])` : ''}, but its variable "${param.variable.name}" has shape [${param.variable.shape.join(', ')}]`,
    );
  }
  return permuted.data === value.data ? new Float32Array(permuted.data) : permuted.data;
}

/**
 * Loads the per-parameter state of PyTorch's `optimizer.state_dict()` (as `readTorchFile` returns
 * it) into tfjs optimizers' slots: momentum buffers, Adam's moments and step. `parameters` are the
 * model's variables in PyTorch's parameter order (the ids of the state dict: for one param
 * group, `list(model.parameters())`), which must also be the order the tfjs optimizer gets
 * gradients in (`minimize`'s `varList`, a model's `trainableWeights`); one tfjs optimizer per
 * param group. Validates everything first; throws `InvalidStateError` and changes nothing on a
 * mismatch. Load the param groups (`asOptimizer(optimizer).loadStateDict(state)`) too.
 *
 * @example
 * const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
 * loadTorchOptimizerState(optimizer, ckpt.optimizer, model.trainableWeights.map((w) => w.read()));
 * asOptimizer(optimizer).loadStateDict(ckpt.optimizer);
 */
export function loadTorchOptimizerState(
  optimizer: OptimizerLike,
  state: unknown,
  parameters: readonly TorchParameterLike[] | ReadonlyArray<readonly TorchParameterLike[]>,
  options: LoadTorchOptimizerStateOptions = {},
): void {
  const optimizers = tfjsOptimizers(optimizer, WHERE_LOAD);
  const saved = readSaved(state);
  if (saved.groups.length !== optimizers.length) {
    throw new InvalidStateError(`${WHERE_LOAD}: the state has ${saved.groups.length} param groups, but ${optimizers.length} tfjs optimizer(s) were given (one per group)`);
  }
  const groups = parameterGroups(parameters, saved.groupParams.map((ids) => ids.length), WHERE_LOAD);
  const total = saved.groupParams.reduce((n, ids) => n + ids.length, 0);
  const given = groups.reduce((n, g) => n + g.length, 0);
  if (given !== total || groups.some((g, i) => g.length !== saved.groupParams[i].length)) {
    throw new InvalidStateError(`${WHERE_LOAD}: the state's param groups have ${saved.groupParams.map((ids) => ids.length).join(' + ')} parameters, ${groups.map((g) => g.length).join(' + ')} variables were given`);
  }
  const created: TfjsVariableLike[] = [];
  const applies: Array<() => void> = [];
  const tf = tfjsOps();
  const slot = (data: Float32Array, param: Required<TorchParameter>, suffix: string): SlotVar => {
    const tensor = tf.tensor(data, param.variable.shape, 'float32') as TfjsTensorData;
    const variable = tensor.variable(false) as unknown as TfjsVariableLike;
    tensor.dispose();
    created.push(variable);
    return { originalName: `${param.variable.name}/${suffix}`, variable };
  };
  try {
    optimizers.forEach((tfjsOptimizer, i) => {
      const className = tfjsOptimizer.getClassName();
      const group = saved.groups[i];
      const ids = saved.groupParams[i];
      const states = ids.map((id) => saved.perParameter.get(id));
      if (className !== 'SGD' && className !== 'Momentum' && className !== 'Adam') {
        throw new InvalidStateError(`${WHERE_LOAD}: tfjs ${className} optimizers are not supported (SGD, Momentum, Adam): their update rules differ from PyTorch's, so no state conversion would continue the run`);
      }
      if (options.strict !== false) {
        const problems = mismatches(className, tfjsOptimizer, group, i);
        if (problems.length > 0) throw new InvalidStateError(`${WHERE_LOAD}: ${problems.join('; ')}; the run would not continue as in PyTorch (pass { strict: false } to load the state anyway)`);
      }
      const allowed = className === 'Adam' ? ['step', 'exp_avg', 'exp_avg_sq'] : ['momentum_buffer'];
      states.forEach((entry, k) => {
        for (const key of Object.keys(entry ?? {})) {
          if (!allowed.includes(key)) {
            throw new InvalidStateError(`${WHERE_LOAD}: state[${ids[k]}] has "${key}", which a tfjs ${className} optimizer has no slot for (it holds ${allowed.join(', ')})${key === 'max_exp_avg_sq' ? ': amsgrad' : ''}`);
          }
        }
      });
      if (className === 'SGD') {
        states.forEach((entry, k) => {
          if (entry?.momentum_buffer !== undefined && entry.momentum_buffer !== null) {
            throw new InvalidStateError(`${WHERE_LOAD}: state[${ids[k]}] has a momentum buffer, but tfjs "sgd" has no momentum (use tf.train.momentum(lr, momentum))`);
          }
        });
        return;
      }
      const params = groups[i];
      if (className === 'Momentum') {
        const accumulations = params.map((param, k) => {
          const buffer = states[k]?.momentum_buffer;
          const data = buffer === undefined || buffer === null ? new Float32Array(param.variable.shape.reduce((a, b) => a * b, 1)) : slotData(buffer, param, `state[${ids[k]}].momentum_buffer`);
          return slot(data, param, 'momentum');
        });
        const internals = tfjsOptimizer as unknown as MomentumInternals<TfjsVariableLike>;
        applies.push(() => {
          disposeSlots(internals.accumulations);
          internals.accumulations = accumulations;
        });
        return;
      }
      // Adam: one step count for the optimizer, so every parameter must share it.
      const steps = new Set<number>();
      states.forEach((entry, k) => {
        if (entry === undefined) return;
        const raw = entry.step;
        const step = isTensorLike(raw) ? (raw as TorchTensor).item() : typeof raw === 'number' ? raw : undefined;
        if (step === undefined || !Number.isSafeInteger(step) || step < 0) throw new InvalidStateError(`${WHERE_LOAD}: state[${ids[k]}].step must be a non-negative whole number (a 0-d tensor), got ${describeValue(raw)}`);
        steps.add(step);
      });
      if (steps.size > 1 || (steps.size === 1 && states.some((entry) => entry === undefined))) {
        throw new InvalidStateError(`${WHERE_LOAD}: the parameters of param_groups[${i}] have different step counts (${[...steps].join(', ')}${states.some((e) => e === undefined) ? ', none' : ''}); a tfjs Adam optimizer has one bias correction for all its variables`);
      }
      const step = steps.size === 0 ? 0 : [...steps][0];
      const size = (param: Required<TorchParameter>): number => param.variable.shape.reduce((a, b) => a * b, 1);
      const first = params.map((param, k) => slot(states[k] === undefined ? new Float32Array(size(param)) : slotData(states[k]?.exp_avg, param, `state[${ids[k]}].exp_avg`), param, 'm'));
      const second = params.map((param, k) => slot(states[k] === undefined ? new Float32Array(size(param)) : slotData(states[k]?.exp_avg_sq, param, `state[${ids[k]}].exp_avg_sq`), param, 'v'));
      const internals = tfjsOptimizer as unknown as AdamInternals<TfjsVariableLike>;
      applies.push(() => {
        disposeSlots(internals.accumulatedFirstMoment);
        disposeSlots(internals.accumulatedSecondMoment);
        internals.accumulatedFirstMoment = first;
        internals.accumulatedSecondMoment = second;
        internals.iterations_ = step;
        // The factors tfjs divides by at its next update, PyTorch's 1 - beta ** (step + 1).
        for (const [accumulator, beta] of [[internals.accBeta1, internals.beta1], [internals.accBeta2, internals.beta2]] as const) {
          const value = tf.scalar(pow(beta, step + 1));
          accumulator.assign(value);
          value.dispose();
        }
      });
    });
  } catch (error) {
    for (const variable of created) variable.dispose();
    throw error;
  }
  for (const apply of applies) apply();
}

/** PyTorch's param-group keys and defaults of the optimizer each tfjs optimizer stands for. */
function torchGroupDefaults(className: string, optimizer: TfjsOptimizerLike): Record<string, unknown> {
  if (className === 'Adam') {
    const adam = optimizer as unknown as AdamInternals;
    return { lr: 0, betas: [adam.beta1, adam.beta2], eps: adam.epsilon, weight_decay: 0, amsgrad: false, maximize: false, foreach: null, capturable: false, differentiable: false, fused: null, decoupled_weight_decay: false };
  }
  const momentum = className === 'Momentum' ? (optimizer as unknown as MomentumInternals) : undefined;
  return { lr: 0, momentum: momentum?.momentum ?? 0, dampening: 0, weight_decay: 0, nesterov: momentum?.useNesterov ?? false, maximize: false, foreach: null, differentiable: false, fused: null };
}

async function torchTensorOf(variable: TfjsTensorData, param: Required<TorchParameter>, where: string): Promise<TorchTensor<'float32'>> {
  if (!sameShape(variable.shape, param.variable.shape)) {
    throw new InvalidStateError(`torchOptimizerState: ${where} has shape [${variable.shape.join(', ')}], its parameter "${param.variable.name}" [${param.variable.shape.join(', ')}] (are the parameters in the order the optimizer got gradients in?)`);
  }
  const back = permute(Float32Array.from(await variable.data()), variable.shape, inverse(param.permutation));
  return new TorchTensor('float32', back.shape, back.data);
}

/**
 * PyTorch's `optimizer.state_dict()` of tfjs optimizers (one per param group): the groups with
 * PyTorch's keys (its defaults for what tfjs does not have: `weight_decay: 0`, ...), and the
 * per-parameter state from the slots. Parameter ids number `parameters` in order (a flat list
 * for one optimizer, one list per optimizer otherwise), as PyTorch numbers its parameters.
 *
 * @example
 * const bytes = writeTorchFile({ optimizer: await torchOptimizerState(optimizer, model.trainableWeights.map((w) => w.read())) });
 * // Python: optimizer.load_state_dict(torch.load(f, weights_only=True)["optimizer"])
 */
export async function torchOptimizerState(
  optimizer: OptimizerLike,
  parameters: readonly TorchParameterLike[] | ReadonlyArray<readonly TorchParameterLike[]>,
): Promise<TorchDict> {
  const where = 'torchOptimizerState';
  const view = asOptimizer(optimizer);
  const optimizers = tfjsOptimizers(optimizer, where);
  const groups = parameterGroups(parameters, optimizers.length === 1 ? undefined : [], where);
  if (groups.length !== optimizers.length) {
    throw new InvalidArgumentError(`${where}: ${optimizers.length} optimizers need one list of parameters each, got ${groups.length}`);
  }
  const saved = view.stateDict().param_groups;
  const state = new Map<number, TorchValue>();
  const paramGroups: TorchDict[] = [];
  let nextId = 0;
  for (let i = 0; i < optimizers.length; i++) {
    const tfjsOptimizer = optimizers[i];
    const className = tfjsOptimizer.getClassName();
    if (className !== 'SGD' && className !== 'Momentum' && className !== 'Adam') {
      throw new InvalidArgumentError(`${where}: tfjs ${className} optimizers are not supported (SGD, Momentum, Adam)`);
    }
    const ids = groups[i].map(() => nextId++);
    if (className === 'Momentum') {
      const slots = (tfjsOptimizer as unknown as MomentumInternals<TfjsTensorData>).accumulations;
      for (let k = 0; k < ids.length; k++) {
        const slot = slots[k];
        if (slot !== undefined) state.set(ids[k], { momentum_buffer: await torchTensorOf(slot.variable, groups[i][k], `slot ${slot.originalName}`) });
      }
    } else if (className === 'Adam') {
      const adam = tfjsOptimizer as unknown as AdamInternals<TfjsTensorData>;
      const iterations = tfjsOptimizer.iterations;
      const accBeta1 = (await adam.accBeta1.data())[0];
      const implied = Math.log(accBeta1) / Math.log(adam.beta1) - 1;
      if (accBeta1 > 0 && adam.beta1 > 0 && adam.beta1 < 1 && Math.abs(implied - iterations) >= 0.5) {
        throw new InvalidStateError(
          `${where}: the tfjs Adam's bias correction (accBeta1 = ${accBeta1}, beta1 ** ${implied.toFixed(2)}) is not that of its ${iterations} updates, so no PyTorch step count reproduces it (was beta1 changed on the optimizer itself, not through its param group?)`,
        );
      }
      for (let k = 0; k < ids.length; k++) {
        const m = adam.accumulatedFirstMoment[k];
        const v = adam.accumulatedSecondMoment[k];
        if (m === undefined || v === undefined) continue;
        state.set(ids[k], {
          step: new TorchTensor('float32', [], new Float32Array([iterations])),
          exp_avg: await torchTensorOf(m.variable, groups[i][k], `slot ${m.originalName}`),
          exp_avg_sq: await torchTensorOf(v.variable, groups[i][k], `slot ${v.originalName}`),
        });
      }
    }
    const merged: Record<string, unknown> = { ...torchGroupDefaults(className, tfjsOptimizer), ...saved[i] };
    const truth = torchGroupDefaults(className, tfjsOptimizer);
    for (const key of ['momentum', 'nesterov', 'betas', 'eps']) if (key in truth) merged[key] = truth[key];
    merged.lr = view.paramGroups[i].lr;
    delete merged.params;
    const group: TorchDict = {};
    for (const [key, value] of Object.entries(merged)) group[key] = key === 'betas' ? tuple(...(value as number[]).map(pyFloat)) : pythonTyped(value, FLOAT_KEYS.has(key));
    group.params = ids;
    paramGroups.push(group);
  }
  return { state, param_groups: paramGroups };
}
