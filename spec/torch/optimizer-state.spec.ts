import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { InvalidStateError } from '../../lib';
import { loadTorchOptimizerState, readTorchFile, torchOptimizerState, TorchTensor, type TorchDict } from '../../lib/torch';
import { expectBits } from '../helpers/expect-bits';
import { thrown } from '../helpers/errors';
import { at, fixtures, tfjsRun, type Fixture } from './torch-fixtures';

interface Slots {
  accumulations?: Array<{ originalName: string; variable: tf.Variable }>;
  accumulatedFirstMoment?: Array<{ originalName: string; variable: tf.Variable }>;
  accumulatedSecondMoment?: Array<{ originalName: string; variable: tf.Variable }>;
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

const byName = (name: string): Fixture => fixtures().find((f) => f.name === name) as Fixture;

function expectedTensor(fixture: Fixture, id: number, key: string): number[] {
  const found = fixture.expected.tensors.find((t) => t.path[2] === id && t.path[3] === key);
  return (found as { values: number[] }).values;
}

describe('loadTorchOptimizerState', () => {
  it("puts SGD's momentum buffers into tfjs momentum slots, bit for bit, two param groups", () => {
    const before = tf.memory().numTensors;
    const fixture = byName('step-lr');
    const ckpt = readTorchFile<{ optimizer: TorchDict }>(fixture.bytes);
    const run = tfjsRun(fixture.config);
    try {
      loadTorchOptimizerState(run.optimizers, ckpt.optimizer, run.variables);
      run.optimizers.forEach((optimizer, group) => {
        const slots = (optimizer as unknown as Slots).accumulations ?? [];
        expect(slots.map((s) => s.originalName)).to.deep.equal(run.variables[group].map((v) => `${v.name}/momentum`));
        slots.forEach((slot, k) => expectBits(Array.from(slot.variable.dataSync()), expectedTensor(fixture, group * 2 + k, 'momentum_buffer'), `group ${group} slot ${k}`));
      });
    } finally {
      run.dispose();
    }
    expect(tf.memory().numTensors).to.equal(before);
  });

  it("puts Adam's exp_avg / exp_avg_sq into the m / v slots and its step into iterations and accBeta = beta ** (step + 1)", () => {
    const before = tf.memory().numTensors;
    const fixture = byName('exponential-lr');
    const ckpt = readTorchFile<{ optimizer: TorchDict }>(fixture.bytes);
    const run = tfjsRun(fixture.config);
    try {
      loadTorchOptimizerState(run.optimizers, ckpt.optimizer, run.variables);
      run.optimizers.forEach((optimizer, group) => {
        const slots = optimizer as unknown as Slots;
        slots.accumulatedFirstMoment?.forEach((slot, k) => expectBits(Array.from(slot.variable.dataSync()), expectedTensor(fixture, group * 2 + k, 'exp_avg'), 'exp_avg'));
        slots.accumulatedSecondMoment?.forEach((slot, k) => expectBits(Array.from(slot.variable.dataSync()), expectedTensor(fixture, group * 2 + k, 'exp_avg_sq'), 'exp_avg_sq'));
        expect(optimizer.iterations).to.equal(fixture.before);
        const [beta1, beta2] = [[0.9, 0.999], [0.8, 0.99]][group];
        // tfjs divides by 1 - accBeta at its next update; PyTorch by 1 - beta ** (step + 1).
        expectBits([slots.accBeta1?.dataSync()[0] as number, slots.accBeta2?.dataSync()[0] as number], [Math.fround(beta1 ** 6), Math.fround(beta2 ** 6)], 'accBeta');
      });
    } finally {
      run.dispose();
    }
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('transposes by each parameter\'s permutation (a PyTorch Linear weight as a tfjs Dense kernel)', async () => {
    const fixture = byName('cyclic-lr');
    const ckpt = readTorchFile<{ optimizer: TorchDict }>(fixture.bytes);
    const run = tfjsRun(fixture.config);
    const kernel = tf.tidy(() => tf.variable(tf.zeros([3, 2])));
    try {
      loadTorchOptimizerState(run.optimizers, ckpt.optimizer, [{ variable: kernel, permutation: [1, 0] }, run.variables[0][1]]);
      const slot = ((run.optimizers[0] as unknown as Slots).accumulations ?? [])[0];
      const [a, b, c, d, e, f] = expectedTensor(fixture, 0, 'momentum_buffer');
      expect(slot.variable.shape).to.deep.equal([3, 2]);
      expectBits(Array.from(slot.variable.dataSync()), [a, d, b, e, c, f], 'transposed buffer');
      // And back: the PyTorch layout again.
      const state = await torchOptimizerState(run.optimizers, [{ variable: kernel, permutation: [1, 0] }, run.variables[0][1]]);
      const buffer = at(state, ['state', 0, 'momentum_buffer']) as TorchTensor;
      expect(buffer.shape).to.deep.equal([2, 3]);
      expectBits(Array.from(buffer.data as Float32Array), [a, b, c, d, e, f], 'buffer back in PyTorch layout');
    } finally {
      kernel.dispose();
      run.dispose();
    }
  });

  it('refuses what a tfjs optimizer would not continue exactly, naming it, and changes nothing', () => {
    const fixture = byName('linear-lr');
    const ckpt = readTorchFile<{ optimizer: { state: Map<number, TorchDict>; param_groups: TorchDict[] } }>(fixture.bytes);
    const run = tfjsRun(fixture.config);
    const defaultEpsilon = tf.train.adam(0.01);
    try {
      const slotsBefore = (run.optimizers[0] as unknown as Slots).accumulatedFirstMoment;
      const cases: Array<[() => void, string]> = [
        [() => loadTorchOptimizerState(run.optimizers, { ...ckpt.optimizer, param_groups: [{ ...ckpt.optimizer.param_groups[0], weight_decay: 0.01 }] }, run.variables), 'param_groups[0].weight_decay is 0.01, but tfjs optimizers have no weight decay'],
        [() => loadTorchOptimizerState(defaultEpsilon, ckpt.optimizer, run.variables), "param_groups[0].eps is 1e-8, but the tfjs Adam's epsilon is 1e-7"],
        [() => loadTorchOptimizerState(run.optimizers, ckpt.optimizer, [run.variables[0][0]]), "the state's param groups have 2 parameters, 1 variables were given"],
        [() => loadTorchOptimizerState(run.optimizers, ckpt.optimizer, [run.variables[0][1], run.variables[0][0]]), 'state[0].exp_avg has shape [2, 3], but its variable'],
        [() => loadTorchOptimizerState(run.optimizers, { ...ckpt.optimizer, state: new Map([[0, { ...ckpt.optimizer.state.get(0), max_exp_avg_sq: null }]]) }, run.variables), 'has "max_exp_avg_sq", which a tfjs Adam optimizer has no slot for'],
        [() => loadTorchOptimizerState(run.optimizers, { ...ckpt.optimizer, state: new Map([[0, ckpt.optimizer.state.get(0) as TorchDict]]) }, run.variables), 'different step counts'],
      ];
      const before = tf.memory().numTensors;
      for (const [load, message] of cases) {
        const error = thrown(load);
        expect(error).to.be.instanceOf(InvalidStateError);
        expect(error.message).to.contain(message);
      }
      expect(tf.memory().numTensors).to.equal(before);
      expect((run.optimizers[0] as unknown as Slots).accumulatedFirstMoment).to.equal(slotsBefore);
      // With strict: false the weight decay is accepted (the update then differs from PyTorch's).
      loadTorchOptimizerState(run.optimizers, { ...ckpt.optimizer, param_groups: [{ ...ckpt.optimizer.param_groups[0], weight_decay: 0.01 }] }, run.variables, { strict: false });
      expect(run.optimizers[0].iterations).to.equal(fixture.before);
    } finally {
      defaultEpsilon.dispose();
      run.dispose();
    }
  });
});

describe('torchOptimizerState', () => {
  it("gives back PyTorch's own state dict of a loaded optimizer: the same tensors, ids, steps and group keys", async () => {
    const before = tf.memory().numTensors;
    for (const name of ['step-lr', 'exponential-lr']) {
      const fixture = byName(name);
      const ckpt = readTorchFile<{ optimizer: { state: Map<number, TorchDict>; param_groups: TorchDict[] } }>(fixture.bytes);
      const run = tfjsRun(fixture.config);
      try {
        loadTorchOptimizerState(run.optimizers, ckpt.optimizer, run.variables);
        const state = await torchOptimizerState(run.optimizers, run.variables);
        const groups = state.param_groups as TorchDict[];
        expect(groups.map((g) => g.params)).to.deep.equal(ckpt.optimizer.param_groups.map((g) => g.params));
        groups.forEach((group, i) => expect(Object.keys(group)).to.have.members(Object.keys(ckpt.optimizer.param_groups[i])));
        for (const expected of fixture.expected.tensors) {
          const tensor = at(state, expected.path.slice(1)) as TorchTensor;
          expectBits(Array.from(tensor.data as Float32Array), expected.values, expected.path.join('.'));
        }
      } finally {
        run.dispose();
      }
    }
    expect(tf.memory().numTensors).to.equal(before);
  });
});
