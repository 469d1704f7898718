import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import request from 'supertest';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';
import { listAndStorePolicy } from '../__testUtils__/retentionBackend';

jest.setTimeout(90_000);

const PREVIEW = '/registries/acme-long/retention/preview';
/** 20 tags of DigitalOcean's longest, 128 characters: a run of `a`, then a number. */
const TAGS = Array.from(
  { length: 20 },
  (_, i) => `${'a'.repeat(124)}${String(i).padStart(4, '0')}`,
);
const SEED: EmulatorSeed = {
  registries: [
    {
      name: 'acme-long',
      images: TAGS.map(tag => ({ repository: 'web', tag, sizeMiB: 1 })),
    },
  ],
};
/**
 * The worst patterns the schema allows, 16 stars each: compiled to a regular expression, each
 * would backtrack through every way of splitting 128 `a`s sixteen ways (about 10^19) per tag.
 */
const STARS_THEN_B = `${'*a'.repeat(15)}*b`;
const LONG_STARS_THEN_9 = `${'*a'.repeat(15)}${'a'.repeat(96)}*9`;

/** A preview with pathological globs is quick: it never holds the backend's one thread. */
describe('retention preview with worst-case globs', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const clock = new TestClock(Date.parse('2026-11-23T12:00:00Z'));
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  /**
   * Reads until the docr API stops answering 503 (the listings are made in the background): no
   * deadline of its own, the test's timeout bounds it.
   */
  async function whenListed() {
    for (;;) {
      const res = await docr.api('get', PREVIEW);
      if (res.status !== 503) return res;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  it('answers the health check while a preview with 16-star patterns runs, and previews', async () => {
    emulator = await DoEmulator.start({
      seed: SEED,
      clock: clock.now,
      gcStepMs: MINUTE,
    });
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      registryUrl: emulator.registryUrl,
      clock,
      knex: await databases.init('SQLITE_3'),
    });
    await listAndStorePolicy(docr, 'acme-long', {
      retention: {
        rules: [
          {
            repositories: [STARS_THEN_B, '*'],
            keepNewest: 1,
            protect: [STARS_THEN_B, LONG_STARS_THEN_9],
          },
        ],
      },
    });
    expect((await whenListed()).status).toBe(200);

    // Sent first, so the health check waits behind them if a preview holds the thread.
    const previews = Array.from({ length: 5 }, () =>
      docr.api('get', PREVIEW).then(res => res),
    );
    const health = await request(docr.backend.server).get(
      '/.backstage/health/v1/liveness',
    );
    expect(health.status).toBe(200);
    for (const res of await Promise.all(previews)) {
      expect(res.status).toBe(200);
      const [web] = res.body.repositories;
      // The two tags ending in 9 are protected; of the other 18 the newest is kept.
      expect(web.keep.map((t: { reason: string }) => t.reason).sort()).toEqual([
        'among the 1 newest of rule 1',
        `rule 1 protects "${LONG_STARS_THEN_9}"`,
        `rule 1 protects "${LONG_STARS_THEN_9}"`,
      ]);
      expect(web.delete).toHaveLength(17);
    }
  });
});
