import type { AddressInfo } from 'node:net';
import {
  SchedulerService,
  SchedulerServiceTaskFunction,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModule from '@backstage-docr/plugin-catalog-backend-module-docr';
import docrPlugin from '@backstage-docr/plugin-docr-backend';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';

jest.setTimeout(180_000);

/**
 * One user's burst at every route of the portal that can make DigitalOcean work (the docr
 * backend's name checks and retention previews, the catalog's refresh), against one account:
 * what it costs at the emulator, and the GC of another account.
 */

const ALICE = mockCredentials.user.header('user:default/alice');
const BOB = mockCredentials.user.header('user:default/bob');
const SHARE = 30; // docr.limits.interactiveCallsPerMinute
const REGISTRIES = ['team-a-0', 'team-a-1', 'team-a-2', 'team-a-3', 'team-a-4'];
const GC_TASK = 'docr-garbage-collection';

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

/** The docr backend's clock, by the id its service ref has: the test moves it. */
const docrClock = createServiceRef<{ now(): Date }>({
  id: 'docr.clock',
  scope: 'root',
});

/** A scheduler that runs a task only when triggered, at once: runs happen when the test says. */
function recordingScheduler() {
  const tasks = new Map<string, SchedulerServiceTaskFunction>();
  const run = async (id: string) => {
    const fn = tasks.get(id);
    if (!fn) throw Object.assign(new Error(id), { name: 'NotFoundError' });
    await fn(new AbortController().signal);
  };
  const factory = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: (): SchedulerService => ({
      async scheduleTask(task) {
        tasks.set(task.id, task.fn);
      },
      createScheduledTaskRunner: () => ({
        run: async task => {
          tasks.set(task.id, task.fn);
        },
      }),
      triggerTask: run,
      async getScheduledTasks() {
        return [];
      },
      async cancelTask() {},
    }),
  });
  return { factory, run };
}

describe('one user’s burst at the portal', () => {
  let ms = Date.parse('2026-11-23T08:59:00Z'); // a Monday, before team B's window
  let teamA: DoEmulator;
  let teamB: DoEmulator;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let base: string;
  const scheduler = recordingScheduler();

  const call = async (
    method: 'GET' | 'POST',
    path: string,
    auth: string,
    body?: object,
  ) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: await res.json(),
    };
  };
  const nameCheck = (name: string, auth = ALICE) =>
    call('POST', '/api/docr/registry-names/check', auth, { name });
  const preview = (registry: string, auth = ALICE) =>
    call('GET', `/api/docr/registries/${registry}/retention/preview`, auth);
  const refresh = (auth = ALICE) =>
    call('POST', '/api/catalog/digitalocean/refresh', auth, {});
  const countStatuses = (answers: Array<{ status: number }>) =>
    answers.reduce<Record<number, number>>((counts, a) => {
      counts[a.status] = (counts[a.status] ?? 0) + 1;
      return counts;
    }, {});
  const listingCalls = () =>
    [
      'registries_list_repositoriesV2',
      'registries_list_repositoryTags',
      'registries_list_repositoryManifests',
    ].reduce((sum, op) => sum + teamA.requests.count(op), 0);

  beforeAll(async () => {
    teamA = await DoEmulator.start({ seed: teamASeed, clock: () => ms });
    teamB = await DoEmulator.start({ seed: teamBSeed, clock: () => ms });
    backend = await startTestBackend({
      features: [
        docrPlugin,
        catalogPlugin,
        catalogModule,
        scheduler.factory,
        createServiceFactory({
          service: docrClock,
          deps: {},
          factory: () => ({ now: () => new Date(ms) }),
        }),
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({ result: 'ALLOW' as any })),
          authorizeConditional: async requests =>
            requests.map(() => ({ result: 'ALLOW' as any })),
        }).factory,
        mockServices.rootConfig.factory({
          data: {
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
              maxRetries: 1,
            },
            docr: {
              limits: {
                interactiveCallsPerMinute: SHARE,
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
            catalog: {
              rules: [{ allow: ['Resource', 'Location'] }],
              providers: {
                digitalocean: {
                  'team-a': {
                    account: 'default',
                    owner: 'group:default/platform',
                    // The refresh route's pace runs on real time: longer than the test.
                    refresh: {
                      minInterval: { hours: 1 },
                      perUser: { requests: 5, per: { hours: 24 } },
                    },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    base = `http://localhost:${(backend.server.address() as AddressInfo).port}`;
    await scheduler.run(GC_TASK); // both accounts' first listing
    teamA.requests.reset();
  });

  afterAll(async () => {
    await backend?.stop();
    await teamA?.stop();
    await teamB?.stop();
  });

  it('costs the account at most its share and one catalog run, and another user is still heard', async () => {
    const checks = [];
    const previews = [];
    const refreshes = [];
    // Interleaved, ten at a time, as a script would send them.
    for (let i = 0; i < 50; i++) {
      const batch = await Promise.all([
        ...[0, 1, 2, 3].map(j => nameCheck(`alice-${i * 4 + j}`)),
        preview(REGISTRIES[i % REGISTRIES.length]),
        refresh(),
      ]);
      checks.push(...batch.slice(0, 4));
      previews.push(batch[4]);
      refreshes.push(batch[5]);
    }
    expect(countStatuses(checks)).toEqual({ 200: 10, 429: 190 });
    expect(countStatuses(refreshes)).toEqual({ 202: 5, 429: 45 });
    const previewStatuses = countStatuses(previews);
    expect(previewStatuses[429]).toBe(20); // team-a-3 and team-a-4: a fourth cold registry
    for (const refused of [...checks, ...previews, ...refreshes].filter(
      a => a.status === 429,
    ))
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);

    expect((await nameCheck('bob-0', BOB)).status).toBe(200);
    expect((await refresh(BOB)).status).toBe(202);

    // The docr backend's listings within the account's share, its name checks the users' limits;
    // the catalog read DigitalOcean once for all the refreshes.
    expect(listingCalls()).toBeLessThanOrEqual(SHARE);
    expect(teamA.requests.count('registries_validate_name')).toBe(11);
    expect(teamA.requests.count('registries_list')).toBe(1);
    expect(teamA.requests.count('kubernetes_list_clusters')).toBe(1);
    // Far under DigitalOcean's 250 a minute: no 429, so the account's client never paused.
    expect(teamA.requests.count()).toBeLessThan(SHARE + 11 + 20);
  });

  it('leaves the GC of another account on time', async () => {
    ms = Date.parse('2026-11-23T09:00:00Z');
    await scheduler.run(GC_TASK);
    const runs = await call(
      'GET',
      '/api/docr/accounts/team-b/registries/tools/gc-runs',
      BOB,
    );
    expect(runs.status).toBe(200);
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0].startedAt).toBe('2026-11-23T09:00:00.000Z');
    expect(teamB.requests.count('registries_run_garbageCollection')).toBe(1);
  });
});
