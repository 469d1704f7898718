import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import type { RetentionPreviewView } from '@backstage-docr/plugin-docr-common';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';

jest.setTimeout(120_000);

const PREVIEW = '/registries/acme-app/retention/preview';
const REPOSITORIES = ['api', 'billing', 'gateway', 'web', 'worker'];

/** Five repositories of four tags each, pushed a day apart. */
const seed: EmulatorSeed = {
  account: { subscriptionTier: 'professional' },
  registries: [
    {
      name: 'acme-app',
      images: REPOSITORIES.flatMap(repository =>
        ['1', '2', '3', '4'].map(build => ({
          repository,
          tag: `build-${build}`,
          sizeMiB: 1,
        })),
      ),
    },
  ],
};

const keepNewest = (n: number) => ({
  retention: { rules: [{ keepNewest: n }] },
});

describe('the retention preview, a page at a time', () => {
  const clock = new TestClock(Date.parse('2026-11-23T12:00:00Z'));
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  beforeAll(async () => {
    emulator = await DoEmulator.start({ seed, clock: clock.now });
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      registryUrl: emulator.registryUrl,
      clock,
      features: [
        mockServices.permissions.mock({
          authorize: async (requests: any[]) =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
        }).factory,
      ],
    });
    await docr.tick();
    const stored = await docr.api(
      'put',
      '/registries/acme-app/policy',
      keepNewest(2),
    );
    if (stored.status !== 200)
      throw new Error(`The policy was not stored: ${stored.status}`);
    // The listing and the image graphs are read in the background: ask until they are held.
    let listed = await docr.api('get', PREVIEW);
    while (listed.status === 503) {
      await new Promise(resolve => setTimeout(resolve, 20));
      listed = await docr.api('get', PREVIEW);
    }
    if (listed.status !== 200)
      throw new Error(`The preview answered ${listed.status}`);
  });

  afterAll(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  const get = async (query: string) => {
    const res = await docr.api('get', `${PREVIEW}?${query}`);
    expect(res.status).toBe(200);
    return res.body as RetentionPreviewView;
  };

  it('serves the pages of one version from one computation, with the whole registry’s totals', async () => {
    const first = await get('limit=2');
    expect(first).toMatchObject({
      offset: 0,
      limit: 2,
      totalRepositories: 5,
      tagsToDelete: 10,
      tagsToKeep: 10,
    });
    expect(first.repositories.map(r => r.name)).toEqual(['api', 'billing']);
    // Time passes, the rules change: the pages of the first version stay as it was.
    clock.advance(MINUTE);
    expect(
      (await docr.api('put', '/registries/acme-app/policy', keepNewest(3)))
        .status,
    ).toBe(200);
    const second = await get(`offset=2&limit=2&version=${first.version}`);
    const third = await get(`offset=4&limit=2&version=${first.version}`);
    for (const page of [second, third]) {
      expect(page.version).toBe(first.version);
      expect(page.evaluatedAt).toBe(first.evaluatedAt);
      expect(page.tagsToDelete).toBe(10);
    }
    expect(
      [first, second, third].flatMap(p => p.repositories.map(r => r.name)),
    ).toEqual(REPOSITORIES);
    expect(second.repositories[0].delete.map(d => d.tag)).toHaveLength(2);

    // Without a version, the newest rules make a new version.
    const fresh = await get('limit=2');
    expect(fresh.version).not.toBe(first.version);
    expect(fresh.tagsToDelete).toBe(5);
  });

  it('computes a preview once per listing and rules version: asking again gives the same version', async () => {
    const a = await get('limit=5');
    clock.advance(10_000);
    const b = await get('offset=1&limit=1');
    expect(b.version).toBe(a.version);
    expect(b.evaluatedAt).toBe(a.evaluatedAt);
    expect(b.repositories).toEqual([a.repositories[1]]);
  });

  it('answers 409 for a version no longer held, naming what to do', async () => {
    const old = await get('limit=1');
    await docr.api('put', '/registries/acme-app/policy', keepNewest(1));
    await get('limit=1');
    await docr.api('put', '/registries/acme-app/policy', keepNewest(4));
    await get('limit=1');
    const res = await docr.api(
      'get',
      `${PREVIEW}?offset=1&limit=1&version=${old.version}`,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(
      'read it again from its first page, without version',
    );
  });

  it('refuses a page size above 100', async () => {
    const res = await docr.api('get', `${PREVIEW}?limit=500`);
    expect(res.status).toBe(400);
  });
});
