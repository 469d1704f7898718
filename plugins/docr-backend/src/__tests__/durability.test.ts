import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { UNCONFIRMED_START_GRACE_MS } from '../gc/GarbageCollector';
import {
  MINUTE,
  TestClock,
  acmeSeed,
  startDocrBackend,
  weeklySundayWindow,
} from '../__testUtils__/backend';

jest.setTimeout(90_000);

describe('nothing lost: restarts and replicas', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  let emulator: DoEmulator;
  afterEach(() => emulator?.stop());

  async function setUp() {
    const clock = new TestClock(Date.parse('2026-11-22T02:00:00Z'));
    emulator = await DoEmulator.start({
      seed: acmeSeed(2),
      clock: clock.now,
      gcStepMs: 5 * MINUTE,
      validateResponses: true,
    });
    return clock;
  }

  it.each(databases.eachSupportedId())(
    'a backend restarted mid-GC resumes watching the same run and never starts a second, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const clock = await setUp();
      const first = await startDocrBackend({
        emulatorUrl: emulator.url,
        clock,
        knex,
        docr: weeklySundayWindow(),
      });
      clock.set('2026-11-22T03:00:00Z');
      await first.tick();
      const uuid = emulator.account.getRegistry('acme-dev').gcRuns[0].uuid;
      await first.stop();

      clock.set('2026-11-22T03:30:00Z');
      const second = await startDocrBackend({
        emulatorUrl: emulator.url,
        clock,
        knex,
        docr: weeklySundayWindow(),
      });
      try {
        await second.tick();
        expect(
          emulator.requests.count('registries_run_garbageCollection'),
        ).toBe(2); // one per registry, in total
        const { body } = await second.api(
          'get',
          '/registries/acme-dev/gc-runs',
        );
        expect(body.items).toHaveLength(1);
        expect(body.items[0]).toMatchObject({
          doUuid: uuid,
          status: 'succeeded',
        });
        expect(body.items[0].freedBytes).toBe(
          emulator.account.getRegistry('acme-dev').gcRuns[0].freedBytes,
        );
      } finally {
        await second.stop();
      }
    },
  );

  async function lostStart(
    databaseId: Parameters<typeof databases.init>[0],
    docr: object = weeklySundayWindow(),
  ) {
    const knex = await databases.init(databaseId);
    const clock = await setUp();
    emulator.faults.add({
      kind: 'drop-response',
      count: 1,
      operationId: 'registries_run_garbageCollection',
    });
    const backend = await startDocrBackend({
      emulatorUrl: emulator.url,
      clock,
      knex,
      docr,
    });
    clock.set('2026-11-22T03:00:00Z');
    await backend.tick(); // DigitalOcean starts acme-dev's collection, the answer is lost
    return {
      backend,
      clock,
      started: emulator.account.getRegistry('acme-dev').gcRuns[0],
    };
  }

  it.each(databases.eachSupportedId())(
    'a start whose answer was lost is adopted by the next tick after a grace period, %p',
    async databaseId => {
      const { backend, clock, started } = await lostStart(databaseId);
      try {
        clock.advance(MINUTE);
        await backend.tick(); // within the grace period: left alone
        clock.advance(UNCONFIRMED_START_GRACE_MS);
        await backend.tick(); // adopted by uuid
        clock.advance(30 * MINUTE);
        await backend.tick(); // finished
        const { body } = await backend.api(
          'get',
          '/registries/acme-dev/gc-runs',
        );
        expect(body.items).toHaveLength(1);
        expect(body.items[0]).toMatchObject({
          trigger: 'window',
          doUuid: started.uuid,
          status: 'succeeded',
        });
        expect(body.items[0].reason).toContain('Start request failed');
        expect(emulator.account.getRegistry('acme-dev').gcRuns).toHaveLength(1);
      } finally {
        await backend.stop();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'a start whose answer was lost is adopted, not imported as external, by the next storage sample, %p',
    async databaseId => {
      const window = weeklySundayWindow();
      const { backend, started, clock } = await lostStart(databaseId, {
        garbageCollection: {
          ...window.garbageCollection,
          storageSampleInterval: { minutes: 2 },
        },
      });
      try {
        const calls = emulator.requests.count();
        const read = await backend.api('get', '/registries/acme-dev/gc-runs');
        expect(read.body.items[0]).toMatchObject({ status: 'starting' });
        expect(emulator.requests.count()).toBe(calls); // reading never calls DigitalOcean
        clock.advance(3 * MINUTE); // the sample (and its GC import) is due, the grace is not over
        await backend.tick();
        const { body } = await backend.api(
          'get',
          '/registries/acme-dev/gc-runs',
        );
        expect(body.items).toHaveLength(1);
        expect(body.items[0]).toMatchObject({
          trigger: 'window',
          doUuid: started.uuid,
        });
        expect(body.items[0].status).not.toBe('starting');
        expect(emulator.account.getRegistry('acme-dev').gcRuns).toHaveLength(1);
      } finally {
        await backend.stop();
      }
    },
  );

  it('two backends on one PostgreSQL database start exactly one GC per window', async () => {
    if (!databases.supports('POSTGRES_15')) return;
    const knex = await databases.init('POSTGRES_15');
    const clock = await setUp();
    const a = await startDocrBackend({
      emulatorUrl: emulator.url,
      clock,
      knex,
      docr: weeklySundayWindow(),
    });
    const b = await startDocrBackend({
      emulatorUrl: emulator.url,
      clock,
      knex,
      docr: weeklySundayWindow(),
    });
    try {
      await Promise.all([a.tick(), b.tick()]); // both sample
      clock.set('2026-11-22T03:00:00Z');
      // As if the scheduler's lock were lost: both replicas tick at the same moment, twice.
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      expect(emulator.requests.count('registries_run_garbageCollection')).toBe(
        2,
      );
      expect(emulator.account.getRegistry('acme-dev').gcRuns).toHaveLength(1);
      expect(emulator.account.getRegistry('acme-prod').gcRuns).toHaveLength(1);
      clock.advance(30 * MINUTE);
      await Promise.all([a.tick(), b.tick()]);
      const { body } = await b.api('get', '/registries/acme-prod/gc-runs');
      expect(body.items.map((r: any) => r.status)).toEqual(['succeeded']);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
