import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { PlannedDeletion } from '../retention/DeletionJournal';
import { MIGRATIONS, migrate } from '../retention/__testUtils__/migrate';
import { DatabaseDeletionJournal } from './DatabaseDeletionJournal';

jest.setTimeout(60_000);

const KEY = {
  account: 'default',
  registryName: 'acme-ci',
  occurrenceKey: '2026-11-22T03:00',
};
const PLANNED_AT = new Date('2026-11-22T03:00:05Z');
const plan = (estimatedFreedBytes: number) => ({
  rules: [{ keepNewest: 1 }],
  tagsListed: 4,
  estimatedFreedBytes,
  plannedAt: PLANNED_AT,
});
const deletion = (
  tag: string | undefined,
  digest: string,
  rule = 0,
): PlannedDeletion => ({
  repository: 'web',
  ...(tag ? { tag } : {}),
  digest,
  rule,
  reason: `rule ${rule}`,
  compressedSizeBytes: 5_000_000_000,
});

describe('DatabaseDeletionJournal', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function journal(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    await migrate(knex);
    return { knex, journal: new DatabaseDeletionJournal(knex) };
  }

  it.each(databases.eachSupportedId())(
    'migrates up from empty and down again, %p',
    async databaseId => {
      const { knex } = await journal(databaseId);
      expect(await knex.schema.hasTable('docr_retention_deletions')).toBe(true);
      expect(await knex.schema.hasTable('docr_retention_plans')).toBe(true);
      await knex.migrate.rollback(MIGRATIONS, true);
      expect(await knex.schema.hasTable('docr_retention_deletions')).toBe(
        false,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'plans an occurrence once: a second plan is refused and the first stands, %p',
    async databaseId => {
      const { knex, journal: j } = await journal(databaseId);
      expect(
        await j.createPlan(KEY, plan(7), [
          deletion('a', 'sha256:1'),
          deletion(undefined, 'sha256:2'),
        ]),
      ).toBe(true);
      expect(
        await j.createPlan(KEY, plan(9), [deletion('b', 'sha256:3')]),
      ).toBe(false);
      expect(await j.plan(KEY)).toEqual(plan(7));
      expect((await j.pending(KEY)).map(e => e.tag ?? e.digest)).toEqual([
        'a',
        'sha256:2',
      ]);
      // The unique keys hold for tags and, despite the NULL tag, for untagged manifests.
      const row = (d: PlannedDeletion) => ({
        account: KEY.account,
        registry_name: KEY.registryName,
        occurrence_key: KEY.occurrenceKey,
        repository: d.repository,
        tag: d.tag ?? null,
        digest: d.digest,
        rule: 0,
        reason: 'again',
        status: 'planned',
        created_at: PLANNED_AT,
      });
      const insert = (d: PlannedDeletion) =>
        knex('docr_retention_deletions')
          .insert(row(d))
          .then(
            () => 'inserted',
            (error: Error) => error.message,
          );
      expect(await insert(deletion('a', 'sha256:1'))).toMatch(/unique/i);
      expect(await insert(deletion(undefined, 'sha256:2'))).toMatch(/unique/i);
      // Another account's registry of the same name is another plan.
      expect(
        await j.createPlan({ ...KEY, account: 'other' }, plan(1), [
          deletion('a', 'sha256:1'),
        ]),
      ).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'settles each entry once and sums the occurrence by status and rule, %p',
    async databaseId => {
      const { journal: j } = await journal(databaseId);
      expect(await j.summary(KEY)).toBeUndefined();
      await j.createPlan(KEY, plan(12_000_000_000), [
        deletion('a', 'sha256:1', 0),
        deletion('b', 'sha256:2', 1),
        deletion('c', 'sha256:3', 1),
        deletion('d', 'sha256:4', 1),
        deletion('e', 'sha256:5', 1),
        deletion(undefined, 'sha256:6', 2),
      ]);
      const [a, b, c, d, , m] = await j.pending(KEY);
      const at = new Date('2026-11-22T03:01:00Z');
      expect(await j.settle(a.id, { status: 'deleted', at })).toBe(true);
      expect(await j.settle(a.id, { status: 'failed', error: 'x' })).toBe(
        false,
      );
      await j.settle(b.id, { status: 'deleted', at, detail: '404' });
      await j.settle(m.id, { status: 'deleted', at });
      await j.settle(c.id, { status: 'skipped', detail: 're-pushed' });
      await j.settle(d.id, { status: 'failed', error: '500' });
      expect(await j.summary(KEY)).toEqual({
        deleted: 3,
        deletedTags: 2,
        deletedManifests: 1,
        deletedByRule: { '0': 1, '1': 1, '2': 1 },
        skipped: 1,
        failed: 1,
        remaining: 1,
        estimatedFreedBytes: 12_000_000_000,
        tagsListed: 4,
        plannedAt: PLANNED_AT,
      });
      expect((await j.pending(KEY)).map(e => e.tag)).toEqual(['e']);
    },
  );

  it.each(databases.eachSupportedId())(
    "prunes an account's plans and deletions made before a time, no other account's, %p",
    async databaseId => {
      const { journal: j } = await journal(databaseId);
      const other = { ...KEY, account: 'other' };
      await j.createPlan(KEY, plan(1), [deletion('a', 'sha256:1')]);
      await j.createPlan(other, plan(1), [deletion('a', 'sha256:1')]);
      await j.prune(KEY.account, new Date(PLANNED_AT.getTime()));
      expect(await j.plan(KEY)).toEqual(plan(1)); // not before: kept
      await j.prune(KEY.account, new Date(PLANNED_AT.getTime() + 1));
      expect(await j.plan(KEY)).toBeUndefined();
      expect(await j.pending(KEY)).toEqual([]);
      expect(await j.plan(other)).toEqual(plan(1));
      expect(await j.pending(other)).toHaveLength(1);
    },
  );
});
