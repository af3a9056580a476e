import { expect } from 'chai';
import { runSample } from './run-sample';

describe('samples/gradual-warmup.ts', () => {
  it('prints exactly the 19 lines PyTorch prints for the original GradualWarmupScheduler example', function () {
    this.timeout(60000);
    // Recorded from PyTorch 2.13 with ildoonet's GradualWarmupScheduler (issue 2).
    const pytorch = [
      '1 0.020000000000000004',
      '2 0.04000000000000001',
      '3 0.06',
      '4 0.08000000000000002',
      '5 0.1',
      ...[6, 7, 8, 9, 10, 11, 12, 13, 14].map((epoch) => `${epoch} 0.1`),
      ...[15, 16, 17, 18, 19].map((epoch) => `${epoch} 0.010000000000000002`),
    ];
    const { stdout, status } = runSample('gradual-warmup.ts');
    expect(status).to.equal(0);
    expect(stdout).to.equal(pytorch.join('\n') + '\n');
  });
});
