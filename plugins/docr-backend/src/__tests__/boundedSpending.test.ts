import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import type request from 'supertest';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';

jest.setTimeout(180_000);

const ALICE = mockCredentials.user.header('user:default/alice');
const BOB = mockCredentials.user.header('user:default/bob');
const INTERACTIVE_CALLS_PER_MINUTE = 30;
const REGISTRIES = ['team-a-0', 'team-a-1', 'team-a-2', 'team-a-3', 'team-a-4'];

/** Five registries of six repositories: a cold preview of one lists it in 13 calls. */
const teamASeed: EmulatorSeed = {
  account: { subscriptionTier: 'professional' },
  registries: REGISTRIES.map(name => ({
    name,
    images: Array.from({ length: 6 }, (_, i) => ({
      repository: `service-${i}`,
      tag: 'v1.0.0',
      sizeMiB: 1,
    })),
  })),
};

const teamBSeed: EmulatorSeed = {
  account: { subscriptionTier: 'basic' },
  registries: [
    {
      name: 'tools',
      images: [{ repository: 'ci', tag: 'latest', sizeMiB: 2 }],
    },
  ],
};

/** The calls of the cache's listings, which users' pages and previews ask for. */
const listingCalls = (emulator: DoEmulator) =>
  [
    'registries_list_repositoriesV2',
    'registries_list_repositoryTags',
    'registries_list_repositoryManifests',
  ].reduce((sum, operation) => sum + emulator.requests.count(operation), 0);

