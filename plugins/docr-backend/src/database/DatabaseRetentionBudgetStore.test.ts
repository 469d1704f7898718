import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { migrate } from '../retention/__testUtils__/migrate';
import { DatabaseRetentionBudgetStore } from './DatabaseRetentionBudgetStore';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-11-23T13:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const MINUTE = 60_000;
const HOUR = 3_600_000;

describe('DatabaseRetentionBudgetStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  /** Two stores on one database: two replicas. */
  async function replicas(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    await migrate(knex);
    return {
      knex,
      a: new DatabaseRetentionBudgetStore(knex),
      b: new DatabaseRetentionBudgetStore(knex),
    };
  }

  it.each(databases.eachSupportedId())(
    'spaces calls by the minute limit over every replica, %p',
    async databaseId => {
      const { a, b } = await replicas(databaseId);
      const limits = { callsPerMinute: 200, callsPerHour: Infinity };
      expect(await a.take('default', at(0), limits)).toEqual({ taken: true });
      // 60 s / 200 = 300 ms between two calls, whoever makes them.
      expect(await b.take('default', at(100), limits)).toEqual({
        taken: false,
        retryAt: at(300),
      });
      expect(await b.take('default', at(300), limits)).toEqual({ taken: true });
      expect(await a.take('default', at(599), limits)).toEqual({
        taken: false,
        retryAt: at(600),
      });
      // Another account has a budget of its own.
      expect(await a.take('other', at(599), limits)).toEqual({ taken: true });
      // Two pages listed back to back at 600 ms: the next call waits as if they were spaced.
      expect(await a.take('default', at(600), limits)).toEqual({ taken: true });
      await a.spend('default', at(700), 2, limits);
      expect(await b.take('default', at(900), limits)).toEqual({
        taken: false,
        retryAt: at(1500),
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'takes at most the hour limit in any rolling hour, counting spent calls too, %p',
    async databaseId => {
      const { knex, a, b } = await replicas(databaseId);
      const limits = { callsPerMinute: Infinity, callsPerHour: 5 };
      expect(await a.take('default', at(0), limits)).toEqual({ taken: true });
      await b.spend('default', at(MINUTE), 2, limits); // a listing's further pages
      expect(await b.take('default', at(2 * MINUTE), limits)).toEqual({
        taken: true,
      });
      expect(await a.take('default', at(3 * MINUTE), limits)).toEqual({
        taken: true,
      });
      // Full: room comes when the call at 0 leaves the hour, then the two spent at one minute.
      expect(await b.take('default', at(4 * MINUTE), limits)).toEqual({
        taken: false,
        retryAt: at(HOUR),
      });
      expect(await b.take('default', at(HOUR), limits)).toEqual({
        taken: true,
      });
      expect(await a.take('default', at(HOUR + 1), limits)).toEqual({
        taken: false,
        retryAt: at(HOUR + MINUTE),
      });
      // A restart: new stores on the same database know what was spent.
      const restarted = new DatabaseRetentionBudgetStore(knex);
      expect(await restarted.take('default', at(HOUR + 2), limits)).toEqual({
        taken: false,
        retryAt: at(HOUR + MINUTE),
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'counts concurrent takes of two replicas once each: no room is taken twice, %p',
    async databaseId => {
      const { a, b } = await replicas(databaseId);
      const limits = { callsPerMinute: Infinity, callsPerHour: 10 };
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? a : b).take('default', at(i), limits),
        ),
      );
      expect(answers.filter(answer => answer.taken)).toHaveLength(10);
    },
  );
});
