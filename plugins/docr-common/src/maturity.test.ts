import { MaturityFacts, assessMaturity } from './maturity';

const GIB = 1024 ** 3;
const window = { days: ['sat'], start: '22:00', duration: 'PT3H' };

/** The demo account: Professional, acme-dev and acme-staging in fra1, acme-prod in ams3. */
const demo = (facts: Partial<MaturityFacts>): MaturityFacts => ({
  tierSlug: 'professional',
  policy: { enabled: true, windows: [window] },
  succeededRuns: 1,
  storage: { accountBytes: 3 * GIB, includedBytes: 100 * GIB },
  accountRegions: ['fra1', 'fra1', 'ams3'],
  ...facts,
});

const statuses = (facts: MaturityFacts) =>
  Object.fromEntries(assessMaturity(facts).checks.map(c => [c.id, c.status]));

describe('assessMaturity', () => {
  it("places the demo's acme-prod at level 3: windows, retention rules, storage within, a second region; CI credentials to confirm", () => {
    const prod = demo({
      region: 'ams3',
      policy: { enabled: true, windows: [window], retention: { rules: [{}] } },
    });
    const assessment = assessMaturity(prod);
    expect(assessment.level).toBe(3);
    expect(statuses(prod)).toEqual({
      'tier-basic': 'passed',
      'cleaned-up': 'passed',
      'tier-professional': 'passed',
      'gc-automated': 'passed',
      'retention-rules': 'passed',
      'storage-planned': 'passed',
      'ci-credentials': 'unknown',
      'second-region': 'passed',
    });
    expect(assessment.nextSteps).toEqual([
      expect.stringContaining('read-only, expiring credentials'),
    ]);
  });

  it("places the demo's acme-dev at level 2, its next step retention rules", () => {
    const dev = demo({ region: 'fra1' });
    const assessment = assessMaturity(dev);
    expect(assessment.level).toBe(2);
    expect(statuses(dev)['retention-rules']).toBe('failed');
    expect(statuses(dev)['second-region']).toBe('passed'); // acme-prod is in ams3
    expect(assessment.nextSteps[0]).toContain('Add retention rules');
  });

  it("places the demo's acme-staging, never collected, at level 1, its next step a first GC", () => {
    const staging = demo({ region: 'fra1', succeededRuns: 0 });
    const assessment = assessMaturity(staging);
    expect(assessment.level).toBe(1);
    expect(assessment.nextSteps).toEqual([
      expect.stringContaining('Run a garbage collection'),
    ]);
  });

  it('keeps a Starter registry at level 1 however it is looked after, and a lone region or storage past the included amount out of level 3', () => {
    expect(
      assessMaturity(demo({ tierSlug: 'starter', region: 'fra1' })).level,
    ).toBe(1);
    const alone = demo({
      region: 'fra1',
      accountRegions: ['fra1'],
      policy: { enabled: true, windows: [window], retention: { rules: [{}] } },
    });
    expect(assessMaturity(alone).level).toBe(2);
    expect(statuses(alone)['second-region']).toBe('failed');
    const full = demo({
      region: 'ams3',
      policy: { enabled: true, windows: [window], retention: { rules: [{}] } },
      storage: { accountBytes: 120 * GIB, includedBytes: 100 * GIB },
    });
    expect(assessMaturity(full).level).toBe(2);
    expect(
      assessMaturity(full).checks.find(c => c.id === 'storage-planned')!.detail,
    ).toBe('120 % of the included storage.');
  });
});
