import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
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

  async function callsOfOneTick() {
    const before = emulator.requests.count();
    await docr.tick();
    return emulator.requests.count() - before;
  }

  it.each(databases.eachSupportedId())(
    'a registry deleted behind our back: its run is closed, its policy kept but orphaned and skipped, DO calls per tick back to the baseline, un-orphaned when it comes back, %p',
    async databaseId => {
      await start({
        databaseId,
        docr: {
          garbageCollection: {
            default: sundayWindow,
            storageSampleInterval: { hours: 24 },
          },
        },
      });
      for (const name of ['acme-dev', 'acme-prod']) {
        expect(
          (await docr.api('put', `/registries/${name}/policy`, sundayWindow))
            .status,
        ).toBe(200);
      }
      // No window, nothing in flight, no sample due: the baseline is no call at all.
      clock.advance(10 * MINUTE);
      expect(await callsOfOneTick()).toBe(0);

      // Deleted while the listing still has it: found by DigitalOcean's 404 at window start.
      emulator.account.deleteRegistry('acme-dev');
      clock.set('2026-11-22T03:00:00Z');
      await docr.tick();
      const [closed] = await runs('acme-dev');
      expect(closed).toMatchObject({ trigger: 'window', status: 'failed' });
      expect(closed.reason).toContain(
        'Registry no longer exists in DigitalOcean',
      );
      const policy = await docr.api('get', '/registries/acme-dev/policy');
      expect(policy.body).toMatchObject({
        source: 'api',
        orphaned: { since: '2026-11-22T03:00:00.000Z' },
      });
      expect(policy.body.orphaned.reason).toContain('404');
      const summary = await docr.api('get', '/registries/acme-dev');
      expect(summary.body.orphaned).toMatchObject({
        since: '2026-11-22T03:00:00.000Z',
      });
      expect(summary.body.nextWindow).toBeNull();

      // acme-prod's GC runs to its end; then no run is in flight and ticks cost nothing again.
      clock.advance(5 * MINUTE);
      await docr.tick();
      expect((await runs('acme-prod'))[0].status).toBe('succeeded');
      for (let i = 0; i < 5; i++) {
        clock.advance(MINUTE);
        expect(await callsOfOneTick()).toBe(0);
      }

      // Deleted after the listing: found missing by the next full listing.
      emulator.account.deleteRegistry('acme-prod');
      clock.set('2026-11-28T12:00:00Z');
      await docr.tick(); // the daily sample
      expect(
        (await docr.api('get', '/registries/acme-prod/policy')).body.orphaned
          .reason,
      ).toContain("not in DigitalOcean's list of registries");

      // The next window: both orphaned, skipped without a call or a run.
      clock.set('2026-11-29T03:00:00Z');
      expect(await callsOfOneTick()).toBe(0);
      expect(await runs('acme-dev')).toHaveLength(1);
      expect(await runs('acme-prod')).toHaveLength(1);

      // acme-dev comes back: the next listing adopts it again, and its window runs.
      emulator.account.createRegistry({ name: 'acme-dev' });
      clock.set('2026-11-30T03:00:00Z');
      await docr.tick();
      const back = await docr.api('get', '/registries/acme-dev/policy');
      expect(back.body.orphaned).toBeUndefined();
      expect(
        (await docr.api('get', '/registries/acme-prod/policy')).body.orphaned,
      ).toBeDefined();
    },
  );

  it('imports a collection started elsewhere once, and not one older than the run retention (it would be pruned and imported again every hour)', async () => {
    const knex = await start({
      docr: {
        garbageCollection: {
          ...weeklySundayWindow().garbageCollection,
          retention: { runs: 'P30D' },
        },
      },
      skipFirstTick: true,
    });
    const startElsewhere = (at: string) => {
      clock.set(at);
      emulator.account.startGc('acme-dev', 'untagged manifests only');
      clock.advance(10 * MINUTE); // it ends on DigitalOcean
    };
    let runInserts = 0;
    knex.on('query', (q: { sql: string }) => {
      if (/^insert into .docr_gc_runs./i.test(q.sql)) runInserts++;
    });
    startElsewhere('2026-10-01T12:00:00Z'); // 51 days before the listing
    startElsewhere('2026-11-20T12:00:00Z'); // the day before
    clock.set('2026-11-21T12:00:00Z');
    for (let hour = 0; hour < 3; hour++) {
      await docr.tick();
      clock.advance(60 * MINUTE);
    }
    const history = await runs('acme-dev');
    expect(history.map((r: any) => [r.trigger, r.createdAt])).toEqual([
      ['external', '2026-11-20T12:00:00.000Z'],
    ]);
    // One row ever written: the old collection was not inserted (and pruned) hour after hour.
    expect(runInserts).toBe(1);
  });
});