describe('what one user may spend of an account’s DigitalOcean budget', () => {
  // A Monday, a minute before team B's window opens.
  const clock = new TestClock(Date.parse('2026-11-23T08:59:00Z'));
  let teamA: DoEmulator;
  let teamB: DoEmulator;
  let docr: DocrTestBackend;

  beforeAll(async () => {
    // DigitalOcean's budget for team A's token, smaller than the real 250 so that spending it
    // would show: a 429 would pause the account's client, and the GC task with it.
    teamA = await DoEmulator.start({
      seed: teamASeed,
      clock: clock.now,
      rateLimitPerMinute: 60,
    });
    teamB = await DoEmulator.start({ seed: teamBSeed, clock: clock.now });
    docr = await startDocrBackend({
      emulatorUrl: teamA.url,
      registryUrl: teamA.registryUrl,
      clock,
      digitalocean: {
        accounts: [
          {
            id: 'default',
            apiUrl: teamA.url,
            registryUrl: teamA.registryUrl,
            token: 'a',
          },
          { id: 'team-b', apiUrl: teamB.url, token: 'b' },
        ],
      },
      docr: {
        limits: {
          interactiveCallsPerMinute: INTERACTIVE_CALLS_PER_MINUTE,
          maxConcurrentListings: 4,
          perUser: {
            nameChecks: { requests: 10, per: { minutes: 1 } },
            coldPreviews: { requests: 3, per: { minutes: 1 } },
          },
        },
        garbageCollection: {
          default: { windows: [] },
          accounts: {
            'team-b': {
              registries: {
                tools: {
                  windows: [
                    {
                      days: ['mon'],
                      start: '09:00',
                      duration: 'PT2H',
                      timezone: 'UTC',
                    },
                  ],
                },
              },
            },
          },
        },
      },
      features: [
        mockServices.permissions.mock({
          authorize: async (requests: any[]) =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
        }).factory,
      ],
    });
    await docr.tick(); // both accounts' first listing
    teamA.requests.reset();
  });

  afterAll(async () => {
    await docr?.stop();
    await teamA?.stop();
    await teamB?.stop();
  });

  const nameCheck = (name: string, auth = ALICE) =>
    docr.api('post', '/registry-names/check', { name }, auth);
  const preview = (registry: string, auth = ALICE) =>
    docr.api(
      'get',
      `/registries/${registry}/retention/preview`,
      undefined,
      auth,
    );

  /** Sends the requests ten at a time, as a busy form or a script would. */
  async function burst(requests: Array<() => Promise<request.Response>>) {
    const answers: request.Response[] = [];
    for (let i = 0; i < requests.length; i += 10)
      answers.push(
        ...(await Promise.all(requests.slice(i, i + 10).map(r => r()))),
      );
    return answers;
  }
  const statuses = (answers: request.Response[]) =>
    answers.reduce<Record<number, number>>((counts, a) => {
      counts[a.status] = (counts[a.status] ?? 0) + 1;
      return counts;
    }, {});

  it('answers a burst of name checks and cold previews within the user’s limits and the account’s share, and another user is not held back', async () => {
    const checks = await burst(
      Array.from({ length: 200 }, (_, i) => () => nameCheck(`alice-${i}`)),
    );
    expect(statuses(checks)).toEqual({ 200: 10, 429: 190 });
    const refused = checks.find(a => a.status === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.body.error.message).toContain(
      'Too many registry name checks that ask DigitalOcean: 10 every 1 min per user (docr.limits.perUser.nameChecks)',
    );
    // Bob's limit is his own.
    expect((await nameCheck('bob-0', BOB)).status).toBe(200);
    expect(teamA.requests.count('registries_validate_name')).toBe(11);

    const previews = await burst(
      Array.from(
        { length: 50 },
        (_, i) => () => preview(REGISTRIES[i % REGISTRIES.length]),
      ),
    );
    // Three registries made cold per minute; asking again while they are listed costs nothing.
    const byRegistry = (registry: string) =>
      previews
        .filter((_, i) => REGISTRIES[i % REGISTRIES.length] === registry)
        .map(a => a.status);
    for (const registry of REGISTRIES.slice(0, 3))
      expect(byRegistry(registry).every(s => s === 503 || s === 200)).toBe(
        true,
      );
    for (const registry of REGISTRIES.slice(3))
      expect(byRegistry(registry)).toEqual(Array(10).fill(429));
    const coldRefused = previews.find(a => a.status === 429)!;
    expect(coldRefused.body.error.message).toContain(
      'docr.limits.perUser.coldPreviews',
    );
    expect(Number(coldRefused.headers['retry-after'])).toBeGreaterThanOrEqual(
      1,
    );
    // Bob may still make a registry cold.
    expect((await preview('team-a-4', BOB)).status).toBe(503);

    // The whole burst cost DigitalOcean no more than the account's share of listings and its
    // name checks for a minute, and stayed under DigitalOcean's limit (no 429, so the account's
    // client was never paused).
    expect(listingCalls(teamA)).toBeGreaterThan(0);
    expect(listingCalls(teamA)).toBeLessThanOrEqual(
      INTERACTIVE_CALLS_PER_MINUTE,
    );
    expect(teamA.requests.count()).toBeLessThan(60);
  });

  it('leaves the GC task of another account on time, and of this account too', async () => {
    clock.set('2026-11-23T09:00:00Z');
    await docr.tick();
    const runs = await docr.api(
      'get',
      '/accounts/team-b/registries/tools/gc-runs',
    );
    expect(runs.status).toBe(200);
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0].startedAt).toBe('2026-11-23T09:00:00.000Z');
    expect(teamB.requests.count('registries_run_garbageCollection')).toBe(1);
  });

  it('lists the rest within the share of each later minute, until the preview is answered', async () => {
    const start = clock.ms;
    let answer = await preview('team-a-0');
    while (answer.status !== 200) {
      expect(answer.status).toBe(503);
      // The listings started are made in the background: give them a turn, and time passes.
      await new Promise(resolve => setTimeout(resolve, 20));
      clock.advance(10_000);
      answer = await preview('team-a-0');
    }
    expect(answer.body.repositories).toHaveLength(6);
    const minutes = Math.ceil((clock.ms - start) / MINUTE) + 1;
    expect(listingCalls(teamA)).toBeLessThanOrEqual(
      INTERACTIVE_CALLS_PER_MINUTE * minutes,
    );
  });
});
