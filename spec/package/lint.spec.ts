/**
 * The packaging linters on the tarball users get: publint (package.json against the files), and
 * Are The Types Wrong (every entry point's types under TypeScript's node10, node16 from CommonJS,
 * node16 from ES modules, and bundler resolution).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { devBin, packedPackage } from './packed';

interface AttwResolution {
  resolution?: { fileName: string };
}

interface AttwReport {
  analysis: {
    problems: unknown[];
    entrypoints: Record<string, { resolutions: Record<string, AttwResolution> }>;
  };
  problems?: unknown[];
}

describe('packaging linters', function () {
  this.timeout(120000);

  it('publint finds nothing, suggestions included', () => {
    const result = spawnSync(devBin('publint'), ['run', packedPackage().tarball, '--strict', '--level', 'suggestion'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const output = (result.stdout + result.stderr).replace(/\u001b\[[0-9;]*m/g, ''); // colours, which CI=true turns on
    expect(result.status, output).to.equal(0);
    expect(output).to.match(/^All good!$/m);
  });

  it('attw finds no problem, and every entry point has types under node10, node16 (CJS and ESM) and bundler', () => {
    const result = spawnSync(devBin('attw'), [packedPackage().tarball, '--format', 'json'], { encoding: 'utf8' });
    const report = JSON.parse(result.stdout) as AttwReport;
    expect(report.analysis.problems, result.stdout).to.deep.equal([]);
    expect(result.status).to.equal(0);
    const entrypoints = report.analysis.entrypoints;
    expect(Object.keys(entrypoints)).to.include.members(['.', './checkpoint']);
    const untyped: string[] = [];
    for (const [subpath, { resolutions }] of Object.entries(entrypoints)) {
      if (subpath === './package.json') continue;
      for (const kind of ['node10', 'node16-cjs', 'node16-esm', 'bundler']) {
        const fileName = resolutions[kind]?.resolution?.fileName ?? '';
        if (!/\.d\.(c|m)ts$/.test(fileName)) untyped.push(`${subpath} under ${kind}: ${fileName || 'unresolved'}`);
      }
    }
    expect(untyped).to.deep.equal([]);
  });
});
