/**
 * Reading the CLI's configuration (issue 15 item 9, issue 13 item 9): unknown keys are rejected
 * with a suggestion, nesting and size are bounded, and only regular files are read; every problem
 * is one line naming the place.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';

function run(...args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), color: false });
  return { status, stdout, stderr };
}

const BASE = { optimizer: { kind: 'sgd', groups: [{ lr: 0.1 }] }, schedulers: [{ id: 's', type: 'StepLR', args: { step_size: 10 } }] };

/** The CLI's one error line for `config` (exit status 1). */
function errorLine(config: unknown, ...options: string[]): string {
  const result = run('describe', typeof config === 'string' ? config : JSON.stringify(config), ...options);
  expect(result.status, result.stderr).to.equal(1);
  expect(result.stdout).to.equal('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).to.have.length(1);
  return lines[0];
}

describe('the CLI configuration', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cli-config-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('rejects a misspelled top-level key with a suggestion, where it used to be ignored ("stepz")', () => {
    const file = join(tmp, 'stepz.json');
    writeFileSync(file, JSON.stringify({ ...BASE, stepz: 50 }, null, 2));
    expect(errorLine(file)).to.equal(
      `error: ${file}:19:12: stepz: unknown key (expected one of: optimizer, schedulers, driver, steps, ops, description); did you mean "steps"?`,
    );
    expect(errorLine({ ...BASE, Schedulers: [] })).to.match(/^error: <inline>:1:\d+: Schedulers: unknown key .*; did you mean "schedulers"\?$/);
    expect(errorLine({ ...BASE, plot: {} })).to.match(/^error: <inline>:1:\d+: plot: unknown key \(expected one of: [^)]*\)$/);
    expect(run('describe', JSON.stringify({ ...BASE, description: 'StepLR every 10 epochs', steps: 3 })).status).to.equal(0);
  });

  it('rejects unknown keys in a scheduler entry and in the optimizer section ("arg" used to mean no arguments)', () => {
    expect(errorLine({ ...BASE, schedulers: [{ id: 's', type: 'StepLR', arg: { step_size: 10 } }] })).to.match(
      /^error: <inline>:1:\d+: schedulers\[0\]\.arg: unknown key \(expected one of: id, type, args\); did you mean "args"\?$/,
    );
    expect(errorLine({ ...BASE, optimizer: { kind: 'sgd', group: [] } })).to.match(/^error: <inline>:1:\d+: optimizer\.group: unknown key .*; did you mean "groups"\?$/);
  });

  it('answers JSON nested 100,000 deep with one line (it printed a stack trace)', () => {
    const deep = `{"optimizer": {"kind": "sgd", "groups": [{"lr": 0.1}]}, "schedulers": [{"id": "s", "type": "StepLR", "args": {"step_size": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`;
    const file = join(tmp, 'deep.json');
    writeFileSync(file, deep);
    expect(errorLine(file)).to.match(/^error: .*deep\.json(:\d+:\d+)?: schedulers\[0\]\.args\.step_size(\[0\])+: nests more than 32 levels deep \(a schedule configuration needs about 6\)$/);
    expect(errorLine(deep)).to.contain('nests more than 32 levels deep');
  });

  it('reads only regular files, and only up to 16 MB: not /dev/zero, a FIFO, a directory or a huge file', () => {
    const fifo = join(tmp, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const zero = join(tmp, 'zero.json');
    symlinkSync('/dev/zero', zero);
    const huge = join(tmp, 'huge.json');
    writeFileSync(huge, `{"description": "${'x'.repeat(16 * 1024 * 1024)}"}`);
    expect(errorLine(fifo)).to.equal(`error: ${fifo}: cannot read the configuration: not a regular file`);
    expect(errorLine(zero)).to.equal(`error: ${zero}: cannot read the configuration: not a regular file`);
    expect(errorLine(tmp)).to.equal(`error: ${tmp}: cannot read the configuration: is a directory`);
    expect(errorLine(huge)).to.equal(`error: ${huge}: the configuration has 16,777,235 bytes, more than the 16,777,216 a configuration may have`);
  });
});
