import { expect } from 'chai';
import { runSample } from './run-sample';

describe('samples/custom-loop.ts', () => {
  it('steps StepLR per epoch, then warms up per iteration and hands over to StepLR per epoch', function () {
    this.timeout(60000);
    const { stdout, status } = runSample('custom-loop.ts');
    expect(status).to.equal(0);
    const [perEpoch, warmup] = stdout.split('\n\n');
    const rows = (block: string): Array<{ lrs: string; loss: number }> =>
      block
        .split('\n')
        .filter((line) => line.startsWith('epoch '))
        .map((line) => {
          const match = /^epoch \d+ {2}lr (.+) {2}loss (\S+)$/.exec(line);
          expect(match, line).to.not.equal(null);
          return { lrs: (match as RegExpExecArray)[1], loss: Number((match as RegExpExecArray)[2]) };
        });

    // StepLR(stepSize 2, gamma 0.5) from 0.1, one step per epoch (hand-computed).
    const first = rows(perEpoch);
    expect(first.map((row) => row.lrs)).to.deep.equal(['0.1', '0.1', '0.05', '0.05', '0.025', '0.025']);
    // Warmup from 0 over 6 iterations (0.1 * i / 6; multiplier 1), 4 batches per epoch; the hand-off keeps
    // StepLR's 0.1 for two epochs, then StepLR halves it (hand-computed from the original's rules).
    const second = rows(warmup);
    expect(second.map((row) => row.lrs)).to.deep.equal([
      `0.0 ${0.1 * (1 / 6)} ${0.1 * (2 / 6)} ${0.1 * (3 / 6)}`, // Python's print: 0.0, not 0
      `${0.1 * (4 / 6)} ${0.1 * (5 / 6)} 0.1 0.1`,
      '0.1 0.1 0.1 0.1',
      '0.1 0.1 0.1 0.1',
      '0.05 0.05 0.05 0.05',
      '0.05 0.05 0.05 0.05',
    ]);
    for (const block of [first, second]) {
      expect(block[block.length - 1].loss).to.be.below(block[0].loss / 10);
    }
  });
});
