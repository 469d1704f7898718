import { apiHarness } from '../__testUtils__/apiBackend';

jest.setTimeout(60_000);

const WINDOWS = [
  { days: ['sun'], start: '03:00', duration: 'PT2H', timezone: 'UTC' },
];

/** Retention rules the API refuses: each 400 names the rule's field. */
describe('retention rules through the REST API', () => {
  const h = apiHarness({ shared: true });

  const putRules = (rules: object[]) =>
    h.docr.api('put', '/registries/acme-dev/policy', {
      windows: WINDOWS,
      retention: { rules },
    });

  it('refuses an age beyond ten years, naming the nested field', async () => {
    const bad = await putRules([
      { keepNewest: 5 },
      { deleteOlderThan: 'P300000Y' },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'retention.rules.1.deleteOlderThan: Must be at most P10Y (10 years), got "P300000Y"',
    );

    const untagged = await putRules([{ untaggedManifestsOlderThan: 'P11Y' }]);
    expect(untagged.status).toBe(400);
    expect(untagged.body.error.message).toContain(
      'retention.rules.0.untaggedManifestsOlderThan: Must be at most P10Y',
    );

    const ok = await putRules([{ deleteOlderThan: 'P10Y' }]);
    expect(ok.status).toBe(200);
    expect(ok.body.policy.retention.rules).toEqual([
      { deleteOlderThan: 'P10Y' },
    ]);
  });

  it('refuses a pattern of more than 16 stars, naming the nested field', async () => {
    const bad = await putRules([
      { protect: ['latest', `${'*a'.repeat(63)}*b`], keepNewest: 3 },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'retention.rules.0.protect.1: A pattern has at most 16 "*"',
    );
    const ok = await putRules([
      { protect: [`${'*a'.repeat(15)}*b`], keepNewest: 3 },
    ]);
    expect(ok.status).toBe(200);
  });
});
