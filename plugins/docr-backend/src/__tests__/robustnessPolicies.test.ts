import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  TestClock,
  weeklySundayWindow,
} from '../__testUtils__/backend';
import {
  RobustnessStartOptions,
  startRobustnessBackend,
  sundayWindow,
} from '../__testUtils__/robustnessBackend';

jest.setTimeout(90_000);

describe('GC task robustness (issue #10, findings 3, 5 and 8)', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  let clock: TestClock;
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  async function start(options: RobustnessStartOptions = {}) {
    const started = await startRobustnessBackend(databases, options);
    ({ clock, emulator, docr } = started);
    return started.knex;
  }

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  const runs = async (registry: string) =>
    (await docr.api('get', `/registries/${registry}/gc-runs`)).body.items;

  const starts = () =>
    emulator.requests.count('registries_run_garbageCollection');

  it('a stored policy that fails validation is reported for its registry, and the others still run', async () => {
    const knex = await start();
    await knex('docr_gc_policies').insert({
      registry_name: 'acme-dev',
      policy_json: JSON.stringify({ enabled: true, windows: 'sundays' }),
      updated_by: 'user:default/someone',
      updated_at: new Date(clock.ms),
    });
    clock.set('2026-11-22T03:00:00Z');
    await docr.tick();
    expect((await runs('acme-prod'))[0]).toMatchObject({
      trigger: 'window',
      status: 'requested',
    });
    expect(await runs('acme-dev')).toEqual([]);
    const policy = await docr.api('get', '/registries/acme-dev/policy');
    expect(policy.body.problem).toContain('windows');
  });

  it('refuses a policy with more than 28 windows, naming the field', async () => {
    await start();
    const window = sundayWindow.windows[0];
    const res = await docr.api('put', '/registries/acme-dev/policy', {
      windows: Array.from({ length: 29 }, () => window),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'windows: At most 28 windows per policy',
    );
    const ok = await docr.api('put', '/registries/acme-dev/policy', {
      windows: Array.from({ length: 28 }, () => window),
    });
    expect(ok.status).toBe(200);
  });

  it('does not start a GC with less than minimumRemainingWindow left, and says why', async () => {
    await start({ docr: weeklySundayWindow('UTC', '03:00', 'PT1H') });
    clock.set('2026-11-22T03:50:00Z');
    await docr.tick();
    expect(starts()).toBe(0);
    const [skipped] = await runs('acme-dev');
    expect(skipped.status).toBe('skipped');
    expect(skipped.reason).toContain(
      'less than docr.garbageCollection.minimumRemainingWindow (15 min)',
    );
  });
});
