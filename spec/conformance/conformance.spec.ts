import { expect } from 'chai';
import { DEFAULT_CORPUS, runCorpus, type CorpusSummary } from './corpus';
import { readPassList } from './pass-list';

describe('conformance with the PyTorch recordings', function () {
  this.timeout(120000);
  const passList = readPassList();
  let atTolerance: CorpusSummary;
  let bitExact: CorpusSummary;

  before(() => {
    atTolerance = runCorpus([DEFAULT_CORPUS], 1e-12);
    bitExact = runCorpus([DEFAULT_CORPUS], 0);
  });

  it('keeps every recorded pass at relative tolerance 1e-12 (deviations only where listed)', () => {
    const byId = new Map(atTolerance.results.map((r) => [r.id, r]));
    const regressions = passList.tolerance1e12
      .map((id) => byId.get(id))
      .filter((r) => r === undefined || r.status === 'failed')
      .map((r) => (r ? `${r.id}: ${JSON.stringify(r.difference)}` : 'a listed scenario is missing from the corpus'));
    expect(regressions).to.deep.equal([]);
  });

  it('keeps every recorded bit-identical pass bit for bit', () => {
    const byId = new Map(bitExact.results.map((r) => [r.id, r]));
    const regressions = passList.bitIdentical
      .map((id) => byId.get(id))
      .filter((r) => r === undefined || r.status !== 'passed')
      .map((r) => (r ? `${r.id}: ${JSON.stringify(r.difference)}` : 'a listed scenario is missing from the corpus'));
    expect(regressions).to.deep.equal([]);
  });

  it('replays every StepLR and GradualWarmupScheduler-only scenario within 1e-12', () => {
    const core = ['StepLR', 'GradualWarmupScheduler'];
    const onlyCore = atTolerance.results.filter((r) => r.types.every((type) => core.includes(type)));
    expect(onlyCore.length).to.be.greaterThan(40);
    const failures = onlyCore.filter((r) => r.status === 'failed');
    expect(failures.map((r) => `${r.id}: ${JSON.stringify(r.difference)}`)).to.deep.equal([]);
  });
});
