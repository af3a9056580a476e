/**
 * The consumer type-check matrix: a TypeScript project that uses the packed package, compiled
 * under each module resolution TypeScript users have (node10, node16, nodenext, bundler), from an
 * ES module and from a CommonJS file. Both consumers hold `@ts-expect-error` lines, so types that
 * resolved to `any` would fail too; the package's own declarations are checked as well.
 */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { userProject, type UserProject } from './packed';

/** What every consumer does, with `lr` the main entry and `cp` the checkpoint entry. */
const BODY = `
const optimizer = tf.train.momentum(0.1, 0.9);
const scheduler: lr.LRScheduler = new lr.StepLR(optimizer, { stepSize: 10, gamma: 0.5 });
const virtual = new lr.VirtualOptimizer([{ lr: 0.1 }]);
const options: lr.StepLROptions = { stepSize: 3 };
const lrs: number[] = new lr.StepLR(virtual, options).getLastLr();
const callback = new lr.LRSchedulerCallback(scheduler, { interval: 'batch', tf });
const power: number = lr.pymath.pow(2, 0.5);
const state: lr.SchedulerState = scheduler.stateDict();
async function save(model: tf.LayersModel): Promise<cp.CheckpointManifest> {
  return cp.saveCheckpoint('checkpoints/run', { model, scheduler, extra: { epoch: 1 } });
}
const failure: lr.LRSchedulerError = new cp.CheckpointError('bad');
// @ts-expect-error stepSize is a number
new lr.StepLR(optimizer, { stepSize: 'ten' });
// @ts-expect-error no such export
lr.NotAnExport;
// @ts-expect-error saveCheckpoint takes a directory and the parts
cp.saveCheckpoint({ scheduler });
export const used = [lrs, callback, power, state, save, failure];
`;

const ESM_CONSUMER = `import * as tf from '@tensorflow/tfjs';
import * as lr from 'tfjs-lr-scheduler';
import * as cp from 'tfjs-lr-scheduler/checkpoint';
${BODY}`;

const CJS_CONSUMER = `import tf = require('@tensorflow/tfjs');
import lr = require('tfjs-lr-scheduler');
import cp = require('tfjs-lr-scheduler/checkpoint');
${BODY}`;

interface Case {
  name: string;
  file: string;
  source: string;
  options: ts.CompilerOptions;
}

const { ModuleKind: Module, ModuleResolutionKind: Resolution } = ts;
const CASES: Case[] = [
  { name: 'node10, CommonJS', file: 'node10-cjs.ts', source: CJS_CONSUMER, options: { module: Module.CommonJS, moduleResolution: Resolution.Node10 } },
  { name: 'node10, ES module', file: 'node10-esm.ts', source: ESM_CONSUMER, options: { module: Module.ES2022, moduleResolution: Resolution.Node10 } },
  { name: 'node16, CommonJS', file: 'node16.cts', source: CJS_CONSUMER, options: { module: Module.Node16, moduleResolution: Resolution.Node16 } },
  { name: 'node16, ES module', file: 'node16.mts', source: ESM_CONSUMER, options: { module: Module.Node16, moduleResolution: Resolution.Node16 } },
  { name: 'nodenext, CommonJS', file: 'nodenext.cts', source: CJS_CONSUMER, options: { module: Module.NodeNext, moduleResolution: Resolution.NodeNext } },
  { name: 'nodenext, ES module', file: 'nodenext.mts', source: ESM_CONSUMER, options: { module: Module.NodeNext, moduleResolution: Resolution.NodeNext } },
  { name: 'bundler, CommonJS', file: 'bundler.cts', source: CJS_CONSUMER, options: { module: Module.Preserve, moduleResolution: Resolution.Bundler } },
  { name: 'bundler, ES module', file: 'bundler.mts', source: ESM_CONSUMER, options: { module: Module.Preserve, moduleResolution: Resolution.Bundler } },
];

/** One parse of each file for all the programs (lib.dom.d.ts alone takes a second). */
const parsed = new Map<string, ts.SourceFile>();

function compile(project: UserProject, testCase: Case): string[] {
  const options: ts.CompilerOptions = {
    ...testCase.options,
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    esModuleInterop: true,
    skipLibCheck: false,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const format = typeof languageVersion === 'object' ? `${languageVersion.languageVersion}/${languageVersion.impliedNodeFormat}` : languageVersion;
    const key = `${fileName}|${format}`;
    let file = parsed.get(key);
    if (file === undefined) {
      file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (file !== undefined && !fileName.startsWith(project.dir)) parsed.set(key, file);
    }
    return file;
  };
  const consumer = join(project.dir, testCase.file);
  const program = ts.createProgram([consumer], options, host);
  const ours = program.getSourceFiles().filter((file) => file.fileName === consumer || file.fileName.startsWith(project.packageDir));
  const diagnostics = [...program.getOptionsDiagnostics(), ...ours.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)])];
  const checkedPackageFiles = ours.filter((file) => file.fileName.startsWith(project.packageDir)).length;
  if (checkedPackageFiles < 10) return [`only ${checkedPackageFiles} declaration files of the package were loaded`];
  return diagnostics.map((d) => {
    const where = d.file ? `${d.file.fileName.slice(project.dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('consumer type-check matrix', function () {
  this.timeout(120000);
  let project: UserProject;

  before(() => {
    project = userProject('types', { withTfjs: true });
    for (const testCase of CASES) writeFileSync(join(project.dir, testCase.file), testCase.source);
  });

  for (const testCase of CASES) {
    it(`type-checks a consumer under ${testCase.name}`, () => {
      expect(compile(project, testCase)).to.deep.equal([]);
    });
  }
});
