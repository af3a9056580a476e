import { expect } from 'chai';
import { registeredSchedulers } from '../../lib';
import { SAMPLE_SCHEDULES } from '../helpers/sample-schedules';
import { build } from '../state/schedule-run';

describe('contract: class samples', () => {
  it('has a sample configuration for every registered class', () => {
    const missing = registeredSchedulers().filter((name) => SAMPLE_SCHEDULES[name] === undefined);
    expect(missing, 'registered classes without an entry in spec/helpers/sample-schedules.ts').to.deep.equal([]);
  });

  it("drives each sample with the sample's own class", () => {
    const registered = registeredSchedulers();
    for (const [name, config] of Object.entries(SAMPLE_SCHEDULES)) {
      if (!config.schedulers.every((s) => registered.includes(s.type))) continue;
      expect(build(config).driver.getClassName(), name).to.equal(name);
    }
  });
});
