import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator } from '@backstage-docr/do-emulator';
import type { GcType } from '@backstage-docr/plugin-docr-common';
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

jest.setTimeout(120_000);

const REGISTRY = 'acme-ci';
/** 30 commit tags over 30 days; the rule deletes all but the 5 newest. */
const SEED = {
  registries: [
    {
      name: REGISTRY,
      region: 'fra1',
      ciHistory: [{ repository: 'web', commits: 30, days: 30 }],
    },
  ],
};

/**
 * The GC a window starts after retention deleted tags is of the policy's type: retention never
 * widens it (a policy of "unreferenced blobs only" keeps the untagged manifests deleted tags
 * leave, which people may still pull by digest).
 */
describe('the GC after retention', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const clock = new TestClock(Date.parse('2026-11-23T12:00:00Z'));
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  const untaggedManifests = () => {
    const web = emulator.account
      .getRegistry(REGISTRY)
      .storage.repositories.get('web')!;
    const tagged = new Set(web.tags.values());
    return [...web.manifests.keys()].filter(d => !tagged.has(d));
  };

  it.each<[GcType, number]>([
    ['unreferenced blobs only', 25],
    ['untagged manifests and unreferenced blobs', 0],
  ])(
    'is the policy’s type, %p, after deleting tags; untagged manifests left: %p',
    async (type, untaggedLeft) => {
      clock.set('2026-11-23T12:00:00Z');
      emulator = await DoEmulator.start({
        seed: SEED,
        clock: clock.now,
        gcStepMs: MINUTE,
        ...NO_RATE_LIMITS,
      });
      docr = await startDocrBackend({
        emulatorUrl: emulator.url,
        registryUrl: emulator.registryUrl,
        clock,
        knex: await databases.init('SQLITE_3'),
        // The tick's slice (real time) outlasts the test: one tick deletes all 25.
        docr: unpacedTagRetention(),
      });
      await listAndStorePolicy(docr, REGISTRY, {
        type,
        windows: [
          { days: ['mon'], start: '13:00', duration: 'PT2H', timezone: 'UTC' },
        ],
        retention: { rules: [{ keepNewest: 5 }] },
      });

      clock.set('2026-11-23T13:05:00Z');
      emulator.requests.reset();
      await docr.tick();
      const deletedTags = emulator.requests
        .all()
        .filter(e => e.operationId === 'registries_delete_repositoryTag');
      expect(deletedTags.map(e => e.status)).toEqual(Array(25).fill(204));
      const [run] = (await docr.api('get', `/registries/${REGISTRY}/gc-runs`))
        .body.items;
      expect(run.statuses).toContain('deleting tags');
      expect(run.type).toBe(type);
      // What DigitalOcean was asked for.
      expect(emulator.requests.count('registries_run_garbageCollection')).toBe(
        1,
      );
      expect(emulator.account.getRegistry(REGISTRY).gcRuns[0].type).toBe(type);

      // The GC runs to its end: the deleted tags' manifests stay unless the type collects them.
      const untaggedBefore = untaggedManifests().length;
      expect(untaggedBefore).toBe(25);
      for (let i = 0; i < 10; i++) {
        clock.advance(MINUTE);
        await docr.tick();
      }
      expect(emulator.account.getRegistry(REGISTRY).gcRuns[0].status).toBe(
        'succeeded',
      );
      expect(untaggedManifests()).toHaveLength(untaggedLeft);
    },
  );
});
