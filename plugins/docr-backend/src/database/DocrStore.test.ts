import path from 'node:path';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { gcPolicySchema } from '@backstage-docr/plugin-docr-common';
import { createDocrStores } from './createDocrStores';

jest.setTimeout(60_000);

describe('DocrStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const stores = await createDocrStores({
      database: mockServices.database({ knex }),
    });
    return { knex, store: stores.docr };
  }

  const at = (iso: string) => new Date(iso);

  it.each(databases.eachSupportedId())(
    'migrates up from empty and down again, %p',
    async databaseId => {
      const { knex } = await createStore(databaseId);
      expect(await knex.schema.hasTable('docr_gc_runs')).toBe(true);
      expect(await knex.schema.hasTable('docr_gc_policies')).toBe(true);
      expect(await knex.schema.hasTable('docr_storage_samples')).toBe(true);
      await knex.migrate.rollback(
        {
          directory: path.resolve(__dirname, '../../migrations'),
          tableName: 'docr_knex_migrations',
        },
        true,
      );
      expect(await knex.schema.hasTable('docr_gc_runs')).toBe(false);
    },
  );

  it.each(databases.eachSupportedId())(
    'reads the newest sample of each registry in one query, a GC’s newer than the listing, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.recordListing(
        [
          {
            registryName: 'a',
            storageBytes: 100,
            sampledAt: at('2026-11-22T03:00:00Z'),
          },
          {
            registryName: 'b',
            storageBytes: 200,
            sampledAt: at('2026-11-22T03:00:00Z'),
          },
        ],
        at('2026-11-22T03:00:00Z'),
      );
      await store.insertSamples([
        {
          registryName: 'a',
          storageBytes: 40,
          sampledAt: at('2026-11-22T03:20:00Z'),
        },
        {
          registryName: 'a',
          storageBytes: 30,
          sampledAt: at('2026-11-22T03:20:00Z'),
        },
        {
          registryName: 'c',
          storageBytes: 9,
          sampledAt: at('2026-11-22T03:30:00Z'),
        },
      ]);
      const newest = await store.newestSamples(['a', 'b', 'missing']);
      expect(
        [...newest.values()]
          .map(s => [s.registryName, s.storageBytes, s.sampledAt.toISOString()])
          .sort(),
      ).toEqual([
        ['a', 30, '2026-11-22T03:20:00.000Z'],
        ['b', 200, '2026-11-22T03:00:00.000Z'],
      ]);
      expect(await store.newestSamples([])).toEqual(new Map());
    },
  );

  it.each(databases.eachSupportedId())(
    'claims a window occurrence once, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const claim = () =>
        store.claimRun({
          registryName: 'acme',
          trigger: 'window',
          occurrenceKey: '0@2026-11-22',
          type: 'untagged manifests and unreferenced blobs',
          storageBefore: 5_000_000_000,
          windowEnd: at('2026-11-22T05:00:00Z'),
          now: at('2026-11-22T03:00:10Z'),
        });
      const [first, second] = await Promise.all([claim(), claim()]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      const run = (first ?? second)!;
      expect(run).toMatchObject({
        registryName: 'acme',
        status: 'starting',
        statuses: ['starting'],
        storageBefore: 5_000_000_000,
        windowEnd: at('2026-11-22T05:00:00Z'),
        createdAt: at('2026-11-22T03:00:10Z'),
      });
      expect(await claim()).toBeUndefined();
      // Manual runs have no occurrence and are not limited by it.
      expect(
        await store.claimRun({
          registryName: 'acme',
          trigger: 'manual',
          now: at('2026-11-22T06:00:00Z'),
        }),
      ).toBeDefined();
      expect(
        await store.claimRun({
          registryName: 'acme',
          trigger: 'manual',
          now: at('2026-11-22T07:00:00Z'),
        }),
      ).toBeDefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'records statuses in order and what DigitalOcean reports, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      let run = (await store.claimRun({
        registryName: 'acme',
        trigger: 'window',
        occurrenceKey: 'k',
        now: at('2026-11-22T03:00:00Z'),
      }))!;
      run = await store.updateRun(run, {
        doUuid: 'uuid-1',
        status: 'requested',
        startedAt: at('2026-11-22T03:00:01Z'),
      });
      run = await store.updateRun(run, { status: 'scanning manifests' });
      run = await store.updateRun(run, { status: 'scanning manifests' });
      expect((await store.runsInFlight()).map(r => r.id)).toEqual([run.id]);
      run = await store.updateRun(run, {
        status: 'succeeded',
        blobsDeleted: 42,
        freedBytes: 3_000_000_000,
        storageAfter: 2_000_000_000,
        finishedAt: at('2026-11-22T03:20:00Z'),
      });
      expect(run.statuses).toEqual([
        'starting',
        'requested',
        'scanning manifests',
        'succeeded',
      ]);
      expect(run).toMatchObject({
        blobsDeleted: 42,
        freedBytes: 3_000_000_000,
        storageAfter: 2_000_000_000,
        doUuid: 'uuid-1',
      });
      expect(await store.runsInFlight()).toEqual([]);
      expect((await store.runByUuid('uuid-1'))?.id).toBe(run.id);
      expect((await store.lastSucceeded('acme'))?.id).toBe(run.id);
    },
  );

  it.each(databases.eachSupportedId())(
    'pages history newest first and summarises per registry, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      for (let day = 1; day <= 5; day++) {
        const run = (await store.claimRun({
          registryName: 'acme',
          trigger: 'window',
          occurrenceKey: `0@2026-11-0${day}`,
          now: at(`2026-11-0${day}T03:00:00Z`),
        }))!;
        if (day < 5)
          await store.updateRun(run, {
            status: 'succeeded',
            finishedAt: at(`2026-11-0${day}T03:10:00Z`),
          });
      }
      await store.claimRun({
        registryName: 'other',
        trigger: 'manual',
        status: 'skipped',
        now: at('2026-11-01T00:00:00Z'),
      });
      const page = await store.listRuns('acme', { limit: 2, offset: 1 });
      expect(page.totalCount).toBe(5);
      expect(page.items.map(r => r.occurrenceKey)).toEqual([
        '0@2026-11-04',
        '0@2026-11-03',
      ]);
      const summaries = await store.runSummaries();
      expect(summaries.get('acme')?.active?.occurrenceKey).toBe('0@2026-11-05');
      expect(summaries.get('acme')?.last?.occurrenceKey).toBe('0@2026-11-05');
      expect(summaries.get('other')?.active).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps policies, samples and prunes by age, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const policy = gcPolicySchema.parse({
        windows: [
          {
            days: ['sat'],
            start: '22:00',
            duration: 'PT3H',
            timezone: 'Europe/Berlin',
          },
        ],
      });
      await store.putStoredPolicy(
        'acme',
        policy,
        'user:default/jane',
        at('2026-11-01T00:00:00Z'),
      );
      await store.putStoredPolicy(
        'acme',
        { ...policy, enabled: false },
        'user:default/joe',
        at('2026-11-02T00:00:00Z'),
      );
      expect(await store.getStoredPolicy('acme')).toEqual({
        policy: { ...policy, enabled: false },
        updatedBy: 'user:default/joe',
        updatedAt: at('2026-11-02T00:00:00Z'),
      });
      expect(await store.allStoredPolicyNames()).toEqual(['acme']);

      await store.recordListing(
        [
          {
            registryName: 'acme',
            storageBytes: 10,
            sampledAt: at('2026-08-01T00:00:00Z'),
          },
        ],
        at('2026-08-01T00:00:00Z'),
      );
      await store.recordListing(
        [
          {
            registryName: 'acme',
            storageBytes: 20,
            sampledAt: at('2026-11-20T00:00:00Z'),
          },
          {
            registryName: 'beta',
            storageBytes: 30,
            sampledAt: at('2026-11-20T00:00:00Z'),
          },
        ],
        at('2026-11-20T00:00:00Z'),
      );
      await store.insertSamples([
        {
          registryName: 'acme',
          storageBytes: 15,
          sampledAt: at('2026-11-21T00:00:00Z'),
        },
      ]);
      expect(
        (await store.latestListing()).map(s => [
          s.registryName,
          s.storageBytes,
        ]),
      ).toEqual([
        ['acme', 20],
        ['beta', 30],
      ]);
      expect((await store.latestSample('acme'))?.storageBytes).toBe(15);

      // Orphaned policies: marked once, cleared when the registry is back.
      expect(
        await store.markOrphaned(
          ['acme', 'gone'],
          'not listed',
          at('2026-11-21T00:00:00Z'),
        ),
      ).toEqual(['acme']);
      expect(
        await store.markOrphaned(['acme'], 'again', at('2026-11-22T00:00:00Z')),
      ).toEqual([]);
      expect((await store.getStoredPolicy('acme'))?.orphaned).toEqual({
        since: at('2026-11-21T00:00:00Z'),
        reason: 'not listed',
      });
      expect(await store.clearOrphaned(['acme', 'beta'])).toEqual(['acme']);
      expect((await store.getStoredPolicy('acme'))?.orphaned).toBeUndefined();

      expect(
        (await store.listSamples('acme', at('2026-11-01T00:00:00Z'))).map(
          s => s.storageBytes,
        ),
      ).toEqual([20, 15]);

      // A listing with no registry at all is still the newest listing.
      await store.recordListing([], at('2026-11-21T12:00:00Z'));
      expect(await store.latestListing()).toEqual([]);
      expect(await store.lastListingAt()).toEqual(at('2026-11-21T12:00:00Z'));

      const old = (await store.claimRun({
        registryName: 'acme',
        trigger: 'manual',
        now: at('2025-01-01T00:00:00Z'),
      }))!;
      await store.updateRun(old, { status: 'succeeded' });
      await store.claimRun({
        registryName: 'acme',
        trigger: 'manual',
        now: at('2025-01-02T00:00:00Z'),
      }); // still in flight: kept
      const pruned = await store.prune({
        runsBefore: at('2026-01-01T00:00:00Z'),
        samplesBefore: at('2026-09-01T00:00:00Z'),
      });
      expect(pruned).toEqual({ runs: 1, samples: 1 });
    },
  );

  it.each(databases.eachSupportedId())(
    "reads the account's runs ended since a time, oldest first, and what retention deleted in its window runs, %p",
    async databaseId => {
      const { store } = await createStore(databaseId);
      const other = store.forAccount('other');
      const ended = async (
        s: typeof store,
        registryName: string,
        finishedAt: string,
        occurrenceKey?: string,
      ) => {
        const run = await s.claimRun({
          registryName,
          trigger: occurrenceKey ? 'window' : 'manual',
          occurrenceKey,
          now: at('2026-11-22T03:00:00Z'),
        });
        return s.updateRun(run!, {
          status: 'succeeded',
          finishedAt: at(finishedAt),
        });
      };
      await ended(store, 'old', '2026-11-21T00:00:00Z');
      const window = await ended(
        store,
        'b',
        '2026-11-22T05:00:00Z',
        '0@2026-11-22',
      );
      const manual = await ended(store, 'a', '2026-11-22T04:00:00Z');
      await ended(other, 'a', '2026-11-22T04:30:00Z');
      await store.claimRun({
        registryName: 'c',
        trigger: 'manual',
        now: at('2026-11-22T04:00:00Z'),
      }); // in flight
      expect(
        (await store.runsEndedSince(at('2026-11-22T00:00:00Z'))).map(
          r => r.registryName,
        ),
      ).toEqual(['a', 'b']);

      await store.journal.createPlan(
        {
          account: store.account,
          registryName: 'b',
          occurrenceKey: '0@2026-11-22',
        },
        {
          rules: [{ keepNewest: 1 }],
          tagsListed: 2,
          estimatedFreedBytes: 5,
          plannedAt: at('2026-11-22T03:00:00Z'),
        },
        [],
      );
      const summaries = await store.retentionSummaries([window, manual]);
      expect([...summaries.keys()]).toEqual([window.id]);
      expect(summaries.get(window.id)).toMatchObject({
        deleted: 0,
        tagsListed: 2,
      });
      // Another account's registry of the same name has no plan there.
      expect(
        await other.retentionSummary({
          registryName: 'b',
          occurrenceKey: '0@2026-11-22',
        }),
      ).toBeUndefined();
    },
  );
});
