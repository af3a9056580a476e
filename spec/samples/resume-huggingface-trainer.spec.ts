import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectBits } from '../helpers/expect-bits';
import { requireTorch, torchJob } from '../torch/python-torch';
import { FIXTURES } from '../torch/torch-fixtures';
import { ROOT } from './run-sample';

interface Expected {
  config: unknown;
  saved_at: number;
  total: number;
  learning_rates: number[];
}

const expected = JSON.parse(readFileSync(join(FIXTURES, 'hf-trainer', 'expected.json'), 'utf8')) as Expected;

describe('samples/resume-huggingface-trainer.ts', function () {
  this.timeout(120_000);
  let out: string;
  let printed: number[];

  before(() => {
    out = mkdtempSync(join(tmpdir(), 'hf-trainer-'));
    const run = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'samples', 'resume-huggingface-trainer.ts'), join(FIXTURES, 'hf-trainer', 'checkpoint-8'), out], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(0);
    printed = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('step '))
      .map((line) => Number(/learning_rate (\S+)$/.exec(line)?.[1]));
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  it("continues the Trainer's schedule from scheduler.pt + optimizer.pt + trainer_state.json with PyTorch's learning rates bit for bit", () => {
    expectBits(printed, expected.learning_rates.slice(expected.saved_at), 'learning rates after step 8');
  });

  it('writes a checkpoint folder half way that PyTorch (AdamW + LambdaLR over the partial) resumes to the same learning rates', async function () {
    requireTorch(this);
    const saveAt = Math.floor((expected.saved_at + expected.total) / 2);
    const result = await torchJob<{ lrs: number[]; steps: number[]; lambdas: unknown[] }>('trainer', {
      config: expected.config,
      folder: join(out, `checkpoint-${saveAt}`),
      steps: expected.total - saveAt,
    });
    expectBits(result.lrs, expected.learning_rates.slice(saveAt), 'PyTorch after our checkpoint');
    expectBits(result.lrs, printed.slice(saveAt - expected.saved_at), 'PyTorch vs this package');
    expect(result.lambdas).to.deep.equal([{}, {}]);
    // Each parameter's Adam step: tfjs's iteration count at the save (8 loaded + 6 updates), plus PyTorch's 6.
    expect(result.steps).to.deep.equal([20, 20, 20, 20]);
  });
});
