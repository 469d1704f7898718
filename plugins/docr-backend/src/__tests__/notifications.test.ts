import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator } from '@backstage-docr/do-emulator';
import type { Knex } from 'knex';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';
import {
  ALICE,
  BOB,
  PAT,
  markRead,
  notificationFeatures,
  notificationsOf,
} from '../__testUtils__/notificationsBackend';
import { unpacedTagRetention } from '../__testUtils__/retentionBackend';

jest.setTimeout(180_000);

const HOUR = 60 * MINUTE;
/** Saturday 22:00–01:00 in Berlin (UTC+1 in November): 21:00Z to 00:00Z. */
const SATURDAY_NIGHT = {
  garbageCollection: {
    registries: {
      'acme-prod': {
        windows: [
          {
            days: ['sat'],
            start: '22:00',
            duration: 'PT3H',
            timezone: 'Europe/Berlin',
          },
        ],
      },
    },
  },
};

describe('the owners hear about their registries, once', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  let clock: TestClock;
  let emulator: DoEmulator;
  const started: DocrTestBackend[] = [];

  async function start(knex: Knex, docr: object = SATURDAY_NIGHT) {
    const backend = await startDocrBackend({
      emulatorUrl: emulator.url,
      registryUrl: emulator.registryUrl,
      clock,
      knex,
      docr,
      config: { app: { baseUrl: 'http://localhost:3000' } },
      features: notificationFeatures(['acme-prod']),
    });
    started.push(backend);
    return backend;
  }

  beforeEach(async () => {
    clock = new TestClock(Date.parse('2026-11-21T20:25:00Z'));
    emulator = await DoEmulator.start({
      clock: () => clock.ms,
      gcStepMs: MINUTE,
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'starter' },
        registries: [
          {
            name: 'acme-prod',
            images: [{ repository: 'web', tag: 'v1', sizeMiB: 300 }],
          },
        ],
      },
    });
  });

  afterEach(async () => {
    for (const backend of started.splice(0)) await backend.stop();
    await emulator?.stop();
  });

  it.each(databases.eachSupportedId())(
    'tells the owners 30 minutes before the window that the registry will be read-only, and no one else, once over ticks and a restart, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      let docr = await start(knex);
      await docr.tick(); // 35 minutes before: not yet
      expect(await notificationsOf(docr, ALICE, 'windowSoon')).toEqual([]);

      clock.advance(5 * MINUTE);
      await docr.tick();
      const [soon, ...more] = await notificationsOf(docr, ALICE, 'windowSoon');
      expect(more).toEqual([]);
      expect(soon).toMatchObject({
        title: 'acme-prod will be read-only Sat 22:00–01:00 Europe/Berlin',
        link: '/catalog/default/resource/docr-acme-prod/registry',
        severity: 'normal',
      });
      expect(await notificationsOf(docr, BOB)).toEqual([]);
      await markRead(docr, ALICE, [soon.id]);

      clock.advance(MINUTE);
      await docr.tick();
      await docr.stop();
      docr = await start(knex);
      clock.advance(MINUTE);
      await docr.tick();
      // Not sent again: a notification sent again with its scope would be unread again.
      expect(await notificationsOf(docr, ALICE, 'windowSoon')).toEqual([
        expect.objectContaining({ id: soon.id, read: expect.anything() }),
      ]);
    },
  );

  it('tells the owners once what retention deleted in the window and what the GC freed', async () => {
    emulator.push('acme-prod', 'web', 'v2', [{ size: 50 * 1024 ** 2 }]);
    emulator.push('acme-prod', 'web', 'v3', [{ size: 50 * 1024 ** 2 }]);
    const knex = await databases.init('SQLITE_3');
    const docr = await start(knex, {
      garbageCollection: {
        registries: {
          'acme-prod': {
            ...SATURDAY_NIGHT.garbageCollection.registries['acme-prod'],
            retention: { rules: [{ keepNewest: 1 }] },
          },
        },
      },
      ...unpacedTagRetention(),
    });
    await docr.tick();
    clock.set('2026-11-21T21:00:00Z'); // the window opens
    for (let i = 0; i < 15; i++) {
      await docr.tick();
      clock.advance(MINUTE);
    }
    const reports = await notificationsOf(docr, ALICE, 'retentionReport');
    expect(reports).toEqual([
      expect.objectContaining({
        title: 'Clean-up of acme-prod: 2 deleted',
        severity: 'low',
        link: '/catalog/default/resource/docr-acme-prod/registry',
      }),
    ]);
    expect(reports[0].description).toMatch(
      /^Retention deleted 2 tags and 0 untagged manifests/,
    );
    expect(reports[0].description).toMatch(/the garbage collection freed/);
    expect(await notificationsOf(docr, BOB, 'retentionReport')).toEqual([]);

    clock.advance(HOUR);
    await docr.tick();
    expect(await notificationsOf(docr, ALICE, 'retentionReport')).toHaveLength(
      1,
    );
  });

  it('tells the owners once that a GC failed in DigitalOcean, with the reason and the page', async () => {
    const knex = await databases.init('SQLITE_3');
    let docr = await start(knex);
    await docr.tick();
    await fetch(`${emulator.url}/_emulator/gc/fail-next`, {
      method: 'POST',
      body: JSON.stringify({ count: 1 }),
    });
    clock.set('2026-11-21T21:00:00Z'); // the window opens
    await docr.tick();
    clock.advance(10 * MINUTE); // DigitalOcean's collection has failed
    await docr.tick();
    const failed = await notificationsOf(docr, ALICE, 'gcProblem');
    expect(failed).toEqual([
      expect.objectContaining({
        title: 'Garbage collection of acme-prod failed',
        severity: 'high',
        link: '/catalog/default/resource/docr-acme-prod/registry',
      }),
    ]);
    expect(failed[0].description).toContain('failed');
    expect(await notificationsOf(docr, BOB)).toEqual([]);
    await markRead(docr, ALICE, [failed[0].id]);

    await docr.tick();
    await docr.stop();
    docr = await start(knex);
    clock.advance(MINUTE);
    await docr.tick();
    expect(await notificationsOf(docr, ALICE, 'gcProblem')).toEqual([
      expect.objectContaining({ id: failed[0].id, read: expect.anything() }),
    ]);
  });

  it("tells the subscription's owners once when the account's storage passes 80 % of the tier's, not the registry's team", async () => {
    const knex = await databases.init('SQLITE_3');
    const docr = await start(knex);
    await docr.tick(); // 300 of 500 MiB: 60 %
    expect(await notificationsOf(docr, PAT, 'storage')).toEqual([]);

    emulator.push('acme-prod', 'web', 'v2', [{ size: 120 * 1024 ** 2 }]);
    clock.advance(HOUR); // the next listing
    await docr.tick();
    const storage = await notificationsOf(docr, PAT, 'storage');
    expect(storage).toEqual([
      expect.objectContaining({
        title:
          "Registry storage at 84 % of the Starter tier's included storage",
        link: '/catalog/default/resource/do-registry-subscription-default',
      }),
    ]);
    expect(await notificationsOf(docr, ALICE, 'storage')).toEqual([]);
    // Starter allows one registry: the account is at its limit too.
    expect(await notificationsOf(docr, PAT, 'registryLimit')).toHaveLength(1);

    await markRead(docr, PAT, [storage[0].id]);
    clock.advance(HOUR);
    await docr.tick();
    expect(await notificationsOf(docr, PAT, 'storage')).toEqual([
      expect.objectContaining({ read: expect.anything() }),
    ]);
  });

  it('sends each event once when two replicas tick at the same moment', async () => {
    const knex = await databases.init('POSTGRES_15');
    const a = await start(knex);
    const b = await start(knex);
    clock.advance(5 * MINUTE);
    await Promise.all([a.tick(), b.tick()]);
    const [soon] = await notificationsOf(a, ALICE, 'windowSoon');
    await markRead(a, ALICE, [soon.id]);
    await Promise.all([a.tick(), b.tick()]);
    expect(await notificationsOf(b, ALICE, 'windowSoon')).toEqual([
      expect.objectContaining({ id: soon.id, read: expect.anything() }),
    ]);
  });

  it('sends nothing of a topic switched off, nor before a window whose policy says off', async () => {
    const knex = await databases.init('SQLITE_3');
    const windows = SATURDAY_NIGHT.garbageCollection.registries['acme-prod'];
    const docr = await start(knex, {
      garbageCollection: {
        registries: {
          'acme-prod': { ...windows, notifyBeforeWindow: 'off' },
        },
      },
      notifications: { topics: { registryLimit: false } },
    });
    emulator.push('acme-prod', 'web', 'v2', [{ size: 180 * 1024 ** 2 }]);
    clock.advance(5 * MINUTE);
    await docr.tick();
    clock.advance(HOUR);
    await docr.tick();
    expect(await notificationsOf(docr, ALICE)).toEqual([]);
    // The storage topic is on: the account's owners hear of it, and of nothing else.
    expect((await notificationsOf(docr, PAT)).map(n => n.topic)).toEqual([
      'storage',
    ]);
  });
});
