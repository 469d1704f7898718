import { TestDatabases } from '@backstage/backend-test-utils';
import { migrate } from '../retention/__testUtils__/migrate';
import { DatabaseSubscriptionStore } from './DatabaseSubscriptionStore';

jest.setTimeout(60_000);

describe('DatabaseSubscriptionStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    "keeps each account's latest tier, %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrate(knex);
      const store = new DatabaseSubscriptionStore(knex);
      expect(await store.latest('default')).toBeUndefined();
      const basic = { slug: 'basic', included_storage_bytes: 5 };
      const pro = { slug: 'professional', included_storage_bytes: 100 };
      await store.record('default', basic, new Date(1_000));
      await store.record('other', basic, new Date(1_000));
      await store.record('default', pro, new Date(2_000));
      expect(await store.latest('default')).toEqual({
        tier: pro,
        readAt: new Date(2_000),
      });
      expect((await store.latest('other'))?.tier).toEqual(basic);
    },
  );
});
