/**
 * The packed package's entry points, as Node and users reach them: what the tarball holds, that
 * every `exports` target and its types exist, that the ES modules behind them never `require`,
 * that `require` and `import` share one module state, and that the README's command lines work
 * from a user's project.
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { packageEntries, readPackageJson } from '../../scripts/package-entries';
import { ROOT, STALE_FILE, packedPackage, run, userProject, type UserProject } from './packed';

/** The relative imports and re-exports of a built module (`import ... from "./x.mjs"`). */
function relativeImports(source: string): string[] {
  return [...source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"(\.[^"]+)"|^import\s*"(\.[^"]+)"/gm)].map((m) => m[1] ?? m[2]);
}

/** The bare specifiers a built module imports (`@tensorflow/tfjs-core`, `node:fs`). */
function bareImports(source: string): string[] {
  return [...source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"([^".][^"]*)"|^import\s*"([^".][^"]*)"/gm)].map((m) => m[1] ?? m[2]);
}

/** Every module reachable from `entry` by static imports, as paths relative to the package. */
function moduleGraph(packageDir: string, entry: string): Map<string, string> {
  const modules = new Map<string, string>();
  const visit = (file: string): void => {
    if (modules.has(file)) return;
    const source = readFileSync(join(packageDir, file), 'utf8');
    modules.set(file, source);
    for (const specifier of relativeImports(source)) visit(normalize(join(dirname(file), specifier)));
  };
  visit(normalize(entry));
  return modules;
}

const ESM_TARGETS = packageEntries().filter((entry) => entry.target.endsWith('.mjs') && !entry.subpath.startsWith('bin:'));

