import { TestDatabases } from '@backstage/backend-test-utils';
import { migrate } from '../retention/__testUtils__/migrate';
import { DatabaseNotificationLedger } from './DatabaseNotificationLedger';

jest.setTimeout(60_000);

const T0 = Date.parse('2026-11-23T13:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const HOUR = 3_600_000;

describe('DatabaseNotificationLedger', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'lets one of two replicas claim an event, once; a released claim can be taken again, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrate(knex);
      const a = new DatabaseNotificationLedger(knex);
      const b = new DatabaseNotificationLedger(knex);
      const entry = {
        account: 'default',
        eventKey: 'gc-failed:7',
        registryName: 'acme-prod',
        topic: 'gc-problem',
      };
      expect(
        await Promise.all([a.claim(entry, at(0)), b.claim(entry, at(0))]),
      ).toEqual(expect.arrayContaining([true, false]));
      expect(await a.claim(entry, at(1))).toBe(false);
      // Another account's event of the same key is its own.
      expect(await a.claim({ ...entry, account: 'other' }, at(1))).toBe(true);

      expect(await b.known('default', ['gc-failed:7', 'gc-failed:8'])).toEqual(
        new Set(['gc-failed:7']),
      );
      await b.release('default', 'gc-failed:7');
      expect(await b.known('default', ['gc-failed:7'])).toEqual(new Set());
      expect(await a.claim(entry, at(2))).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    "counts a registry's events of the last hour and re-arms a condition by its prefix, %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrate(knex);
      const ledger = new DatabaseNotificationLedger(knex);
      const event = (eventKey: string, registryName?: string) => ({
        account: 'default',
        eventKey,
        registryName,
        topic: 't',
      });
      await ledger.claim(event('a:1', 'acme-prod'), at(0));
      await ledger.claim(event('a:2', 'acme-prod'), at(HOUR / 2));
      await ledger.claim(event('a:3', 'acme-dev'), at(HOUR / 2));
      await ledger.claim(event('storage-80:x'), at(0));
      await ledger.claim(event('storage-800'), at(0));
      expect(await ledger.countSince('default', 'acme-prod', at(0))).toBe(2);
      expect(await ledger.countSince('default', 'acme-prod', at(1))).toBe(1);

      await ledger.rearm('default', 'storage-80:');
      expect(await ledger.claim(event('storage-80:x'), at(2))).toBe(true);
      expect(await ledger.claim(event('storage-800'), at(2))).toBe(false);
    },
  );

  it.each(databases.eachSupportedId())(
    'forgets the events of the given prefixes recorded before a time, and keeps the others, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrate(knex);
      const ledger = new DatabaseNotificationLedger(knex);
      const claim = (eventKey: string, ms: number, account = 'default') =>
        ledger.claim({ account, eventKey, topic: 't' }, at(ms));
      await claim('gc-failed:1', 0);
      await claim('gc-failed:1', 0, 'team-b');
      await claim('window-soon:acme:2026-11-23', 0);
      await claim('gc-failed:2', 2 * HOUR);
      await claim('storage-80:Basic', 0);

      expect(await ledger.prune(at(HOUR), ['gc-failed:', 'window-soon:'])).toBe(
        3,
      );
      expect(
        await ledger.known('default', [
          'gc-failed:1',
          'window-soon:acme:2026-11-23',
          'gc-failed:2',
          'storage-80:Basic',
        ]),
      ).toEqual(new Set(['gc-failed:2', 'storage-80:Basic']));
      expect(await ledger.known('team-b', ['gc-failed:1'])).toEqual(new Set());
      expect(await ledger.prune(at(HOUR), [])).toBe(0);
    },
  );
});
