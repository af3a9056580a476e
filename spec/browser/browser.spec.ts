/**
 * The built package in a real browser: headless Chromium (Debian's, driven by playwright-core;
 * never a downloaded browser) on pages served from 127.0.0.1, with every other host unresolvable.
 *
 * - A page bundled by esbuild from the packed package through its `exports` replays the whole
 *   conformance corpus (every file in spec/conformance/scenarios) on the cpu, wasm and webgl
 *   (SwiftShader) backends and must give Node's results scenario by scenario, bit for bit; it
 *   trains with `model.fit` + `LRSchedulerCallback`, a custom loop and a JSON save and resume,
 *   with the learning rates, momenta and cached tensors Node records.
 * - The bundled page reads a PyTorch torch.save checkpoint with `tfjs-lr-scheduler/torch`'s
 *   `readTorchFile` and resumes its StepLR with PyTorch's learning rates.
 * - A page without a bundler loads the package's files through an import map, with tfjs as the
 *   single ES module file a CDN serves; another loads the package pre-bundled with tfjs external.
 * - No page may log a console error, throw, or ask for a missing file.
 *
 * Without Chromium the suite is skipped with one line; with CI=true a missing Chromium fails.
 */
import { expect } from 'chai';
import { build, buildSync, transformSync, type Plugin } from 'esbuild';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import * as lib from '../../lib';
import { DEFAULT_CORPUS, runCorpus } from '../conformance/corpus';
import { readPassList } from '../conformance/pass-list';
import { expectBits } from '../helpers/expect-bits';
import { ROOT, scratchDir, userProject, type UserProject } from '../package/packed';
import type { BrowserScenarioResult, TorchResume } from './pages/bundled';
import { html, serveStatic, type StaticServer } from './server';
import { trainingRuns, type RunRecord } from './training-runs';

const BACKENDS = ['cpu', 'wasm', 'webgl'] as const;

/** The launch flags: headless as root, no network but 127.0.0.1, WebGL through SwiftShader. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** Debian's chromium on PATH (or CHROMIUM_PATH). */
function findChromium(): string | undefined {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'chromium'));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** esbuild resolves the specs' imports of lib/ and lib/torch (public APIs only) to the packed package's entries. */
function packageInsteadOfSources(project: UserProject): Plugin {
  const entries: Record<string, string> = { [join(ROOT, 'lib')]: 'tfjs-lr-scheduler', [join(ROOT, 'lib', 'torch')]: 'tfjs-lr-scheduler/torch' };
  return {
    name: 'package-instead-of-sources',
    setup(build) {
      build.onResolve({ filter: /\/lib(\/torch)?$/ }, async (args) => {
        const entry = entries[resolve(args.resolveDir, args.path)];
        if (entry === undefined) return undefined;
        return build.resolve(entry, { resolveDir: project.dir, kind: args.kind });
      });
    },
  };
}

/**
 * The README's import-map snippet as written, with its two CDN addresses served from here (the same
 * files: tfjs's tf.fesm.min.js and the package's dist/index.mjs); it logs the final learning rate.
 */
function readmeSnippet(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const snippet = /### In a browser[\s\S]*?```html\n([\s\S]*?)```/.exec(readme)?.[1];
  if (snippet === undefined) throw new Error('README.md: no html snippet under "### In a browser"');
  const local = snippet
    .replace(/"https:[^"]*\/@tensorflow\/tfjs@[^/"]+\/dist\/tf\.fesm\.min\.js"/, '"/cdn/tfjs/tf.fesm.min.js"')
    .replace(/"https:[^"]*\/tfjs-lr-scheduler@[^/"]+\/dist\/index\.mjs"/, '"/node_modules/tfjs-lr-scheduler/dist/index.mjs"');
  if (local.includes('https:')) throw new Error('README.md: the html snippet loads from an address the suite does not serve');
  return html('README', local);
}

interface OpenPage {
  page: Page;
  problems: string[];
}

