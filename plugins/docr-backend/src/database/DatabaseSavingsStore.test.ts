import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { createDocrStores } from './createDocrStores';

jest.setTimeout(60_000);

const at = (iso: string) => new Date(iso);

describe('DatabaseSavingsStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    "sum each listing's registries into the account's storage, and find the succeeded runs of a range, %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { docr: store } = await createDocrStores({
        database: mockServices.database({ knex }),
      });
      const other = store.forAccount('other');
      const listing = (iso: string, a: number, b: number) =>
        store.recordListing(
          [
            { registryName: 'a', storageBytes: a, sampledAt: at(iso) },
            { registryName: 'b', storageBytes: b, sampledAt: at(iso) },
          ],
          at(iso),
        );
      await listing('2026-11-01T00:00:00Z', 100, 20);
      await listing('2026-11-02T00:00:00Z', 150, 30);
      // A sample after a GC is not a listing, nor is another account's.
      await store.insertSamples([
        {
          registryName: 'a',
          storageBytes: 1,
          sampledAt: at('2026-11-03T00:00:00Z'),
        },
      ]);
      await other.recordListing(
        [
          {
            registryName: 'a',
            storageBytes: 999,
            sampledAt: at('2026-11-02T00:00:00Z'),
          },
        ],
        at('2026-11-02T00:00:00Z'),
      );
      expect(
        await store.savings.accountStorageSeries(at('2026-11-01T00:00:00Z')),
      ).toEqual([
        { at: at('2026-11-01T00:00:00Z'), bytes: 120 },
        { at: at('2026-11-02T00:00:00Z'), bytes: 180 },
      ]);

      const run = async (registryName: string, status: string, end: string) => {
        const claimed = await store.claimRun({
          registryName,
          trigger: 'manual',
          now: at('2026-10-01T00:00:00Z'),
        });
        await store.updateRun(claimed!, {
          status,
          freedBytes: 10,
          finishedAt: at(end),
        });
      };
      await run('a', 'succeeded', '2026-11-01T10:00:00Z');
      await run('a', 'failed', '2026-11-01T11:00:00Z');
      await run('b', 'succeeded', '2026-11-01T12:00:00Z');
      await run('a', 'succeeded', '2026-12-01T00:00:00Z'); // the end is excluded
      const range = {
        from: at('2026-11-01T00:00:00Z'),
        to: at('2026-12-01T00:00:00Z'),
      };
      const names = (runs: { registryName: string }[]) =>
        runs.map(r => r.registryName);
      expect(names(await store.savings.succeededRunsBetween(range))).toEqual([
        'a',
        'b',
      ]);
      expect(
        names(
          await store.savings.succeededRunsBetween({
            ...range,
            registryName: 'b',
          }),
        ),
      ).toEqual(['b']);
      expect(await other.savings.succeededRunsBetween(range)).toEqual([]);
    },
  );
});
