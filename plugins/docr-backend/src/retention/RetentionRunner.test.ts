import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { gcPolicySchema } from '@backstage-docr/plugin-docr-common';
import type { RetentionRule } from '@backstage-docr/plugin-docr-common';
import { retentionStores } from './__testUtils__/retentionStores';
import { previewRetention } from './preview';
import {
  CI_RULES,
  DAY,
  NOW,
  REGISTRY,
  SEMVER_OR_LATEST,
  deleteRequests,
  ciHistoryEmulator,
  emulatorClient,
  heldTags,
  listNow,
  makeRunner,
  migrate,
  request,
} from './__testUtils__/retentionKit';

jest.setTimeout(120_000);

const MIB = 1024 ** 2;
/** The emulator stores each manifest as a 1 KiB blob; the estimate counts layers only. */
const MANIFEST_BYTES = 1024;

describe('RetentionRunner', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const ci = ciHistoryEmulator();
  let emulator: DoEmulator;
  beforeAll(() => {
    emulator = ci.current;
  });

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await migrate(knex);
    return { knex, client: emulatorClient(emulator) };
  }

  it.each(databases.eachSupportedId())(
    'deletes exactly what the preview of the same listing selects, never a protected tag, and the GC then frees the estimate, %p',
    async databaseId => {
      const { knex, client } = await setUp(databaseId);
      // An untagged manifest 40 days old: "scratch" pushed, then pushed again over it.
      const account = emulator.account;
      account.push(
        REGISTRY,
        'web',
        'scratch',
        [{ size: 3 * MIB }],
        NOW - 40 * DAY,
      );
      account.push(
        REGISTRY,
        'web',
        'scratch',
        [{ size: 2 * MIB }],
        NOW - 39 * DAY,
      );
      const rules: RetentionRule[] = [
        ...CI_RULES,
        { untaggedManifestsOlderThan: 'P14D' },
      ];
      const preview = previewRetention({
        registry: REGISTRY,
        contents: {
          repositories: await listNow(client),
          fetchedAt: new Date(NOW),
        },
        effective: {
          policy: gcPolicySchema.parse({ retention: { rules } }),
          source: 'api',
        },
        now: new Date(NOW),
      });
      const toDelete = new Set(
        preview.repositories.flatMap(r =>
          r.delete.map(t => `${r.name}:${t.tag}`),
        ),
      );
      const untagged = preview.repositories.flatMap(r =>
        r.untaggedManifestsToDelete.map(m => `${r.name}@${m.digest}`),
      );
      expect(toDelete.size).toBeGreaterThan(600);
      expect(untagged).toHaveLength(1);
      const before = heldTags(emulator);
      emulator.requests.reset();

      const { runner, logger } = makeRunner(knex, client);
      const summary = await runner.run(request('2026-11-22T03:00', rules));

      const after = heldTags(emulator);
      const deletedTags = [...before].filter(t => !after.has(t));
      expect(new Set(deletedTags)).toEqual(toDelete);
      expect(
        [...after].filter(t => SEMVER_OR_LATEST.test(t.split(':')[1])),
      ).toHaveLength(
        [...before].filter(t => SEMVER_OR_LATEST.test(t.split(':')[1])).length,
      );
      expect(summary).toMatchObject({
        deleted: toDelete.size + 1,
        deletedTags: toDelete.size,
        deletedManifests: 1,
        skipped: 0,
        failed: 0,
        remaining: 0,
        estimatedFreedBytes: preview.estimatedFreedBytes,
        resumed: false,
      });
      expect(summary.stoppedBy).toBeUndefined();
      expect(Object.values(summary.deletedByRule).reduce((a, b) => a + b)).toBe(
        summary.deleted,
      );
      expect(summary.deletedByRule['2']).toBe(1); // the untagged manifest
      // One DELETE per deletion, each answered 204; the listing was made from DigitalOcean.
      const deletes = deleteRequests(emulator);
      expect(deletes).toHaveLength(summary.deleted);
      expect(new Set(deletes.map(d => d.status))).toEqual(new Set([204]));
      expect(
        emulator.requests.count('registries_list_repositoryTags'),
      ).toBeGreaterThan(0);
      // The run's journal, as the run history reads it.
      expect(
        await retentionStores(knex).journal.summary({
          account: 'default',
          registryName: REGISTRY,
          occurrenceKey: '2026-11-22T03:00',
        }),
      ).toMatchObject({
        deleted: summary.deleted,
        deletedByRule: summary.deletedByRule,
      });
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Retention deleted tag acme-ci\/api:sha-[0-9a-f]+ \(sha256:/,
        ),
      );
      // A GC of untagged manifests and unreferenced blobs frees the estimate (plus the manifests).
      const storage = account.getRegistry(REGISTRY).storage;
      const plan = storage.plan({
        untaggedManifests: true,
        unreferencedBlobs: true,
      });
      const freed = storage.collect({
        untaggedManifests: true,
        unreferencedBlobs: true,
      });
      expect(freed.freedBytes).toBe(
        preview.estimatedFreedBytes + plan.manifests.length * MANIFEST_BYTES,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'lists and deletes nothing without rules, %p',
    async databaseId => {
      const { knex, client } = await setUp(databaseId);
      emulator.requests.reset();
      const { runner } = makeRunner(knex, client);
      for (const rules of [undefined, []]) {
        const summary = await runner.run(request('2026-11-22T03:00', rules));
        expect(summary).toMatchObject({ deleted: 0, remaining: 0 });
        expect(summary.stoppedBy).toBeUndefined();
      }
      expect(emulator.requests.count()).toBe(0);
      // Rules that only protect select nothing: listed, nothing deleted.
      const summary = await runner.run(
        request('2026-11-29T03:00', [{ protect: ['*'], protectSemver: true }]),
      );
      expect(summary).toMatchObject({ deleted: 0, remaining: 0 });
      expect(deleteRequests(emulator)).toEqual([]);
      expect(
        await retentionStores(knex).journal.summary({
          account: 'default',
          registryName: REGISTRY,
          occurrenceKey: '2026-11-22T03:00',
        }),
      ).toBeUndefined();
      expect(
        Number((await knex('docr_retention_deletions').count({ n: '*' }))[0].n),
      ).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'never starts a deletion at or after the deadline; what is left stays planned and a later window selects afresh, %p',
    async databaseId => {
      const { knex } = await setUp(databaseId);
      let clock = NOW;
      const deadline = new Date(NOW + 10 * 60_000);
      const sentAt: number[] = [];
      // Each deletion takes DigitalOcean a minute, on the runner's clock.
      const client = emulatorClient(emulator, req => {
        if (req.method !== 'DELETE') return;
        sentAt.push(clock);
        clock += 60_000;
      });
      const { runner } = makeRunner(knex, client);
      const summary = await runner.run(
        request('2026-11-22T03:00', CI_RULES, {
          deadline,
          now: () => new Date(clock),
        }),
      );
      expect(summary.stoppedBy).toBe('deadline');
      expect(sentAt).toHaveLength(10);
      expect(Math.max(...sentAt)).toBeLessThan(deadline.getTime());
      expect(summary.deleted).toBe(10);
      expect(summary.remaining).toBeGreaterThan(600);
      expect(deleteRequests(emulator)).toHaveLength(10);

      // Past the deadline, a runner of the same occurrence lists nothing and deletes nothing.
      emulator.requests.reset();
      const late = await runner.run(
        request('2026-11-22T03:00', CI_RULES, {
          deadline,
          now: () => new Date(clock),
        }),
      );
      expect(late).toMatchObject({
        stoppedBy: 'deadline',
        deleted: 10,
        remaining: summary.remaining,
      });
      expect(emulator.requests.count()).toBe(0);

      // The next window selects from what is there then; the old plan's leftovers are not carried.
      const next = await runner.run(request('2026-11-29T03:00', CI_RULES));
      expect(next.stoppedBy).toBeUndefined();
      expect(next.deleted).toBe(summary.remaining);
      const old = await retentionStores(knex).journal.summary({
        account: 'default',
        registryName: REGISTRY,
        occurrenceKey: '2026-11-22T03:00',
      });
      expect(old).toMatchObject({ deleted: 10, remaining: summary.remaining });
    },
  );

  it.each(databases.eachSupportedId())(
    'never deletes by rules nobody holds any more: changed after the plan, the rest of the plan is skipped, %p',
    async databaseId => {
      const { knex } = await setUp(databaseId);
      let clock = NOW;
      const client = emulatorClient(emulator, req => {
        if (req.method === 'DELETE') clock += 60_000;
      });
      const { runner } = makeRunner(knex, client);
      const first = await runner.run(
        request('2026-11-22T03:00', CI_RULES, {
          deadline: new Date(NOW + 5 * 60_000),
          now: () => new Date(clock),
        }),
      );
      expect(first).toMatchObject({ stoppedBy: 'deadline', deleted: 5 });
      emulator.requests.reset();
      const changed = await runner.run(
        request(
          '2026-11-22T03:00',
          [{ ...CI_RULES[0], keepNewest: 250 }, CI_RULES[1]],
          { now: () => new Date(clock) },
        ),
      );
      expect(deleteRequests(emulator)).toEqual([]);
      expect(changed).toMatchObject({
        deleted: 5,
        remaining: 0,
        skipped: first.remaining,
      });
    },
  );
});