describe('the packed package', function () {
  this.timeout(120000);
  let project: UserProject;

  before(() => {
    project = userProject('entry-points', { withTfjs: true });
  });

  it('holds the build, the types, the example configs, README, LICENSE, NOTICE, COPYING.LIB and package.json, and nothing else', () => {
    const { files } = packedPackage();
    const unexpected = files.filter(
      (file) => !/^dist\/.+\.(mjs|cjs|d\.mts|d\.cts|mjs\.map)$/.test(file) && !/^docs\/examples\/[\w-]+\.json$/.test(file),
    );
    expect(unexpected).to.deep.equal(['COPYING.LIB', 'LICENSE', 'NOTICE', 'README.md', 'package.json']);
    // the notices and licence texts of the projects whose code files follow (README, Licence)
    expect(readFileSync(join(project.packageDir, 'NOTICE'), 'utf8')).to.include('Apache License').and.include('From PyTorch:');
    // the build empties dist/ first, so nothing an earlier build left there is packed
    expect(files).to.not.include(STALE_FILE);
    expect(readFileSync(join(project.packageDir, 'LICENSE'), 'utf8')).to.match(/^MIT License\n/);
    // the LGPL-2.1 text for the files that follow glibc's sine and cosine (README, Licence)
    expect(readFileSync(join(project.packageDir, 'COPYING.LIB'), 'utf8')).to.match(/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 2\.1/);
  });

  it('names its licence, repository, homepage and issue tracker', () => {
    const pkg = JSON.parse(readFileSync(join(project.packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.license).to.equal('MIT');
    expect(pkg.repository).to.have.property('url').that.matches(/^git\+https:\/\//);
    expect(pkg.homepage).to.be.a('string').and.match(/^https:\/\//);
    expect(pkg.bugs).to.have.property('url').that.matches(/^https:\/\//);
  });

  it('has every exports target, with its types beside it (.d.mts for ES modules, .d.cts for CommonJS)', () => {
    const missing: string[] = [];
    for (const { subpath, conditions, target } of packageEntries()) {
      const need = [target];
      if (target.endsWith('.cjs')) need.push(target.replace(/\.cjs$/, '.d.cts'));
      if (target.endsWith('.mjs') && !conditions.includes('browser')) need.push(target.replace(/\.mjs$/, '.d.mts'));
      for (const file of need) if (!existsSync(join(project.packageDir, file))) missing.push(`${subpath} [${conditions.join('.')}]: ${file}`);
    }
    expect(missing).to.deep.equal([]);
  });

  it('maps every subpath for TypeScript\'s node10 resolution (which ignores exports) to its CommonJS types', () => {
    const pkg = readPackageJson() as unknown as { exports: Record<string, unknown>; typesVersions: unknown };
    // One wildcard for all subpaths: `tfjs-lr-scheduler/X` is dist/X/index.d.cts; the root and
    // package.json fall through to `./*`. It holds while subpath X is built from lib/X/index.ts.
    expect(pkg.typesVersions).to.deep.equal({ '*': { '*': ['./dist/*/index.d.cts', './*'] } });
    const off = Object.keys(pkg.exports)
      .filter((subpath) => subpath !== '.' && subpath !== './package.json')
      .filter((subpath) => !packageEntries().some((entry) => entry.subpath === subpath && entry.conditions[0] === 'require' && entry.target === `./dist/${subpath.slice(2)}/index.cjs`));
    expect(off).to.deep.equal([]);
  });

  it('has source maps that carry their sources (lib/ is not shipped)', () => {
    const maps = packedPackage().files.filter((file) => file.endsWith('.map'));
    expect(maps.length).to.be.greaterThan(40);
    const bad = maps.filter((file) => {
      const map = JSON.parse(readFileSync(join(project.packageDir, file), 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> };
      return map.sourcesContent?.length !== map.sources.length || map.sourcesContent.some((content) => typeof content !== 'string' || content === '');
    });
    expect(bad).to.deep.equal([]);
  });

  for (const { subpath, conditions, target } of ESM_TARGETS) {
    const where = `${subpath}${conditions.length > 0 ? ` [${conditions.join('.')}]` : ''}`;
    // The main entry imports nothing (one tfjs copy in a bundle; no tfjs needed without tfjs
    // optimizers); other entries may import declared dependencies, and Node's modules unless they
    // are browser builds.
    const allowedBare = (specifier: string): boolean => {
      if (subpath === '.') return false;
      if (specifier.startsWith('node:')) return !conditions.includes('browser');
      const pkg = readPackageJson() as unknown as Record<string, Record<string, string> | undefined>;
      const declared = ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => Object.keys(pkg[field] ?? {}));
      return declared.some((name) => specifier === name || specifier.startsWith(`${name}/`));
    };

    it(`${where}: every module behind it is a plain ES module: no require, no CommonJS globals, no lazy wrappers, no undeclared imports`, () => {
      const found: string[] = [];
      const graph = moduleGraph(project.packageDir, target);
      expect(graph.size).to.be.greaterThan(subpath === '.' ? 30 : 1);
      for (const [file, source] of graph) {
        for (const pattern of [/\brequire\s*\(/, /\bcreateRequire\b/, /\bmodule\.exports\b/, /\b__dirname\b/, /\b__filename\b/, /__esmMin|__commonJSMin|\binit_\w+\(/]) {
          if (pattern.test(source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) found.push(`${file}: ${pattern}`);
        }
        for (const bare of bareImports(source)) if (!allowedBare(bare)) found.push(`${file}: imports "${bare}"`);
      }
      expect(found).to.deep.equal([]);
    });
  }

  it('works from Node for CommonJS (require) and ES module (import) consumers, with one module state', () => {
    const script = `
      const viaRequire = require('tfjs-lr-scheduler');
      const checkpointViaRequire = require('tfjs-lr-scheduler/checkpoint');
      import('tfjs-lr-scheduler').then(async (viaImport) => {
        const checkpointViaImport = await import('tfjs-lr-scheduler/checkpoint');
        viaRequire.registerScheduler('RegisteredThroughRequire', viaRequire.StepLR);
        const handler = () => {};
        viaRequire.setWarningHandler(handler);
        const optimizer = new viaRequire.VirtualOptimizer([{ lr: 0.1 }]);
        const scheduler = new viaImport.StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
        const lrs = [scheduler.getLastLr()[0]];
        for (let i = 0; i < 4; i++) { optimizer.step(); scheduler.step(); lrs.push(scheduler.getLastLr()[0]); }
        console.log(JSON.stringify({
          sameClass: viaRequire.StepLR === viaImport.StepLR,
          sameRegistry: viaImport.registeredSchedulers().includes('RegisteredThroughRequire'),
          sameWarningHandler: viaImport.setWarningHandler(null) === handler,
          sameCheckpoint: checkpointViaRequire.saveCheckpoint === checkpointViaImport.saveCheckpoint,
          checkpointErrorIsLibraryError: new checkpointViaImport.CheckpointError('x') instanceof viaRequire.LRSchedulerError,
          lrs,
        }));
      });`;
    const output = JSON.parse(run(process.execPath, ['-e', script], { cwd: project.dir })) as Record<string, unknown>;
    expect(output).to.deep.equal({
      sameClass: true,
      sameRegistry: true,
      sameWarningHandler: true,
      sameCheckpoint: true,
      checkpointErrorIsLibraryError: true,
      // StepLR(stepSize 2, gamma 0.5) from 0.1: halved every second step (halving is exact).
      lrs: [0.1, 0.1, 0.05, 0.05, 0.025],
    });
  });

  it('runs the README\'s command lines from a user\'s project', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const commands = [...readme.matchAll(/^npx tfjs-lr-scheduler (.+?)(?:\s+#.*)?$/gm)].map((m) => m[1].split(/\s+/));
    expect(commands.length).to.be.greaterThan(2);
    const bin = readPackageJson().bin?.['tfjs-lr-scheduler'] as string;
    for (const args of commands) {
      const stdout = run(process.execPath, [join(project.packageDir, bin), ...args], { cwd: project.dir, env: { ...process.env, NO_COLOR: '1' } });
      const out = args.indexOf('--out');
      if (out >= 0) expect(readFileSync(join(project.dir, args[out + 1]), 'utf8'), args.join(' ')).to.match(/^<svg|^<\?xml|^step|^\{/);
      else expect(stdout, args.join(' ')).to.match(/GradualWarmupScheduler|OneCycleLR|StepLR|CosineAnnealingLR/);
    }
  });
});
