import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DoEmulator,
  EmulatorSeed,
  ManualClock,
} from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';
import { unpacedTagRetention } from '../__testUtils__/retentionBackend';

jest.setTimeout(60_000);

const MIB = 1024 ** 2;

const seed: EmulatorSeed = {
  account: { subscriptionTier: 'professional' },
  registries: [
    {
      name: 'acme-dev',
      images: [
        { repository: 'web', tag: 'latest', sizeMiB: 20, pushes: 3 },
        { repository: 'worker', tag: 'v1', sizeMiB: 5 },
        { repository: 'api-gateway', tag: 'v2', sizeMiB: 8 },
      ],
    },
    {
      name: 'acme-prod',
      images: [{ repository: 'api', tag: 'latest', sizeMiB: 10 }],
    },
  ],
};

const LIST_REPOSITORIES = 'registries_list_repositoriesV2';
const LIST_TAGS = 'registries_list_repositoryTags';

describe('repositories and tags', () => {
  let clock: TestClock;
  // The emulator's added latency waits on it: a held call answers when the test says.
  let latency: ManualClock;
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  async function start(
    options: { docr?: object; features?: any[]; skipFirstTick?: boolean } = {},
  ) {
    clock = new TestClock(Date.parse('2026-11-23T10:00:00Z'));
    latency = new ManualClock();
    emulator = await DoEmulator.start({
      seed,
      clock: clock.now,
      sleep: latency.sleep,
      gcStepMs: MINUTE,
      validateResponses: true,
    });
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      registryUrl: emulator.registryUrl,
      clock,
      docr: options.docr,
      features: options.features,
    });
    if (!options.skipFirstTick) await docr.tick(); // the account's first listing
    emulator.requests.reset();
  }

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  /** Reads until the docr API stops answering 503 (the listing is done in the background). */
  async function whenListed(path: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await docr.api('get', path);
      if (res.status !== 503 || Date.now() > deadline) return res;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  const names = (res: { body: { items: Array<{ name: string }> } }) =>
    res.body.items.map(r => r.name);

  it('answers 503 with Retry-After until the registry is listed, then serves it; two reads within the TTL cost one listing', async () => {
    await start();
    const first = await docr.api('get', '/registries/acme-dev/repositories');
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    expect(first.body.error.message).toContain(
      'The docr API is listing the repositories of "acme-dev" from DigitalOcean',
    );

    const listed = await whenListed('/registries/acme-dev/repositories');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      items: [
        expect.objectContaining({ name: 'api-gateway' }),
        expect.objectContaining({ name: 'web' }),
        expect.objectContaining({ name: 'worker' }),
      ],
      totalCount: 3,
      fetchedAt: '2026-11-23T10:00:00.000Z',
    });
    expect(listed.body.items[1]).toEqual({
      name: 'web',
      tagCount: 1,
      manifestCount: 3, // two pushes before the last left untagged manifests
      sizeBytes: 40 * MIB,
      latestTag: {
        tag: 'latest',
        updatedAt: '2026-11-23T10:00:00.000Z',
        compressedSizeBytes: 20 * MIB,
      },
    });

    clock.advance(4 * MINUTE);
    expect(
      (await docr.api('get', '/registries/acme-dev/repositories')).status,
    ).toBe(200);
    expect(emulator.requests.count(LIST_REPOSITORIES)).toBe(1);
  });

  it('lets concurrent first reads share one listing', async () => {
    await start();
    emulator.faults.latencyMs = 300; // the listing's call is held until released below
    const reads = await Promise.all(
      Array.from({ length: 10 }, () =>
        docr.api('get', '/registries/acme-dev/repositories'),
      ),
    );
    expect(reads.map(r => r.status)).toEqual(Array(10).fill(503));
    emulator.faults.latencyMs = 0;
    latency.advance(300);
    expect((await whenListed('/registries/acme-dev/repositories')).status).toBe(
      200,
    );
    expect(emulator.requests.count(LIST_REPOSITORIES)).toBe(1);
  });

  it('after the TTL (docr.repositories.cacheTtl) serves the stale listing while listing once again in the background', async () => {
    await start({ docr: { repositories: { cacheTtl: 'PT1M' } } });
    const path = '/registries/acme-dev/repositories';
    const before = await whenListed(path);
    emulator.push('acme-dev', 'batch', 'v1', [{ size: MIB }]);

    clock.advance(MINUTE);
    emulator.faults.latencyMs = 300; // the new listing's call is held until released below
    const stale = await Promise.all([1, 2, 3].map(() => docr.api('get', path)));
    for (const res of stale) {
      expect(res.status).toBe(200);
      expect(res.body).toEqual(before.body);
    }
    emulator.faults.latencyMs = 0;
    latency.advance(300);

    const deadline = Date.now() + 10_000;
    let fresh = await docr.api('get', path);
    while (fresh.body.fetchedAt === before.body.fetchedAt) {
      if (Date.now() > deadline) throw new Error('never listed again');
      await new Promise(resolve => setTimeout(resolve, 20));
      fresh = await docr.api('get', path);
    }
    expect(names(fresh)).toEqual(['api-gateway', 'batch', 'web', 'worker']);
    expect(fresh.body.fetchedAt).toBe('2026-11-23T10:01:00.000Z');
    expect(emulator.requests.count(LIST_REPOSITORIES)).toBe(2);
  });

  it('lists a registry again right after retention deleted its tags, not only after the TTL', async () => {
    await start({
      docr: {
        repositories: { cacheTtl: 'PT1H' },
        garbageCollection: {
          registries: {
            'acme-dev': {
              windows: [
                {
                  days: ['mon'],
                  start: '10:30',
                  duration: 'PT2H',
                  timezone: 'UTC',
                },
              ],
              retention: {
                rules: [{ repositories: ['worker'], deleteOlderThan: 'PT1M' }],
              },
            },
          },
        },
        ...unpacedTagRetention(),
      },
    });
    const path = '/registries/acme-dev/repositories/worker/tags';
    const before = await whenListed(path);
    expect(before.body.items.map((t: { tag: string }) => t.tag)).toEqual([
      'v1',
    ]);

    clock.set('2026-11-23T10:35:00Z'); // the window is open: retention deletes worker:v1
    await docr.tick();
    expect(emulator.requests.count('registries_delete_repositoryTag')).toBe(1);
    const deadline = Date.now() + 10_000;
    let after = await docr.api('get', path);
    while (after.body.fetchedAt === before.body.fetchedAt) {
      if (Date.now() > deadline) throw new Error('not listed again');
      await new Promise(resolve => setTimeout(resolve, 20));
      after = await docr.api('get', path);
    }
    expect(after.body.items).toEqual([]);
  });

  it('searches and pages repositories', async () => {
    await start();
    const path = '/registries/acme-dev/repositories';
    await whenListed(path);
    const search = await docr.api('get', `${path}?q=W`);
    expect(names(search)).toEqual(['api-gateway', 'web', 'worker']);
    const workers = await docr.api('get', `${path}?q=work`);
    expect(names(workers)).toEqual(['worker']);
    expect(workers.body.totalCount).toBe(1);
    // An empty search (a cleared search box) is no search.
    const all = await docr.api('get', `${path}?q=`);
    expect(all.status).toBe(200);
    expect(all.body.totalCount).toBe(3);
    const second = await docr.api('get', `${path}?offset=1&limit=1`);
    expect(names(second)).toEqual(['web']);
    expect(second.body.totalCount).toBe(3);
    expect((await docr.api('get', `${path}?limit=201`)).status).toBe(400);
    expect((await docr.api('get', `${path}?offset=-1`)).status).toBe(400);
  });

  it('lists more than 200 tags across DigitalOcean pages, newest first, and searches and pages them', async () => {
    await start();
    for (let i = 0; i < 250; i++) {
      clock.advance(1000);
      emulator.push('acme-prod', 'api', `v${i}`, [{ size: 1000 + i }]);
    }
    const path = '/registries/acme-prod/repositories/api/tags';
    // The registry's repositories are listed first, then the repository's tags.
    const first = await docr.api('get', path);
    expect(first.body.error.message).toContain(
      'the repositories of "acme-prod"',
    );
    await whenListed('/registries/acme-prod/repositories');
    const second = await docr.api('get', path);
    expect(second.status).toBe(503);
    expect(second.body.error.message).toContain('the tags of "acme-prod/api"');
    const tags = await whenListed(path);
    expect(tags.status).toBe(200);
    expect(tags.body.totalCount).toBe(251);
    expect(tags.body.items).toHaveLength(50);
    expect(tags.body.items[0]).toEqual({
      tag: 'v249',
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      compressedSizeBytes: 1249,
      updatedAt: '2026-11-23T10:04:10.000Z',
    });
    expect(emulator.requests.count(LIST_TAGS)).toBe(2);

    const all = await docr.api('get', `${path}?offset=200&limit=200`);
    expect(all.body.items.map((t: any) => t.tag)).toEqual([
      ...Array.from({ length: 50 }, (_, i) => `v${49 - i}`),
      'latest',
    ]);
    const search = await docr.api('get', `${path}?q=v24&limit=5`);
    expect(search.body.totalCount).toBe(11); // v24, v240 … v249
    expect(search.body.items.map((t: any) => t.tag)).toEqual([
      'v249',
      'v248',
      'v247',
      'v246',
      'v245',
    ]);
  });

  it('serves the tags of a repository whose name holds a slash (encoded as %2F)', async () => {
    await start();
    emulator.push('acme-dev', 'team/app', 'v3', [{ size: MIB }]);
    const path = '/registries/acme-dev/repositories/team%2Fapp/tags';
    await whenListed('/registries/acme-dev/repositories');
    let tags = await whenListed(path);
    expect(tags.status).toBe(200);
    expect(tags.body.items.map((t: any) => t.tag)).toEqual(['v3']);
    // Its images are read in the background; the page says so until they are.
    while (tags.body.imagesPending) tags = await docr.api('get', path);
    expect(tags.body.items[0].image).toMatchObject({ kind: 'image' });
  });

  it('answers 404 for an unknown registry or repository without asking DigitalOcean', async () => {
    await start();
    expect(
      (await docr.api('get', '/registries/nope/repositories')).status,
    ).toBe(404);
    await whenListed('/registries/acme-dev/repositories');
    const missing = await docr.api(
      'get',
      '/registries/acme-dev/repositories/nope/tags',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('No repository named "nope"');
    expect(emulator.requests.count(LIST_TAGS)).toBe(0);
  });

  it('before the account is listed, answers 503 and asks the GC task to list it', async () => {
    await start({ skipFirstTick: true });
    const first = await docr.api('get', '/registries/acme-dev/repositories');
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toBe('2');
    expect(first.body.error.message).toContain(
      "The account's registries have not been listed from DigitalOcean yet",
    );
    expect(emulator.requests.count('registries_list')).toBe(1);
    expect((await whenListed('/registries/acme-dev/repositories')).status).toBe(
      200,
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
    for (const path of [
      '/registries/acme-dev/repositories',
      '/registries/acme-dev/repositories/web/tags',
    ]) {
      const res = await docr.api('get', path);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('docr.registry.read');
    }
    expect(emulator.requests.count()).toBe(0);
  });

  it('answers DigitalOcean’s failure with 502, and lists again after the backoff', async () => {
    await start();
    emulator.faults.add({
      kind: 'error',
      status: 500,
      count: 2, // the request and its retry
      operationId: LIST_REPOSITORIES,
    });
    const path = '/registries/acme-dev/repositories';
    const failed = await whenListed(path);
    expect(failed.status).toBe(502);
    expect(failed.body.error.message).toContain('500');
    expect((await docr.api('get', path)).status).toBe(502);
    expect(emulator.requests.count(LIST_REPOSITORIES)).toBe(2);

    clock.advance(30_000);
    expect((await docr.api('get', path)).status).toBe(503);
    expect((await whenListed(path)).status).toBe(200);
  });

  it('holds at most maxRegistries registries and maxTags tags, dropping the least recently read', async () => {
    await start({ docr: { repositories: { maxRegistries: 1, maxTags: 2 } } });
    emulator.push('acme-dev', 'worker', 'v2', [{ size: MIB }]);
    const dev = '/registries/acme-dev/repositories';
    await whenListed(`${dev}/web/tags`);
    await whenListed(`${dev}/worker/tags`); // 1 + 2 tags: web's go
    expect(emulator.requests.count(LIST_TAGS)).toBe(2);
    expect((await docr.api('get', `${dev}/worker/tags`)).status).toBe(200);
    expect((await docr.api('get', `${dev}/web/tags`)).status).toBe(503);
    await whenListed(`${dev}/web/tags`);
    expect(emulator.requests.count(LIST_TAGS)).toBe(3);

    await whenListed('/registries/acme-prod/repositories'); // acme-dev goes
    expect((await docr.api('get', dev)).status).toBe(503);
    await whenListed(dev);
    expect(emulator.requests.count(LIST_REPOSITORIES)).toBe(3);
  });
});
