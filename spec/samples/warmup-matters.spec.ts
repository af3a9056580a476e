import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { expect } from 'chai';
import { ROOT, runSample } from './run-sample';

describe('samples/warmup-matters.ts', () => {
  it('shows the run without warmup diverging then stalling, and the warmed-up run ending far lower (short run)', function () {
    this.timeout(180000);
    const svgPath = path.join(ROOT, 'out', 'warmup-matters.svg');
    const { stdout, stderr, status } = runSample('warmup-matters.ts', { WARMUP_MATTERS_EPOCHS: '8' });
    expect(status, stderr).to.equal(0);

    // One progress bar per run, ending at the last epoch.
    expect(stdout).to.match(/^no warmup +\[#{20}\] epoch {2}8\/8 {2}loss \S+ {2}lr \S+$/m);
    expect(stdout).to.match(/^warmup +\[#{20}\] epoch {2}8\/8 {2}loss \S+ {2}lr \S+$/m);

    // The summary's claims.
    const finalRow = /^ {2}final loss +(\S+) +(\S+)$/m.exec(stdout);
    expect(finalRow, stdout).to.not.equal(null);
    const [plainFinal, warmFinal] = [Number((finalRow as RegExpExecArray)[1]), Number((finalRow as RegExpExecArray)[2])];
    expect(warmFinal).to.be.below(plainFinal / 2);
    expect(stdout).to.match(/^Without warmup: diverged in epoch 1 \(loss \S+, \d+x the loss of predicting the mean\), then stalled at \S+ \(\d+% of the loss of predicting the mean\)\.$/m);
    expect(stdout).to.include(`With warmup: final loss ${(finalRow as RegExpExecArray)[2]}, ${(plainFinal / warmFinal).toFixed(1)}x lower than without.`);
    const deadRow = /^ {2}dead ReLU units +(\d+)\/96 +(\d+)\/96$/m.exec(stdout);
    expect(deadRow, stdout).to.not.equal(null);
    expect(Number((deadRow as RegExpExecArray)[1])).to.be.above(Number((deadRow as RegExpExecArray)[2]));

    // The ASCII charts, then the SVG with the same four curves.
    expect(stdout).to.include('log10(loss) per epoch');
    expect(stdout).to.include('learning rate (last update of each epoch)');
    expect(stdout).to.include('Wrote out/warmup-matters.svg');
    const svg = new DOMParser().parseFromString(fs.readFileSync(svgPath, 'utf8'), 'image/svg+xml');
    const polylines = svg.getElementsByTagName('polyline');
    expect(polylines.length).to.equal(4);
    for (let i = 0; i < polylines.length; i++) {
      expect((polylines[i].getAttribute('points') ?? '').split(' ')).to.have.length(8);
    }
  });
});
