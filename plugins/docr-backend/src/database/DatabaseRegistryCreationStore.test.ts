import { TestDatabases } from '@backstage/backend-test-utils';
import { migrate } from '../retention/__testUtils__/migrate';
import { DatabaseRegistryCreationStore } from './DatabaseRegistryCreationStore';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-12-02T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

describe('DatabaseRegistryCreationStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function stores(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await migrate(knex);
    // Two stores on one database: two replicas.
    return {
      a: new DatabaseRegistryCreationStore(knex),
      b: new DatabaseRegistryCreationStore(knex),
    };
  }
  const creation = (
    createdBy: string,
    minutes: number,
    account = 'team-a',
  ) => ({
    account,
    registryName: 'apps',
    createdBy,
    recordedAt: at(minutes),
  });

  it.each(databases.eachSupportedId())(
    'keeps the first user’s record against another user until it is stale, renews the same user’s, %p',
    async databaseId => {
      const { a, b } = await stores(databaseId);
      expect(await a.record(creation(ALICE, 0), at(-30))).toEqual(
        creation(ALICE, 0),
      );
      // Bob records the same registry of the same account: Alice's record holds.
      expect(await b.record(creation(BOB, 1), at(-29))).toEqual(
        creation(ALICE, 0),
      );
      // The same name in another account is another registry.
      expect(await b.record(creation(BOB, 1, 'team-b'), at(-29))).toEqual(
        creation(BOB, 1, 'team-b'),
      );
      expect(await a.record(creation(ALICE, 5), at(-25))).toEqual(
        creation(ALICE, 5),
      );
      expect(await b.find('team-a', 'apps')).toEqual(creation(ALICE, 5));
      // Once Alice's record is older than staleBefore, another user may take its place.
      expect(await b.record(creation(BOB, 40), at(10))).toEqual(
        creation(BOB, 40),
      );
      expect(await a.find('team-a', 'apps')).toEqual(creation(BOB, 40));
    },
  );

  it.each(databases.eachSupportedId())(
    'lets one of two users recording at once win, %p',
    async databaseId => {
      const { a, b } = await stores(databaseId);
      const [first, second] = await Promise.all([
        a.record(creation(ALICE, 0), at(-30)),
        b.record(creation(BOB, 0), at(-30)),
      ]);
      expect(second).toEqual(first);
      expect([ALICE, BOB]).toContain(first.createdBy);
      expect(await a.find('team-a', 'apps')).toEqual(first);
    },
  );

  it.each(databases.eachSupportedId())(
    'forgets a record when it ends, %p',
    async databaseId => {
      const { a, b } = await stores(databaseId);
      await a.record(creation(ALICE, 0), at(-30));
      await b.end('team-a', 'apps');
      expect(await a.find('team-a', 'apps')).toBeUndefined();
      expect(await b.record(creation(BOB, 1), at(-29))).toEqual(
        creation(BOB, 1),
      );
    },
  );
});
