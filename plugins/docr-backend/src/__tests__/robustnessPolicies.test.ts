import { weeklySundayWindow } from '../__testUtils__/backend';
import {
  robustnessHarness,
  sundayWindow,
} from '../__testUtils__/robustnessBackend';

jest.setTimeout(90_000);

describe('GC task robustness: policies that fail validation or overreach', () => {
  const h = robustnessHarness();
  const { start, runs, starts } = h;

  it('a stored policy that fails validation is reported for its registry, and the others still run', async () => {
    const knex = await start();
    await knex('docr_gc_policies').insert({
      registry_name: 'acme-dev',
      policy_json: JSON.stringify({ enabled: true, windows: 'sundays' }),
      updated_by: 'user:default/someone',
      updated_at: new Date(h.clock.ms),
    });
    h.clock.set('2026-11-22T03:00:00Z');
    await h.docr.tick();
    expect((await runs('acme-prod'))[0]).toMatchObject({
      trigger: 'window',
      status: 'requested',
    });
    expect(await runs('acme-dev')).toEqual([]);
    const policy = await h.docr.api('get', '/registries/acme-dev/policy');
    expect(policy.body.problem).toContain('windows');
  });

  it('refuses a policy with more than 28 windows, naming the field', async () => {
    await start();
    const window = sundayWindow.windows[0];
    const res = await h.docr.api('put', '/registries/acme-dev/policy', {
      windows: Array.from({ length: 29 }, () => window),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'windows: At most 28 windows per policy',
    );
    const ok = await h.docr.api('put', '/registries/acme-dev/policy', {
      windows: Array.from({ length: 28 }, () => window),
    });
    expect(ok.status).toBe(200);
  });

  it('does not start a GC with less than minimumRemainingWindow left, and says why', async () => {
    await start({ docr: weeklySundayWindow('UTC', '03:00', 'PT1H') });
    h.clock.set('2026-11-22T03:50:00Z');
    await h.docr.tick();
    expect(starts()).toBe(0);
    const [skipped] = await runs('acme-dev');
    expect(skipped.status).toBe('skipped');
    expect(skipped.reason).toContain(
      'less than docr.garbageCollection.minimumRemainingWindow (15 min)',
    );
  });
});
