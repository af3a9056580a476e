import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runSample } from './run-sample';

describe('samples/port-from-pytorch.ts', () => {
  it("prints exactly what the same loops print in PyTorch (spec/fixtures/samples/port-from-pytorch.py's recorded output)", function () {
    this.timeout(60000);
    const { stdout, stderr, status } = runSample('port-from-pytorch.ts');
    expect(stderr).to.equal('');
    expect(status).to.equal(0);
    const recorded = readFileSync(join(ROOT, 'spec', 'fixtures', 'samples', 'port-from-pytorch.txt'), 'utf8');
    const actualLines = stdout.split('\n');
    recorded.split('\n').forEach((line, i) => expect(actualLines[i], `line ${i + 1}`).to.equal(line));
    expect(stdout).to.equal(recorded);
  });
});
