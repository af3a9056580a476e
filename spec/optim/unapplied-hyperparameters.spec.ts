/**
 * tfjs gaps a porter should hear about (issue 15, item 10): a PyTorch param group loaded into (or
 * configured for) tfjs optimizers warns once per hyper-parameter the tfjs optimizer cannot apply,
 * naming it, through the package's warning handler. The groups below are torch 2.13's
 * `optimizer.state_dict()["param_groups"]` as JSON (True -> true, None -> null, tuples -> lists).
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { asOptimizer, fromConfig, StepLR, type OptimizerState } from '../../lib';
import { disposeOptimizer } from '../helpers/tfjs';
import { captureWarnings } from '../helpers/warnings';

// torch.optim.SGD(params, lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4, dampening=0)
const TORCH_SGD_NESTEROV = {
  lr: 0.1, momentum: 0.9, dampening: 0, weight_decay: 0.0005, nesterov: true, maximize: false, foreach: null, differentiable: false, fused: null, initial_lr: 0.1,
};
// torch.optim.AdamW(params) defaults
const TORCH_ADAMW = {
  lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01, amsgrad: false, maximize: false, foreach: null, capturable: false, differentiable: false, fused: null, decoupled_weight_decay: true,
};
// torch.optim.Adam(params, amsgrad=True) with its default eps
const TORCH_ADAM_AMSGRAD = { ...TORCH_ADAMW, weight_decay: 0, amsgrad: true, decoupled_weight_decay: false };

function load(optimizers: tf.Optimizer[], groups: Array<Record<string, unknown>>): string[] {
  const { warnings } = captureWarnings(() => asOptimizer(optimizers).loadStateDict({ param_groups: groups } as OptimizerState));
  expect(warnings.every((warning) => warning.category === 'UserWarning')).to.equal(true);
  return warnings.map((warning) => warning.message);
}

describe('unapplied PyTorch hyper-parameters', () => {
  let tensorsBefore: number;
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).to.equal(tensorsBefore);
  });

  it("warns once per hyper-parameter a tfjs momentum optimizer cannot apply: nesterov (built without it), weight_decay", () => {
    const optimizers = [tf.train.momentum(0.1, 0.9), tf.train.momentum(0.01, 0.9)];
    const messages = load(optimizers, [TORCH_SGD_NESTEROV, { ...TORCH_SGD_NESTEROV, lr: 0.01, initial_lr: 0.01 }]);
    expect(messages).to.deep.equal([
      'OptimizerView.loadStateDict: param_groups 0, 1 have weight_decay 0.0005, which the tfjs Momentum optimizers cannot apply: ' +
        'tfjs optimizers have no weight decay (PyTorch adds weight_decay * w to each gradient: add weight_decay / 2 * the sum of ' +
        "squared weights to the loss for the same update). Training will differ from PyTorch's.",
      'OptimizerView.loadStateDict: param_groups 0, 1 have nesterov True, which the tfjs Momentum optimizers cannot apply: ' +
        "the tfjs momentum optimizer was built without Nesterov momentum: tf.train.momentum(lr, momentum, true). Training will differ from PyTorch's.",
    ]);
    // what can be applied is applied
    expect(optimizers.map((o) => o.getConfig().learningRate)).to.deep.equal([0.1, 0.01]);
    optimizers.forEach(disposeOptimizer);
  });

  it('stays silent when the tfjs optimizer applies everything: Nesterov momentum, no decay, PyTorch defaults elsewhere', () => {
    const optimizer = tf.train.momentum(0.1, 0.9, true);
    expect(load([optimizer], [{ ...TORCH_SGD_NESTEROV, weight_decay: 0 }])).to.deep.equal([]);
    disposeOptimizer(optimizer);
    const adam = tf.train.adam(0.001, 0.9, 0.999, 1e-8);
    expect(load([adam], [{ ...TORCH_ADAMW, weight_decay: 0, decoupled_weight_decay: false }])).to.deep.equal([]);
    adam.dispose();
  });

  it("names AdamW's decoupled weight decay, amsgrad, and an epsilon the tfjs optimizer was not built with", () => {
    const adamw = tf.train.adam(0.001);
    expect(load([adamw], [TORCH_ADAMW])).to.deep.equal([
      "OptimizerView.loadStateDict: param_groups[0] has weight_decay 0.01, which the tfjs Adam optimizer cannot apply: tfjs has no AdamW: its decoupled weight decay has no tfjs equivalent. Training will differ from PyTorch's.",
      "OptimizerView.loadStateDict: param_groups[0] has eps 1e-08, which the tfjs Adam optimizer cannot apply: the tfjs Adam optimizer was built with epsilon 1e-07. Training will differ from PyTorch's.",
    ]);
    adamw.dispose();
    const amsgrad = tf.train.adam(0.001, 0.9, 0.999, 1e-8);
    expect(load([amsgrad], [TORCH_ADAM_AMSGRAD])).to.deep.equal([
      "OptimizerView.loadStateDict: param_groups[0] has amsgrad True, which the tfjs Adam optimizer cannot apply: tfjs Adam has no AMSGrad variant. Training will differ from PyTorch's.",
    ]);
    amsgrad.dispose();
  });

  it('warns for dampening and Nesterov on plain tfjs sgd, and only once for a repeated load with the default handler', () => {
    const optimizer = tf.train.sgd(0.1);
    const group = { lr: 0.1, momentum: 0, dampening: 0.1, weight_decay: 0, nesterov: true, maximize: false };
    expect(load([optimizer], [group])).to.deep.equal([
      "OptimizerView.loadStateDict: param_groups[0] has dampening 0.1, which the tfjs SGD optimizer cannot apply: tfjs momentum has no dampening. Training will differ from PyTorch's.",
      "OptimizerView.loadStateDict: param_groups[0] has nesterov True, which the tfjs SGD optimizer cannot apply: only tfjs momentum has Nesterov momentum: tf.train.momentum(lr, momentum, true). Training will differ from PyTorch's.",
    ]);
    optimizer.dispose();
  });

  it('warns for a configured group too (fromConfig building tfjs optimizers), never for the tensor-free VirtualOptimizer', () => {
    const config = {
      optimizer: { kind: 'sgd_momentum' as const, groups: [{ lr: 0.1, momentum: 0.9, nesterov: true }] },
      schedulers: [{ id: 's', type: 'StepLR', args: { step_size: 2 } }],
    };
    const built: tf.Optimizer[] = [];
    const { warnings } = captureWarnings(() =>
      fromConfig(config, { optimizer: (_kind, groups) => groups.map((g) => (built[built.length] = tf.train.momentum(g.lr, g.momentum as number))) }),
    );
    expect(warnings.map((w) => w.message)).to.deep.equal([
      "fromConfig: param_groups[0] has nesterov True, which the tfjs Momentum optimizer cannot apply: the tfjs momentum optimizer was built without Nesterov momentum: tf.train.momentum(lr, momentum, true). Training will differ from PyTorch's.",
    ]);
    built.forEach(disposeOptimizer);
    expect(captureWarnings(() => fromConfig(config)).warnings).to.deep.equal([]);
  });

  it('does not warn on a rejected load (nothing was applied)', () => {
    const optimizer = tf.train.momentum(0.1, 0.9);
    const scheduler = new StepLR(optimizer, { stepSize: 2 });
    const { warnings } = captureWarnings(() => {
      expect(() => asOptimizer(optimizer).loadStateDict({ param_groups: [{ ...TORCH_SGD_NESTEROV, lr: 'fast' }] } as never)).to.throw();
    });
    expect(warnings).to.deep.equal([]);
    expect(scheduler.optimizer.paramGroups[0]).to.not.have.property('weight_decay');
    disposeOptimizer(optimizer);
  });
});
