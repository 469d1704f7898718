import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DoEmulator,
  ciHistorySeedPath,
  loadSeedFile,
} from '@backstage-docr/do-emulator';
import type {
  RetentionPreviewView,
  RetentionRule,
} from '@backstage-docr/plugin-docr-common';
import type { Knex } from 'knex';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';

jest.setTimeout(90_000);

const NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const PREVIEW = '/registries/acme-ci/retention/preview';
const SEMVER_OR_LATEST = /^(v1\.\d+\.0|latest)$/;

describe('retention preview', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let clock: TestClock;
  let emulator: DoEmulator | undefined;
  let docr: DocrTestBackend | undefined;

  async function start(
    options: { docr?: object; features?: any[]; knex?: Knex } = {},
  ) {
    clock = new TestClock(NOW);
    emulator ??= await DoEmulator.start({
      seed: loadSeedFile(ciHistorySeedPath),
      clock: clock.now,
      gcStepMs: MINUTE,
      validateResponses: true,
    });
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      registryUrl: emulator.registryUrl,
      clock,
      ...options,
    });
    await docr.tick(); // the account's first listing
    emulator.requests.reset();
    return docr;
  }

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
    docr = emulator = undefined;
  });

  /** Reads until the docr API stops answering 503 (the listings are made in the background). */
  async function whenListed(path = PREVIEW) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await docr!.api('get', path);
      if (res.status !== 503 || Date.now() > deadline) return res;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  const putRules = (rules: RetentionRule[]) =>
    docr!.api('put', '/registries/acme-ci/policy', { retention: { rules } });

  /** The unprotected tags of the repository in the emulator's model, newest first. */
  function unprotectedNewestFirst(repository: string) {
    const repo = emulator!.account
      .getRegistry('acme-ci')
      .storage.repositories.get(repository)!;
    return [...repo.tagUpdatedAt.entries()]
      .filter(([tag]) => !SEMVER_OR_LATEST.test(tag))
      .sort(([a, at], [b, bt]) => bt - at || a.localeCompare(b));
  }

  /** The blob bytes only the manifests of the deleted tags reference, from the emulator's model. */
  function unsharedBlobBytes(preview: RetentionPreviewView): number {
    const storage = emulator!.account.getRegistry('acme-ci').storage;
    const referencedByKept = new Set<string>();
    const referencedByDeleted = new Set<string>();
    for (const repo of storage.repositories.values()) {
      const deleted = new Set(
        preview.repositories
          .find(r => r.name === repo.name)!
          .delete.map(t => t.tag),
      );
      for (const manifest of repo.manifests.values()) {
        const tags = [...repo.tags].filter(([, d]) => d === manifest.digest);
        const gone = tags.length > 0 && tags.every(([t]) => deleted.has(t));
        for (const layer of manifest.layers)
          (gone ? referencedByDeleted : referencedByKept).add(layer);
      }
    }
    let bytes = 0;
    for (const digest of referencedByDeleted)
      if (!referencedByKept.has(digest)) bytes += storage.blobs.get(digest)!;
    return bytes;
  }

  it('previews the CI history: protected tags never deleted, keepNewest per repository, the unshared blob bytes as the estimate', async () => {
    await start();
    expect(
      (
        await putRules([
          {
            deleteOlderThan: 'P30D',
            keepNewest: 20,
            protectSemver: true,
            protect: ['latest'],
          },
          { repositories: ['work*'], keepNewest: 50 },
        ])
      ).status,
    ).toBe(200);
    const res = await whenListed();
    expect(res.status).toBe(200);
    const preview: RetentionPreviewView = res.body;
    expect(preview).toMatchObject({
      registry: 'acme-ci',
      source: 'api',
      evaluatedAt: '2026-11-23T12:00:00.000Z',
      fetchedAt: '2026-11-23T12:00:00.000Z',
    });
    expect(preview.repositories.map(r => r.name)).toEqual([
      'api',
      'web',
      'worker',
    ]);

    for (const repository of preview.repositories) {
      expect(repository.delete.length + repository.keep.length).toBe(313);
      const deleted = repository.delete.map(t => t.tag);
      expect(deleted.filter(t => SEMVER_OR_LATEST.test(t))).toEqual([]);
      const protectedTags = repository.keep.filter(t =>
        SEMVER_OR_LATEST.test(t.tag),
      );
      expect(protectedTags).toHaveLength(13);
      for (const tag of protectedTags)
        expect(tag.reasons).toEqual([
          {
            kind: 'protected',
            rule: 0,
            pattern: tag.tag === 'latest' ? 'latest' : 'semver',
          },
        ]);

      const newest = unprotectedNewestFirst(repository.name);
      const expected = newest
        .filter(
          ([, at], rank) =>
            (rank >= 20 && at < NOW - 30 * DAY) ||
            (repository.name === 'worker' && rank >= 50),
        )
        .map(([tag]) => tag);
      expect(deleted).toEqual(expected);
      const kept = repository.keep.map(t => t.tag);
      expect(kept).toEqual(
        expect.arrayContaining(newest.slice(0, 20).map(([tag]) => tag)),
      );
    }
    const worker = preview.repositories.find(r => r.name === 'worker')!;
    expect(worker.delete).toHaveLength(250);
    expect(worker.delete[0].reason).toBe('rule 2: not among the 50 newest');
    const web = preview.repositories.find(r => r.name === 'web')!;
    expect(web.delete.length).toBeGreaterThan(150);
    expect(web.delete[0].reasons).toEqual([
      { kind: 'selected', rule: 0, deleteOlderThan: 'P30D', keepNewest: 20 },
    ]);
    expect(preview.tagsToDelete).toBe(
      preview.repositories.reduce((sum, r) => sum + r.delete.length, 0),
    );

    const estimate = unsharedBlobBytes(preview);
    expect(estimate).toBeGreaterThan(0);
    expect(preview.estimatedFreedBytes).toBe(estimate);
    // The shared base layer is kept: no blob freed belongs to two repositories here.
    expect(
      preview.repositories.reduce((sum, r) => sum + r.estimatedFreedBytes, 0),
    ).toBe(estimate);
    // One listing each, made in the background (300 manifests: two pages of DigitalOcean's);
    // another preview within the TTL asks DigitalOcean nothing.
    const listings = () =>
      [
        'registries_list_repositoriesV2',
        'registries_list_repositoryTags',
        'registries_list_repositoryManifests',
      ].map(id => emulator!.requests.count(id));
    expect(listings()).toEqual([1, 6, 6]);
    expect((await docr!.api('get', PREVIEW)).body).toEqual(preview);
    expect(listings()).toEqual([1, 6, 6]);
  });

  it('deletes nothing without rules (the default policy has none)', async () => {
    await start();
    const res = await whenListed();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      source: 'default',
      rules: [],
      tagsToDelete: 0,
      tagsToKeep: 939,
      estimatedFreedBytes: 0,
    });
    expect(res.body.repositories[0].keep[0].reason).toBe(
      'no rule selects tags of this repository',
    );
  });

  it('answers 503 with Retry-After until the repositories, then their tags and manifests, are listed', async () => {
    await start({
      docr: {
        garbageCollection: {
          default: { retention: { rules: [{ keepNewest: 10 }] } },
        },
      },
    });
    const first = await docr!.api('get', PREVIEW);
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    expect(first.body.error.message).toContain(
      'listing the repositories of "acme-ci"',
    );
    await whenListed('/registries/acme-ci/repositories');
    const second = await docr!.api('get', PREVIEW);
    expect(second.status).toBe(503);
    expect(second.body.error.message).toMatch(
      /listing the (tags|manifests) of "acme-ci\/(api|web|worker)"/,
    );
    const listed = await whenListed();
    expect(listed.status).toBe(200);
    expect(listed.body.tagsToDelete).toBe(3 * 303);
  });

  it('answers 409 when the registry holds more tags and manifests than docr.repositories.maxTags', async () => {
    await start({ docr: { repositories: { maxTags: 1000 } } });
    await whenListed('/registries/acme-ci/repositories');
    const res = await docr!.api('get', PREVIEW);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      '"acme-ci" holds 1839 tags and manifests, more than the 1000 the docr API may hold (docr.repositories.maxTags)',
    );
  });

  it('answers 403 without docr.registry.read on the registry, and lists nothing', async () => {
    await start({
      features: [
        mockServices.permissions.mock({
          authorize: async (requests: any[]) =>
            requests.map(() => ({ result: AuthorizeResult.DENY })),
        }).factory,
      ],
    });
    const res = await docr!.api('get', PREVIEW);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('docr.registry.read');
    expect(emulator!.requests.count()).toBe(0);
  });

  it('takes the rules of a config policy over those stored through the API', async () => {
    const knex = await databases.init('SQLITE_3');
    await start({ knex });
    expect((await putRules([{ keepNewest: 1 }])).status).toBe(200);
    await docr!.stop();

    const configRules = [{ keepNewest: 100, protect: ['v1.*'] }];
    await start({
      knex,
      docr: {
        garbageCollection: {
          registries: { 'acme-ci': { retention: { rules: configRules } } },
        },
      },
    });
    const res = await whenListed();
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('config');
    expect(res.body.rules).toEqual(configRules);
    // 300 commits and latest: 100 kept, the releases protected.
    expect(res.body.tagsToDelete).toBe(3 * 201);
    expect((await putRules([{ keepNewest: 1 }])).status).toBe(409);
  });
});
