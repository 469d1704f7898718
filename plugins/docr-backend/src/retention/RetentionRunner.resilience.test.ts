import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator, ManualClock } from '@backstage-docr/do-emulator';
import type { RetentionRule } from '@backstage-docr/plugin-docr-common';
import { planDeletions } from './plan';
import {
  CI_RULES,
  DAY,
  FAST,
  NOW,
  REGISTRY,
  deleteRequests,
  ciHistoryEmulator,
  emulatorClient,
  heldTags,
  listNow,
  makeRunner,
  migrate,
  request,
} from './__testUtils__/retentionKit';

jest.setTimeout(180_000);

const OCCURRENCE = '2026-11-22T03:00';
const MIB = 1024 ** 2;

/** DELETE paths the emulator answered 204 more than once: tags or manifests deleted twice. */
function deletedTwice(emulator: DoEmulator) {
  const seen = new Map<string, number>();
  for (const { path, status } of deleteRequests(emulator))
    if (status === 204) seen.set(path, (seen.get(path) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1);
}

describe('RetentionRunner: restarts, 429 storms and failures', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe('on the CI history', () => {
    const ci = ciHistoryEmulator();
    let emulator: DoEmulator;
    beforeAll(() => {
      emulator = ci.current;
    });

    it.each(databases.eachSupportedId())(
      'resumes a run killed mid-way with a new runner: nothing deleted twice, nothing planned twice, re-pushed tags kept, no error, %p',
      async databaseId => {
        const knex = await databases.init(databaseId);
        await migrate(knex);
        const base = { size: 3 * MIB, digest: `sha256:${'ab'.repeat(32)}` };
        // An untagged manifest 40 days old: "scratch" pushed, then pushed again over it.
        emulator.account.push(
          REGISTRY,
          'web',
          'scratch',
          [base],
          NOW - 40 * DAY,
        );
        emulator.account.push(
          REGISTRY,
          'web',
          'scratch',
          [{ size: MIB }],
          NOW - 39 * DAY,
        );
        const rules: RetentionRule[] = [
          ...CI_RULES,
          { untaggedManifestsOlderThan: 'P14D' },
        ];
        const expected = planDeletions(
          await listNow(emulatorClient(emulator)),
          rules,
          new Date(NOW),
        );
        expect(expected.deletions.filter(d => !d.tag)).toHaveLength(1);

        // The first runner is killed after DigitalOcean answered its 25th deletion.
        const killer = new AbortController();
        let answered = 0;
        const client1 = emulatorClient(emulator, req => {
          if (req.method === 'DELETE' && ++answered > 25) killer.abort();
        });
        const killed = await makeRunner(knex, client1).runner.run(
          request(OCCURRENCE, rules, { signal: killer.signal }),
        );
        expect(killed).toMatchObject({
          stoppedBy: 'aborted',
          deleted: 25,
          failed: 0,
        });
        expect(killed.remaining).toBe(expected.deletions.length - 25);
        const rows = Number(
          (await knex('docr_retention_deletions').count({ n: '*' }))[0].n,
        );
        expect(rows).toBe(expected.deletions.length);

        // The crash came after DigitalOcean deleted the 25th, before the journal said so.
        const last = await knex('docr_retention_deletions')
          .where({ status: 'deleted' })
          .orderBy('id', 'desc')
          .first();
        await knex('docr_retention_deletions')
          .where({ id: last.id })
          .update({ status: 'planned', deleted_at: null });
        // Meanwhile CI re-pushed a planned tag, and tagged the untagged manifest again.
        const repushed = (
          await knex('docr_retention_deletions')
            .where({ status: 'planned', repository: 'web' })
            .whereNotNull('tag')
            .first()
        ).tag;
        emulator.push(REGISTRY, 'web', repushed, [{ size: MIB }]);
        emulator.push(REGISTRY, 'web', 'again', [base]);
        // And the answer to the new runner's first DELETE is lost (DigitalOcean did delete).
        emulator.faults.add({
          kind: 'drop-response',
          operationId: 'registries_delete_repositoryTag',
        });

        const { runner, logger } = makeRunner(knex, emulatorClient(emulator));
        const resumed = await runner.run(request(OCCURRENCE, rules));
        expect(resumed).toMatchObject({
          resumed: true,
          deleted: expected.deletions.length - 2,
          skipped: 2,
          failed: 0,
          remaining: 0,
          estimatedFreedBytes: expected.estimatedFreedBytes,
        });
        expect(resumed.stoppedBy).toBeUndefined();
        expect(logger.error).not.toHaveBeenCalled();
        expect(deletedTwice(emulator)).toEqual([]);
        expect(
          deleteRequests(emulator).filter(d => d.status === 404),
        ).toHaveLength(1);
        expect(heldTags(emulator)).toContain(`web:${repushed}`);
        expect(heldTags(emulator)).toContain('web:again');
        expect(
          Number(
            (await knex('docr_retention_deletions').count({ n: '*' }))[0].n,
          ),
        ).toBe(rows);

        // A third runner of the same occurrence finds nothing left to do.
        emulator.requests.reset();
        const again = await makeRunner(
          knex,
          emulatorClient(emulator),
        ).runner.run(request(OCCURRENCE, rules));
        expect(again).toMatchObject({
          deleted: resumed.deleted,
          remaining: 0,
          resumed: true,
        });
        expect(deleteRequests(emulator)).toEqual([]);
      },
    );

    it.each(databases.eachSupportedId())(
      'marks deletions DigitalOcean keeps failing as failed and stops after five in a row, leaving the rest planned, %p',
      async databaseId => {
        const knex = await databases.init(databaseId);
        await migrate(knex);
        emulator.faults.add({
          kind: 'error',
          status: 500,
          count: 1e6,
          operationId: 'registries_delete_repositoryTag',
        });
        const { runner, logger } = makeRunner(knex, emulatorClient(emulator));
        const summary = await runner.run(request(OCCURRENCE, CI_RULES));
        expect(summary).toMatchObject({
          stoppedBy: 'errors',
          deleted: 0,
          failed: 5,
        });
        expect(summary.remaining).toBeGreaterThan(600);
        expect(logger.error).toHaveBeenCalledTimes(5);

        emulator.faults.clear();
        const later = await runner.run(request(OCCURRENCE, CI_RULES));
        expect(later).toMatchObject({
          failed: 5,
          remaining: 0,
          deleted: summary.remaining,
        });
        expect(later.stoppedBy).toBeUndefined();
      },
    );
  });

  it.each(databases.eachSupportedId())(
    'goes on through a 429 storm, slower, and loses nothing, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrate(knex);
      // DigitalOcean's limit cut to 25 calls a second; 429s say retry-after. The emulator, the
      // client and the runner share one clock, which moves only while they wait.
      const clock = new ManualClock(NOW);
      const emulator = await DoEmulator.start({
        clock: clock.now,
        seed: {
          account: { subscriptionTier: 'professional' },
          registries: [
            {
              name: REGISTRY,
              region: 'fra1',
              ciHistory: [
                { repository: 'web', commits: 120, days: 90, releaseEvery: 25 },
              ],
            },
          ],
        },
        validateResponses: true,
        rateLimitPerMinute: 25,
        rateLimitWindowMs: 1_000,
        rateLimitPerHour: 1e9,
      });
      try {
        const rules: RetentionRule[] = [
          { keepNewest: 10, protectSemver: true, protect: ['latest'] },
        ];
        const now = () => new Date(clock.now());
        const client = emulatorClient(emulator, undefined, clock);
        const expected = planDeletions(
          await clock.passTimeUntil(listNow(client)),
          rules,
          now(),
        );
        const kept = [...heldTags(emulator)].filter(
          t => !expected.deletions.some(d => `${d.repository}:${d.tag}` === t),
        );
        // And five deletions refused outright (no retry-after the client will wait for).
        emulator.faults.add({
          kind: 'error',
          status: 429,
          count: 5,
          operationId: 'registries_delete_repositoryTag',
        });
        emulator.requests.reset();
        const started = clock.now();
        const { runner, logger } = makeRunner(knex, client, {
          ...FAST,
          sleep: clock.sleep,
        });
        const summary = await clock.passTimeUntil(
          runner.run(
            request(OCCURRENCE, rules, {
              now,
              deadline: new Date(started + 3_600_000),
            }),
          ),
        );
        const elapsedMs = clock.now() - started;

        expect(summary).toMatchObject({
          deleted: expected.deletions.length,
          failed: 0,
          skipped: 0,
          remaining: 0,
        });
        expect(summary.stoppedBy).toBeUndefined();
        expect(summary.rateLimitPauses).toBe(5);
        const limited = emulator.requests
          .all()
          .filter(e => e.status === 429).length;
        expect(limited).toBeGreaterThan(5);
        expect(elapsedMs).toBeGreaterThan(
          ((expected.deletions.length + 2) / 25 - 1) * 1000,
        );
        expect(new Set(heldTags(emulator))).toEqual(new Set(kept));
        expect(deletedTwice(emulator)).toEqual([]);
        expect(logger.error).not.toHaveBeenCalled();
      } finally {
        await emulator.stop();
      }
    },
  );
});
