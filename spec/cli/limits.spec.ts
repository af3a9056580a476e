/**
 * The command line inside and outside its limits (issue 13, item 9): each case that crashed (a
 * stack overflow, RangeErrors, an out-of-memory kill, a heap abort) now either works or gets a
 * one-line error before anything is built. The runs at the limits themselves (5,000,000 steps)
 * take seconds each and are in `npm run fuzz:cli`'s limit probes.
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';

function run(...args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = main([...args, '--quiet'], { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), color: false });
  return { status, stdout, stderr };
}

function groups(count: number): Array<{ lr: number }> {
  return Array.from({ length: count }, (_, i) => ({ lr: 0.1 / (i + 1) }));
}

const cosine = (groupCount: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ optimizer: { kind: 'sgd', groups: groups(groupCount) }, schedulers: [{ id: 'c', type: 'CosineAnnealingLR', args: { T_max: 1000 } }], ...extra });

function oneLine(result: { status: number; stderr: string }, status: number): string {
  expect(result.status, result.stderr).to.equal(status);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).to.have.length(1);
  return lines[0];
}

describe('the CLI limits', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cli-limits-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('draws --steps 130000 as SVG (Math.min(...values) overflowed the stack)', () => {
    const out = join(tmp, 'long.svg');
    expect(run('plot', cosine(1), '--steps', '130000', '--out', out).stderr).to.equal(`wrote ${out} (130001 points, 1 param group)\n`);
    const svg = readFileSync(out, 'utf8');
    const points = [...svg.matchAll(/class="series"[^>]*points="([^"]*)"/g)].reduce((sum, match) => sum + match[1].split(' ').length, 0);
    expect(points).to.be.within(700, 4 * 800);
  });

  it('rejects --steps 10000000 in one line before running (RangeErrors and "Invalid string length")', () => {
    for (const out of [[], ['--out', join(tmp, 'x.json')], ['--out', join(tmp, 'x.svg')]]) {
      expect(oneLine(run('plot', cosine(1), '--steps', '10000000', ...out), 2)).to.equal('error: --steps must be an integer from 0 to 5,000,000, got "10000000" (see --help)');
    }
    expect(oneLine(run('describe', cosine(1, { steps: 10_000_000 })), 1)).to.match(/^error: <inline>:1:\d+: steps: must be an integer from 0 to 5,000,000, got 10000000$/);
  });

  it('rejects a 100000 x 100000 PNG in one line (killed at 23.8 GB)', () => {
    expect(oneLine(run('plot', cosine(1), '--width', '100000', '--height', '100000', '--out', join(tmp, 'x.png')), 2)).to.equal(
      'error: --width must be an integer from 400 to 16,000, got "100000" (see --help)',
    );
    expect(oneLine(run('plot', cosine(1), '--width', '16000', '--height', '16000', '--out', join(tmp, 'x.png')), 2)).to.equal(
      'error: --width 16000 --height 16000 is 256,000,000 pixels, more than the 40,000,000 a chart may have (see --help)',
    );
    expect(oneLine(run('plot', cosine(1), '--width', '5000'), 2)).to.equal('error: --width must be an integer from 10 to 1,000, got "5000" (see --help)');
  });

  it('rejects 50 groups x 10,000,000 steps in one line (aborted on heap), and records 50 groups x 100,000 steps', () => {
    expect(oneLine(run('plot', cosine(50, { steps: 5_000_000 }), '--out', join(tmp, 'x.csv')), 1)).to.equal(
      'error: 5,000,000 steps of 50 param groups are more than the 5,000,000 steps x param groups a plot records: at most 100,000 steps for 50 param groups',
    );
    const out = join(tmp, 'fifty.csv');
    expect(run('plot', cosine(50, { steps: 100_000 }), '--out', out).status).to.equal(0);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')).to.have.length(100_003); // header, 100,001 rows, final newline
  });

  it('rejects too many schedulers, param groups, or groups for a chart, in one line', () => {
    const many = { optimizer: { kind: 'sgd', groups: groups(1) }, schedulers: Array.from({ length: 101 }, (_, i) => ({ id: `s${i}`, type: 'ExponentialLR', args: { gamma: 0.9 } })) };
    expect(oneLine(run('describe', JSON.stringify(many)), 1)).to.equal('error: the configuration has 101 schedulers, more than the 100 a plot builds');
    expect(oneLine(run('describe', cosine(1001)), 1)).to.equal('error: the configuration has 1,001 param groups, more than the 1,000 a plot records');
    expect(oneLine(run('plot', cosine(65, { steps: 10 })), 1)).to.equal('error: a chart draws at most 64 param groups, the configuration has 65: write .csv or .json instead');
    expect(run('plot', cosine(65, { steps: 10 }), '--out', join(tmp, 'wide.json')).status).to.equal(0);
    const data = JSON.parse(readFileSync(join(tmp, 'wide.json'), 'utf8')) as { lr: number[][]; points: number };
    expect([data.lr.length, data.points]).to.deep.equal([65, 11]);
  });

  it('writes an output completely or not at all, and writes to a device such as /dev/null', () => {
    const device = join(tmp, 'device.csv');
    symlinkSync('/dev/null', device);
    expect(run('plot', cosine(1, { steps: 10 }), '--out', device).status).to.equal(0);
    expect(readlinkSync(device), 'the link to the device is kept, not replaced by a file').to.equal('/dev/null');
    const missing = join(tmp, 'no-such-dir', 'x.csv');
    expect(oneLine(run('plot', cosine(1, { steps: 10 }), '--out', missing), 1)).to.match(/^error: .*no-such-dir\/x\.csv: cannot write: ENOENT/);
    const directory = run('plot', cosine(1, { steps: 10 }), '--out', join(tmp, 'dir.csv'));
    expect(directory.status).to.equal(0);
    expect(oneLine(run('plot', cosine(1, { steps: 10 }), '--out', join(tmp, 'dir.csv', 'inner.csv')), 1)).to.match(/^error: .*inner\.csv: cannot write: ENOTDIR/);
    expect(readdirSync(tmp).filter((name) => name.includes('.partial-'))).to.deep.equal([]);
  });
});
