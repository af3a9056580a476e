/**
 * transformers' lr lambdas against the factors Python computes (spec/fixtures/transformers/
 * lambdas.json, written by generate.py from a copy of transformers' functions that it first checks
 * against the recordings of the real file): warmup, decay, past the end, negative and fractional
 * steps, bit for bit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  constantLambda,
  constantWithWarmupLambda,
  cosineWithHardRestartsLambda,
  cosineWithMinLrLrRateLambda,
  cosineWithWarmupLambda,
  inverseSqrtLambda,
  linearWithWarmupLambda,
  polynomialDecayLambda,
  wsdLambda,
  type HfLrLambda,
  type WsdShape,
} from '../../lib/transformers/lambdas';
import { sameDouble } from '../helpers/expect-bits';

interface LambdaTable {
  lambda: string;
  params: Record<string, number | string | null>;
  steps: number[];
  factors: number[];
  /** Index -> the factor with a correctly rounded cos, where glibc's cos at that step is not. */
  glibcMisrounded: Record<string, number>;
}

const FIXTURE = join(__dirname, '..', 'fixtures', 'transformers', 'lambdas.json');
const { lambdas } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { lambdas: LambdaTable[] };

/** Our lambda for transformers' function `name` with its keyword arguments. */
function build(name: string, p: Record<string, number | string | null>): HfLrLambda {
  const n = (key: string, fallback?: number): number => (p[key] ?? fallback) as number;
  switch (name) {
    case '_get_constant_schedule_with_warmup_lr_lambda':
      return constantWithWarmupLambda(n('num_warmup_steps'));
    case '_get_linear_schedule_with_warmup_lr_lambda':
      return linearWithWarmupLambda(n('num_warmup_steps'), n('num_training_steps'));
    case '_get_cosine_schedule_with_warmup_lr_lambda':
      return cosineWithWarmupLambda(n('num_warmup_steps'), n('num_training_steps'), n('num_cycles'), n('min_lr_rate', 0.0));
    case '_get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda':
      return cosineWithHardRestartsLambda(n('num_warmup_steps'), n('num_training_steps'), n('num_cycles'));
    case '_get_polynomial_decay_schedule_with_warmup_lr_lambda':
      return polynomialDecayLambda(n('num_warmup_steps'), n('num_training_steps'), n('lr_end'), n('power'), n('lr_init'));
    case '_get_inverse_sqrt_schedule_lr_lambda':
      return inverseSqrtLambda(n('num_warmup_steps'), n('timescale'));
    case '_get_cosine_with_min_lr_schedule_with_warmup_lr_rate_lambda':
      return cosineWithMinLrLrRateLambda(n('num_warmup_steps'), n('num_training_steps'), n('num_cycles'), n('min_lr_rate', 0.0), (p.warmup_lr_rate ?? null) as number | null);
    case '_get_wsd_scheduler_lambda':
      return wsdLambda(
        { numWarmupSteps: n('num_warmup_steps'), numStableSteps: n('num_stable_steps'), numDecaySteps: n('num_decay_steps') },
        p.warmup_type as WsdShape,
        p.decay_type as WsdShape,
        n('min_lr_ratio'),
        n('num_cycles'),
      );
    default:
      throw new Error(`no TypeScript lambda for ${name}`);
  }
}

describe('transformers lr lambdas', () => {
  it('covers every lambda of transformers\' optimization.py in the fixture', () => {
    expect(new Set(lambdas.map((table) => table.lambda)).size).to.equal(8);
    expect(lambdas.reduce((sum, table) => sum + table.steps.length, 0)).to.be.greaterThan(5000);
  });

  for (const table of lambdas) {
    it(`${table.lambda}(${JSON.stringify(table.params)}): Python's factor at every step, bit for bit`, () => {
      const lambda = build(table.lambda, table.params);
      const wrong: string[] = [];
      table.steps.forEach((step, i) => {
        const factor = lambda(step);
        // Where glibc's cos itself is not correctly rounded, pymath's correctly rounded cos gives
        // the other factor (until pymath reproduces glibc's misroundings, issue 11): both are exact.
        const alternative = table.glibcMisrounded[String(i)];
        if (!sameDouble(factor, table.factors[i]) && !(alternative !== undefined && sameDouble(factor, alternative))) {
          wrong.push(`step ${step}: expected ${table.factors[i]}, got ${factor}`);
        }
      });
      expect(wrong).to.deep.equal([]);
    });
  }

  it('returns the int 1 of _get_constant_lambda as the number 1 at every step', () => {
    const lambda = constantLambda();
    expect([-1, 0, 1, 2.5, 1e9].map(lambda)).to.deep.equal([1, 1, 1, 1, 1]);
  });
});
