/**
 * The state tensors of tfjs optimizers: read in a fixed named layout, checked against a live
 * optimizer and the variables it updates, and restored without a step that can fail halfway.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { checkSavedSlots, prepareSlotRestore, readOptimizerSlots, UnsupportedOptimizerError, type SlotTensor } from '../../lib/optim/tfjs-slots';
import { disposeOptimizer } from '../helpers/tfjs';

/** Two variables ([2, 3] and [3]) and `steps` updates of them. */
function trained(optimizer: tf.Optimizer, steps: number): tf.Variable[] {
  const variables = tf.tidy(() => [tf.variable(tf.ones([2, 3])), tf.variable(tf.ones([3]))]);
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      optimizer.minimize(() => tf.add(variables[0].square().sum(), variables[1].sum()) as tf.Scalar, false, variables);
    });
  }
  return variables;
}

const layouts: Array<[string, () => tf.Optimizer, string[]]> = [
  ['SGD', () => tf.train.sgd(0.1), []],
  ['Momentum', () => tf.train.momentum(0.1, 0.9), ['accumulations/0', 'accumulations/1']],
  ['Adagrad', () => tf.train.adagrad(0.1), ['accumulatedGrads/0', 'accumulatedGrads/1']],
  ['Adadelta', () => tf.train.adadelta(0.1), ['accumulatedGrads/0', 'accumulatedGrads/1', 'accumulatedUpdates/0', 'accumulatedUpdates/1']],
  ['RMSProp', () => tf.train.rmsprop(0.1, 0.9, 0.5), ['accumulatedMeanSquares/0', 'accumulatedMeanSquares/1', 'accumulatedMoments/0', 'accumulatedMoments/1']],
  [
    'RMSProp (centered)',
    () => tf.train.rmsprop(0.1, 0.9, 0.5, undefined, true),
    ['accumulatedMeanSquares/0', 'accumulatedMeanSquares/1', 'accumulatedMoments/0', 'accumulatedMoments/1', 'accumulatedMeanGrads/0', 'accumulatedMeanGrads/1'],
  ],
  ['Adam', () => tf.train.adam(0.1), ['accumulatedFirstMoment/0', 'accumulatedFirstMoment/1', 'accumulatedSecondMoment/0', 'accumulatedSecondMoment/1', 'accBeta1', 'accBeta2']],
  ['Adamax', () => tf.train.adamax(0.1), ['accumulatedFirstMoment/0', 'accumulatedFirstMoment/1', 'accumulatedWeightedInfNorm/0', 'accumulatedWeightedInfNorm/1', 'iteration', 'accBeta1']],
];