describe('in a real browser (headless Chromium)', function () {
  this.timeout(300000);
  let started = 0;
  let context: BrowserContext | undefined;
  let server: StaticServer | undefined;
  let profile: string | undefined;
  const pages: OpenPage[] = [];
  let nodeConformance: Map<string, BrowserScenarioResult>;
  let nodeTraining: RunRecord;

  before(async function () {
    const executablePath = findChromium();
    if (executablePath === undefined) {
      const install = 'apt-get install -y --no-install-recommends chromium';
      if (process.env.CI === 'true') throw new Error(`the browser suite needs Chromium with CI=true: ${install}`);
      console.log(`      browser suite skipped: no Chromium on this machine (${install})`);
      this.skip();
    }
    started = Date.now();
    const project = userProject('browser', { withTfjs: true });
    const site = scratchDir('site');
    const entry = join(__dirname, 'pages', 'bundled.ts');
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outfile: join(site, 'bundled.js'),
      plugins: [packageInsteadOfSources(project)],
      logLevel: 'error',
    });
    buildSync({
      stdin: { contents: "export * from 'tfjs-lr-scheduler';\n", resolveDir: project.dir },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      external: ['@tensorflow/*'],
      outfile: join(site, 'prebundled', 'tfjs-lr-scheduler.mjs'),
      logLevel: 'error',
    });
    mkdirSync(join(site, 'harness'));
    const runs = transformSync(readFileSync(join(__dirname, 'training-runs.ts'), 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' });
    writeFileSync(join(site, 'harness', 'training-runs.mjs'), runs.code);

    const noBundler = (packageUrl: string): string =>
      html(
        packageUrl,
        `<script type="module">
import * as tf from '@tensorflow/tfjs';
import * as lr from 'tfjs-lr-scheduler';
import { trainingRuns } from '/harness/training-runs.mjs';
window.runTraining = async (backend) => {
  if (!(await tf.setBackend(backend))) throw new Error('no ' + backend + ' backend');
  await tf.ready();
  return trainingRuns(tf, lr, localStorage);
};
window.pageReady = true;
</script>`,
        { '@tensorflow/tfjs': '/cdn/tfjs/tf.fesm.min.js', 'tfjs-lr-scheduler': packageUrl },
      );
    server = await serveStatic(
      {
        '/scenarios/': join(ROOT, 'spec', 'conformance', 'scenarios'),
        '/torch-fixtures/': join(ROOT, 'spec', 'torch', 'fixtures'),
        '/wasm/': join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist'),
        '/cdn/tfjs/': join(ROOT, 'node_modules', '@tensorflow', 'tfjs', 'dist'),
        '/node_modules/tfjs-lr-scheduler/': project.packageDir,
        '/': site,
      },
      {
        '/bundled.html': html('bundled', '<script type="module" src="/bundled.js"></script>'),
        '/import-map.html': noBundler('/node_modules/tfjs-lr-scheduler/dist/index.mjs'),
        '/prebundled.html': noBundler('/prebundled/tfjs-lr-scheduler.mjs'),
        '/readme.html': readmeSnippet(),
      },
    );
    profile = mkdtempSync(join(tmpdir(), 'tfjs-lr-scheduler-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: CHROMIUM_FLAGS });

    await tf.setBackend('cpu');
    nodeConformance = new Map(runCorpus([DEFAULT_CORPUS], 0).results.map((r) => [r.id, r]));
    const store = new Map<string, string>();
    nodeTraining = await trainingRuns(tf, lib, { setItem: (key, value) => store.set(key, value), getItem: (key) => store.get(key) ?? null });
  });

  after(async function () {
    await context?.close();
    await server?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
    if (started > 0) console.log(`      browser suite: ${((Date.now() - started) / 1000).toFixed(1)} s (bundling, Chromium, every page and backend)`);
  });

  async function open(path: string): Promise<Page> {
    const page = await (context as BrowserContext).newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    pages.push({ page, problems });
    await page.goto(`${(server as StaticServer).origin}${path}`);
    await page.waitForFunction(() => (window as unknown as { pageReady?: boolean }).pageReady === true);
    return page;
  }

  afterEach(async () => {
    const problems = pages.flatMap((open) => open.problems);
    const missing = server?.notFound.splice(0) ?? [];
    await Promise.all(pages.splice(0).map((open) => open.page.close()));
    expect([...problems, ...missing.map((path) => `not found: ${path}`)]).to.deep.equal([]);
  });

  function expectNodeRecord(record: RunRecord): void {
    expect(Object.keys(record)).to.deep.equal(Object.keys(nodeTraining));
    for (const [name, values] of Object.entries(nodeTraining)) expectBits(record[name], values, name);
    expect(record['leaked tensors']).to.deep.equal([0]);
  }

  for (const backend of BACKENDS) {
    it(`replays every conformance scenario on the ${backend} backend with Node's results, bit for bit`, async () => {
      const page = await open('/bundled.html');
      const { results, leakedTensors } = await page.evaluate(
        (name) => (window as unknown as { runConformance(b: string): Promise<{ results: BrowserScenarioResult[]; leakedTensors: number }> }).runConformance(name),
        backend,
      );
      expect(leakedTensors).to.equal(0);
      expect(results.map((r) => r.id)).to.deep.equal([...nodeConformance.keys()]);
      const differing = results.filter((r) => {
        const node = nodeConformance.get(r.id) as BrowserScenarioResult;
        return r.status !== node.status || r.values !== node.values || r.bitIdentical !== node.bitIdentical || !Object.is(r.maxRelativeError, node.maxRelativeError);
      });
      expect(differing).to.deep.equal([]);
      const byId = new Map(results.map((r) => [r.id, r]));
      const passList = readPassList();
      expect(passList.bitIdentical.filter((id) => byId.get(id)?.status !== 'passed')).to.deep.equal([]);
      expect(passList.tolerance1e12.filter((id) => byId.get(id)?.status === 'failed' && byId.get(id)?.statusAt1e12 !== 'passed')).to.deep.equal([]);
    });

    it(`trains with model.fit, a custom loop and a saved state on the ${backend} backend with Node's numbers, bit for bit`, async () => {
      const page = await open('/bundled.html');
      expectNodeRecord(await page.evaluate((name) => (window as unknown as { runTraining(b: string): Promise<RunRecord> }).runTraining(name), backend));
    });
  }

  it("reads PyTorch's torch.save checkpoint with readTorchFile of tfjs-lr-scheduler/torch and resumes its StepLR with PyTorch's learning rates, bit for bit", async () => {
    const fixture = JSON.parse(readFileSync(join(ROOT, 'spec', 'torch', 'fixtures', 'step-lr.json'), 'utf8')) as { before: number; expected: { lrs: number[][] } };
    const page = await open('/bundled.html');
    const resumed = await page.evaluate((backend) => (window as unknown as { resumeTorchCheckpoint(b: string): Promise<TorchResume> }).resumeTorchCheckpoint(backend), 'cpu');
    expect(resumed.epoch).to.equal(5);
    expect(resumed.epoch).to.equal(fixture.before);
    // PyTorch 2.13's learning rates for the 7 steps after the save (step-lr.json, from generate.py)
    expectBits(resumed.lrs.flat(), fixture.expected.lrs.flat(), 'StepLR resumed from step-lr.pt in the browser');
    expect(resumed.leakedTensors).to.equal(0);
  });

  it('loads the package without a bundler, from an import map (tfjs as a CDN\'s ES module file)', async () => {
    const page = await open('/import-map.html');
    expectNodeRecord(await page.evaluate(() => (window as unknown as { runTraining(b: string): Promise<RunRecord> }).runTraining('cpu')));
  });

  it('runs the README\'s import-map snippet as written', async () => {
    const logged: string[] = [];
    const page = await (context as BrowserContext).newPage();
    page.on('console', (message) => logged.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => logged.push(`uncaught: ${error.message}`));
    pages.push({ page, problems: [] });
    const done = page.waitForEvent('console', { predicate: (message) => message.type() === 'log', timeout: 30000 });
    await page.goto(`${(server as StaticServer).origin}/readme.html`);
    await done;
    // StepLR(stepSize 2, gamma 0.5) from 0.1 after 6 steps: three exact halvings.
    expect(logged.filter((line) => !line.startsWith('warning: '))).to.deep.equal(['log: [0.0125]']);
  });

  it('runs the package pre-bundled into one ES module with tfjs external', async () => {
    const page = await open('/prebundled.html');
    expectNodeRecord(await page.evaluate(() => (window as unknown as { runTraining(b: string): Promise<RunRecord> }).runTraining('cpu')));
  });
});
