import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  DoEmulator,
  ciHistorySeedPath,
  loadSeedFile,
} from '@backstage-docr/do-emulator';
import type { RetentionRule } from '@backstage-docr/plugin-docr-common';
import type { Knex } from 'knex';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';
import {
  NO_RATE_LIMITS,
  listAndStorePolicy,
  unpacedTagRetention,
} from '../__testUtils__/retentionBackend';

// Each test deletes ~600 tags, every one journaled and counted in the database: on two busy
// cores that takes minutes, not seconds.
jest.setTimeout(360_000);

const REGISTRY = 'acme-ci';
const MANIFEST_BYTES = 1024; // the emulator's manifests; the preview counts layers only
const SEMVER_OR_LATEST = /^(v1\.\d+\.0|latest)$/;
const RULES: RetentionRule[] = [
  {
    deleteOlderThan: 'P30D',
    keepNewest: 20,
    protectSemver: true,
    protect: ['latest'],
  },
];
/** Monday 13:00–15:00 UTC; the test starts on that Monday at noon. */
const POLICY = {
  windows: [
    { days: ['mon'], start: '13:00', duration: 'PT2H', timezone: 'UTC' },
  ],
  retention: { rules: RULES },
};

/**
 * Retention in a real docr backend with the emulator's CI-like history (3 repositories × 300
 * sha-* tags over 90 days, releases, latest): inside the registry's window the GC task deletes
 * what the preview lists, then starts a GC of untagged manifests and unreferenced blobs.
 */
