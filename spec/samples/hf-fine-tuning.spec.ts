import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { expectSameDouble } from '../helpers/expect-bits';
import { ROOT, runSample } from './run-sample';

interface ResumeCase {
  name: string;
  lrs: number[][];
}

describe('samples/hf-fine-tuning.ts', () => {
  it("prints transformers' get_scheduler('cosine') learning rates, bit for bit as PyTorch ran them, and the loss falls", function () {
    this.timeout(60000);
    const { stdout, status, stderr } = runSample('hf-fine-tuning.ts');
    expect(status, stderr).to.equal(0);
    // The same schedule recorded with torch 2.13 by spec/fixtures/transformers/generate.py.
    const { cases } = JSON.parse(readFileSync(join(ROOT, 'spec', 'fixtures', 'transformers', 'resume.json'), 'utf8')) as { cases: ResumeCase[] };
    const recorded = cases.find((c) => c.name.startsWith('fine-tuning'));
    expect(recorded, 'the fine-tuning case of resume.json').to.not.equal(undefined);
    const rows = [...stdout.matchAll(/^step +(\d+) {2}lr (\S+)$/gm)].map((match) => [Number(match[1]), Number(match[2])] as const);
    expect(rows.map(([step]) => step)).to.deep.equal([0, 1, 2, 15, 29, 30, 31, 100, 150, 200, 250, 299, 300]);
    for (const [step, lr] of rows) expectSameDouble(lr, (recorded as ResumeCase).lrs[step][0], `lr at step ${step}`);
    const losses = [...stdout.matchAll(/^epoch \d+ {2}mean loss (\S+)$/gm)].map((match) => Number(match[1]));
    expect(losses).to.have.length(3);
    expect(losses[2]).to.be.below(losses[0]);
  });
});