describe('tfjs optimizer slots', () => {
  let tensorsBefore = 0;
  before(() => tf.setBackend('cpu'));
  beforeEach(() => (tensorsBefore = tf.memory().numTensors));
  afterEach(() => expect(tf.memory().numTensors, 'tensors leaked').to.equal(tensorsBefore));

  for (const [name, make, names] of layouts) {
    it(`${name}: reads every state tensor in a fixed named layout, and restores it into a fresh optimizer exactly`, async () => {
      const optimizer = make();
      const variables = trained(optimizer, 3);
      const saved = readOptimizerSlots(optimizer);
      expect(saved.slots.map((slot) => slot.spec.name)).to.deep.equal(names);
      expect(saved.iterations).to.equal(3);
      const values = await Promise.all(saved.slots.map((slot) => (slot.tensor as unknown as tf.Tensor).data()));
      const fresh = make();
      const specs = saved.slots.map((slot) => slot.spec);
      expect(checkSavedSlots(fresh, { className: saved.className, iterations: 3, slots: specs }, variables)).to.equal(undefined);
      const copies = saved.slots.map((slot) => (slot.tensor as unknown as tf.Tensor).clone());
      const restore = prepareSlotRestore(fresh, { iterations: 3, slots: specs }, copies as unknown as SlotTensor[]);
      copies.forEach((copy) => copy.dispose());
      restore.apply();
      const restored = readOptimizerSlots(fresh);
      expect(restored.iterations).to.equal(3);
      expect(restored.slots.map((slot) => slot.spec)).to.deep.equal(specs);
      expect(await Promise.all(restored.slots.map((slot) => (slot.tensor as unknown as tf.Tensor).data()))).to.deep.equal(values);
      // The next update of both goes the same way.
      const twin = variables.map((v) => tf.tidy(() => tf.variable(v.clone())));
      tf.tidy(() => {
        optimizer.minimize(() => tf.add(variables[0].square().sum(), variables[1].sum()) as tf.Scalar, false, variables);
      });
      tf.tidy(() => {
        fresh.minimize(() => tf.add(twin[0].square().sum(), twin[1].sum()) as tf.Scalar, false, twin);
      });
      expect(await twin[0].data()).to.deep.equal(await variables[0].data());
      [...variables, ...twin].forEach((v) => v.dispose());
      disposeOptimizer(optimizer);
      disposeOptimizer(fresh);
    });
  }

  it('rejects saved slots that do not fit, saying why', () => {
    const optimizer = tf.train.adam(0.1);
    const variables = trained(optimizer, 1);
    const specs = readOptimizerSlots(optimizer).slots.map((slot) => ({ ...slot.spec, shape: slot.spec.shape.slice() }));
    const fresh = tf.train.adam(0.1);
    const check = (edit: (s: typeof specs) => void, into: tf.Optimizer = fresh, vars: tf.Variable[] | undefined = variables): string | undefined => {
      const copy = JSON.parse(JSON.stringify(specs)) as typeof specs;
      edit(copy);
      return checkSavedSlots(into, { className: 'Adam', iterations: 1, slots: copy }, vars);
    };
    expect(check(() => undefined)).to.equal(undefined);
    expect(check((s) => s.pop())).to.equal('it has 5 state tensors, which is no Adam layout');
    expect(check((s) => (s[0].dtype = 'int32'))).to.equal('state tensor "accumulatedFirstMoment/0" has dtype int32, expected float32');
    expect(check((s) => (s[4].shape = [1]))).to.equal('state tensor "accBeta1" has shape [1], expected [] (a scalar)');
    expect(check((s) => ([s[0].name, s[1].name] = [s[1].name, s[0].name]))).to.equal('state tensor 0 is "accumulatedFirstMoment/1", expected "accumulatedFirstMoment/0"');
    expect(check((s) => (s[2].shape = [3, 2]))).to.equal('state tensor "accumulatedSecondMoment/0" has shape [3, 2], but "accumulatedFirstMoment/0" of the same variable has [2, 3]');
    expect(check((s) => ((s[0].shape = [3, 2]), (s[2].shape = [3, 2])))).to.equal("the state of variable 0 has shape [3, 2], the model's trainable weight 0 has [2, 3]");
    // Against the slots the live optimizer already has (no variables given).
    expect(check((s) => ((s[0].shape = [3, 2]), (s[2].shape = [3, 2])), optimizer, undefined)).to.equal("the state of variable 0 has shape [3, 2], the optimizer's has [2, 3]");
    expect(checkSavedSlots(fresh, { className: 'Adamax', iterations: 1, slots: specs })).to.equal('it was a Adamax, it is now a Adam');
    expect(checkSavedSlots(fresh, { className: 'Adam', iterations: -1, slots: specs })).to.equal('its iteration count -1 is not a non-negative integer');
    // An optimizer saved before its first update fits any optimizer of the class.
    expect(checkSavedSlots(optimizer, { className: 'Adam', iterations: 0, slots: specs.slice(4) }, variables)).to.equal(undefined);
    variables.forEach((v) => v.dispose());
    disposeOptimizer(optimizer);
    disposeOptimizer(fresh);
  });

  it('discards what it built when a restore is not applied, and rejects optimizers it does not know', () => {
    const optimizer = tf.train.momentum(0.1, 0.9);
    const variables = trained(optimizer, 1);
    const saved = readOptimizerSlots(optimizer);
    const restore = prepareSlotRestore(optimizer, { iterations: 1, slots: saved.slots.map((s) => s.spec) }, saved.slots.map((s) => s.tensor));
    restore.discard();
    expect(readOptimizerSlots(optimizer).slots.every((slot) => !slot.tensor.isDisposed)).to.equal(true);
    const custom = Object.assign(Object.create(tf.train.sgd(0.1)), { getClassName: () => 'Lion' }) as tf.Optimizer;
    expect(() => readOptimizerSlots(custom)).to.throw(UnsupportedOptimizerError, 'the state of a tfjs Lion optimizer cannot be saved or restored (supported: SGD, Momentum, Adagrad, Adadelta, RMSProp, Adam, Adamax)');
    const broken = tf.train.adam(0.1);
    const accBeta1 = (broken as unknown as { accBeta1: tf.Variable }).accBeta1;
    (broken as unknown as { accBeta1: unknown }).accBeta1 = 'gone';
    expect(() => readOptimizerSlots(broken)).to.throw(UnsupportedOptimizerError, 'field "accBeta1" is not what this package knows from tfjs-core 4.x');
    (broken as unknown as { accBeta1: unknown }).accBeta1 = accBeta1;
    variables.forEach((v) => v.dispose());
    disposeOptimizer(optimizer);
    disposeOptimizer(broken);
    (Object.getPrototypeOf(custom) as tf.Optimizer).dispose();
  });
});