describe('retention runs in the GC window, then GC', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const clock = new TestClock(Date.parse('2026-11-23T12:00:00Z'));
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  /** Audit events the backend records. */
  const audit: { eventId: string; meta?: any }[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async ({ eventId, meta }: any) => ({
      success: async () => {
        audit.push({ eventId, meta });
      },
      fail: async () => {},
    }),
  });

  async function startBackend(
    knex: Knex,
    tickBudget = 'PT40S',
    enabled = true,
  ) {
    return startDocrBackend({
      emulatorUrl: emulator.url,
      registryUrl: emulator.registryUrl,
      clock,
      knex,
      features: [auditor.factory],
      // No pacing of our own: the tests measure what is deleted, not DigitalOcean's clock.
      docr: unpacedTagRetention(tickBudget, enabled),
    });
  }

  /** The emulator with the CI history; its rate limits as given (none by default). */
  async function startEmulator(limits: object = {}) {
    clock.set('2026-11-23T12:00:00Z');
    // The emulator's rate limits count in its own time: it runs on the test's clock plus the
    // real time elapsed, so its windows pass while the test's clock stands still.
    const startedAt = Date.now();
    emulator = await DoEmulator.start({
      seed: loadSeedFile(ciHistorySeedPath),
      clock: () => clock.ms + (Date.now() - startedAt),
      gcStepMs: MINUTE,
      validateResponses: true,
      ...NO_RATE_LIMITS,
      ...limits,
    });
    return emulator;
  }

  /** The backend, its first listing, the retention policy, and the preview's tags to delete. */
  async function setUp(knex: Knex, tickBudget?: string, enabled?: boolean) {
    docr = await startBackend(knex, tickBudget, enabled);
    await listAndStorePolicy(docr, REGISTRY, POLICY);
    return planned();
  }

  /** What the preview says the rules delete now (ages count from the clock's time). */
  async function planned() {
    const body = (await preview()).body;
    const toDelete: string[] = body.repositories.flatMap((r: any) =>
      r.delete.map((t: any) => `${r.name}:${t.tag}`),
    );
    expect(toDelete.length).toBeGreaterThan(500);
    return {
      estimatedFreedBytes: body.estimatedFreedBytes as number,
      toDelete,
    };
  }

  const deletes = () =>
    emulator.requests
      .all()
      .filter(e => e.method === 'DELETE')
      .map(e => ({ path: decodeURIComponent(e.path), status: e.status }));

  /** Deleted tags as `repository:tag`, from the DELETEs DigitalOcean answered 204. */
  const deletedTags = () =>
    deletes()
      .filter(d => d.path.includes('/tags/') && d.status === 204)
      .map(d => d.path.replace(/^.*\/repositories\/(.*)\/tags\//, '$1:'));

  const latestRun = async () =>
    (await docr.api('get', `/registries/${REGISTRY}/gc-runs`)).body.items[0];

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  async function preview() {
    for (const deadline = Date.now() + 20_000; ;) {
      const res = await docr.api(
        'get',
        `/registries/${REGISTRY}/retention/preview`,
      );
      if (res.status !== 503 || Date.now() > deadline) return res;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  const tagsInEmulator = () => {
    const registry = emulator.account.getRegistry(REGISTRY);
    return [...registry.storage.repositories.entries()].flatMap(
      ([repository, repo]) =>
        [...repo.tagUpdatedAt.keys()].map(tag => `${repository}:${tag}`),
    );
  };

  it.each(databases.eachSupportedId())(
    'deletes exactly what the preview lists, never a protected tag, only inside the window; the GC then frees the estimate, %p',
    async databaseId => {
      await startEmulator();
      // One tick deletes everything: its slice (real time) outlasts the test's own timeout, so a
      // busy machine makes the tick slower, never shorter than the deletions.
      await setUp(await databases.init(databaseId), 'PT10M');
      const protectedTags = tagsInEmulator().filter(t =>
        SEMVER_OR_LATEST.test(t.split(':')[1]),
      );

      // Outside the window nothing is deleted, whatever the rules say.
      emulator.requests.reset();
      await docr.tick();
      expect(deletes()).toEqual([]);

      // In the window: the tags go, then the GC of both types starts.
      clock.set('2026-11-23T13:05:00Z');
      const { estimatedFreedBytes, toDelete } = await planned();
      const storageBefore = emulator.account
        .getRegistry(REGISTRY)
        .storage.storageBytes();
      await docr.tick();
      const deleted = deletes().filter(d => d.path.includes('/tags/'));
      expect(new Set(deleted.map(d => d.status))).toEqual(new Set([204]));
      expect(deletedTags().sort()).toEqual([...toDelete].sort());
      const remaining = tagsInEmulator();
      for (const tag of protectedTags) expect(remaining).toContain(tag);
      for (const tag of toDelete) expect(remaining).not.toContain(tag);

      const [run] = (await docr.api('get', `/registries/${REGISTRY}/gc-runs`))
        .body.items;
      expect(run.trigger).toBe('window');
      expect(run.type).toBe('untagged manifests and unreferenced blobs');
      // The run history says what retention deleted, by rule, and what the GC should free.
      expect(run.retention).toMatchObject({
        deleted: toDelete.length,
        deletedTags: toDelete.length,
        deletedByRule: { '0': toDelete.length },
        remaining: 0,
        failed: 0,
        estimatedFreedBytes,
      });
      // Audited once, as the GC task's own act, by rule.
      expect(audit.filter(e => e.eventId === 'retention-run')).toEqual([
        {
          eventId: 'retention-run',
          meta: expect.objectContaining({
            account: 'default',
            registry: REGISTRY,
            window: '0@2026-11-23',
            deleted: toDelete.length,
            deletedByRule: { '0': toDelete.length },
          }),
        },
      ]);
      audit.length = 0;
      expect(run.statuses.slice(0, 4)).toEqual([
        'starting',
        'deleting tags',
        'starting',
        'requested',
      ]);

      // The GC runs to its end; the bytes it frees are what the preview estimated.
      for (let i = 0; i < 10 && !run.finishedAt; i++) {
        clock.advance(MINUTE);
        await docr.tick();
      }
      const [done] = (await docr.api('get', `/registries/${REGISTRY}/gc-runs`))
        .body.items;
      expect(done.status).toBe('succeeded');
      const storageAfter = emulator.account
        .getRegistry(REGISTRY)
        .storage.storageBytes();
      const manifestsDeleted = Math.round(
        (storageBefore - storageAfter - estimatedFreedBytes) / MANIFEST_BYTES,
      );
      expect(storageBefore - storageAfter).toBe(
        estimatedFreedBytes + manifestsDeleted * MANIFEST_BYTES,
      );
      expect(manifestsDeleted).toBeLessThanOrEqual(toDelete.length);

      // Later ticks in the same window delete nothing more.
      const before = deletes().length;
      clock.advance(MINUTE);
      await docr.tick();
      expect(deletes()).toHaveLength(before);
    },
  );

  it('a restart in the middle of the deletions and a 429 storm: it resumes, deletes each tag once, loses none, then collects', async () => {
    // A rate limit of 100 calls a second (a tick's two seconds delete at most ~300 of the ~600
    // tags, so the restart comes in the middle), and 429s thrown in.
    await startEmulator({
      rateLimitPerMinute: 100,
      rateLimitWindowMs: 1_000,
    });
    clock.set('2026-11-23T13:05:00Z'); // in the window, as the rules are set
    const knex = await databases.init('SQLITE_3');
    const { toDelete } = await setUp(knex, 'PT2S');
    emulator.faults.add({
      kind: 'error',
      status: 429,
      count: 5,
      operationId: 'registries_delete_repositoryTag',
    });
    emulator.requests.reset();
    // Two seconds of work per tick (listing first, under the rate limit), then the tick moves on.
    for (let i = 0; i < 10 && !deletedTags().length; i++) await docr.tick();
    const firstSlice = deletedTags().length;
    expect(firstSlice).toBeGreaterThan(0);
    expect(firstSlice).toBeLessThan(toDelete.length);
    expect((await latestRun()).status).toBe('deleting tags');

    // The backend restarts (same database) and the next ticks carry on where it stopped.
    await docr.stop();
    docr = await startBackend(knex, 'PT2S');
    const unfinished = ['deleting tags', 'waiting to retry', 'starting'];
    for (let i = 0; i < 150; i++) {
      if (!unfinished.includes((await latestRun()).status)) break;
      await docr.tick();
    }
    const run = await latestRun();
    expect([run.status, run.reason ?? undefined]).toEqual([
      'requested',
      undefined,
    ]);
    expect(run.type).toBe('untagged manifests and unreferenced blobs');
    const all = deletedTags();
    expect(new Set(all).size).toBe(all.length); // no tag deleted twice
    expect(all.sort()).toEqual([...toDelete].sort());
    expect(
      emulator.requests.all().filter(e => e.status === 429).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('deletes nothing unless docr.tagRetention.enabled: the rules are only previewed, the GC runs as its policy says', async () => {
    await startEmulator();
    clock.set('2026-11-23T13:05:00Z');
    await setUp(await databases.init('SQLITE_3'), undefined, false);
    emulator.requests.reset();
    await docr.tick();
    expect(deletes()).toEqual([]);
    const run = await latestRun();
    expect(run.status).toBe('requested');
    expect(run.statuses).not.toContain('deleting tags');
    expect(run.retention).toBeUndefined();
  });

  it('a run cancelled while deleting tags stops deleting and starts no GC', async () => {
    await startEmulator({ rateLimitPerMinute: 25, rateLimitWindowMs: 1_000 });
    clock.set('2026-11-23T13:05:00Z');
    const { toDelete } = await setUp(await databases.init('SQLITE_3'), 'PT2S');
    for (let i = 0; i < 10 && !deletedTags().length; i++) await docr.tick();
    const run = await latestRun();
    expect(run.status).toBe('deleting tags');
    const cancel = await docr.api(
      'post',
      `/registries/${REGISTRY}/gc-runs/${run.id}/cancel`,
      {},
    );
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('cancelled');
    const deletedAtCancel = deletedTags().length;
    expect(deletedAtCancel).toBeLessThan(toDelete.length);
    for (let i = 0; i < 3; i++) await docr.tick();
    expect(deletedTags()).toHaveLength(deletedAtCancel);
    expect(emulator.requests.count('registries_run_garbageCollection')).toBe(0);
    expect((await latestRun()).status).toBe('cancelled');
    expect(audit.map(e => e.meta?.outcome)).toContain(
      'cancelled by user:default/mock',
    );
  });
});
