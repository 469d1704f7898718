import { mockServices } from '@backstage/backend-test-utils';
import { DoEmulator, ManualClock } from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { ImagesInUseReader } from './ImagesInUseReader';
import { ImagesInUseCache } from './ImagesInUseCache';

const PROD = '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02';
const STAGING = '6c9e1c4e-2b1d-4a3e-9f0a-0d7c2d1b9a01';
const HOST = 'registry.digitalocean.com';

describe('ImagesInUseReader', () => {
  let emulator: DoEmulator;
  /** The URLs the reader's DigitalOcean client asked for. */
  let asked: string[] = [];
  const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));

  beforeEach(async () => {
    asked = [];
    emulator = await DoEmulator.start({
      validateResponses: true,
      clock: clock.now,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [
          {
            name: 'acme-prod',
            images: ['v1', 'v2', 'v3', 'v4'].map(tag => ({
              repository: 'web',
              tag,
              sizeMiB: 1,
            })),
          },
          {
            name: 'acme-staging',
            images: [{ repository: 'api', tag: 'latest', sizeMiB: 1 }],
          },
        ],
        clusters: [
          {
            id: PROD,
            name: 'prod-ams3',
            registries: ['acme-prod'],
            workloads: [
              {
                kind: 'Deployment',
                namespace: 'shop',
                name: 'web',
                image: `${HOST}/acme-prod/web:v4`,
                history: [
                  `${HOST}/acme-prod/web:v1`,
                  `${HOST}/acme-prod/web:v2`,
                  `${HOST}/acme-prod/web:v3`,
                ],
                revisionHistoryLimit: 5,
              },
              {
                kind: 'CronJob',
                namespace: 'ops',
                name: 'report',
                image: `${HOST}/acme-prod/web:v1`,
              },
              {
                kind: 'DaemonSet',
                namespace: 'kube-system',
                name: 'agent',
                image: 'docker.io/digitalocean/do-agent:3',
              },
            ],
          },
          {
            id: STAGING,
            name: 'staging-fra1',
            registries: ['acme-staging'],
            workloads: [
              {
                kind: 'Deployment',
                namespace: 'web',
                name: 'api',
                image: `${HOST}/acme-staging/api:latest`,
              },
            ],
          },
          { name: 'no-registry' },
        ],
        apps: [
          {
            spec: {
              name: 'shop-web',
              region: 'ams',
              services: [
                {
                  name: 'web',
                  image: {
                    registry_type: 'DOCR',
                    repository: 'web',
                    pin: { tag: 'v4' },
                  },
                },
              ],
            },
            previousDeployments: [
              { images: { web: { tag: 'v1' } } },
              { images: { web: { tag: 'v2' } } },
            ],
          },
          {
            spec: {
              name: 'hub',
              services: [
                {
                  name: 'nginx',
                  image: {
                    registry_type: 'DOCKER_HUB',
                    registry: 'library',
                    repository: 'nginx',
                  },
                },
              ],
            },
          },
        ],
      },
    });
  }, 60_000);
  afterEach(() => emulator.stop());

  const reader = () =>
    new ImagesInUseReader({
      client: new DigitalOceanClient({
        token: 'test',
        apiUrl: emulator.url,
        fetch: async (input, init) => {
          asked.push(String(input instanceof Request ? input.url : input));
          return fetch(input, init);
        },
      }),
      logger: mockServices.logger.mock(),
      now: () => new Date(clock.now()),
    });

  it("reads pods' digests, templates and a Deployment's previous releases from each integrated cluster, with short-lived credentials", async () => {
    const read = await reader().read();
    expect(read.unreadable).toEqual([]);
    const v4 = emulator.account
      .getRegistry('acme-prod')
      .storage.repositories.get('web')!
      .tags.get('v4');
    const pods = read.uses.filter(u => u.kind === 'running');
    expect(pods).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          registry: 'acme-prod',
          repository: 'web',
          digest: v4,
          cluster: 'prod-ams3',
          namespace: 'shop',
          where: expect.stringMatching(/^running in prod-ams3: shop\/web-/),
        }),
      ]),
    );
    expect(
      read.uses
        .filter(u => u.kind === 'previousRelease' && u.cluster)
        .map(u => [u.tag, u.previousRelease]),
    ).toEqual([
      ['v3', 1],
      ['v2', 2],
      ['v1', 3],
    ]);
    expect(
      read.uses
        .filter(u => u.kind === 'workload')
        .map(u => u.where)
        .sort(),
    ).toEqual([
      'deployed by prod-ams3: ops/cronjob/report',
      'deployed by prod-ams3: shop/deployment/web',
      'deployed by staging-fra1: web/deployment/api',
    ]);
    // Images of other registries are no use of the account's.
    expect(
      read.uses
        .filter(u => u.cluster)
        .every(u => u.registry.startsWith('acme-')),
    ).toBe(true);
    // One credentials call per integrated cluster, each asking for a 10-minute token.
    const credentials = asked.filter(url => url.includes('/credentials'));
    expect(credentials).toHaveLength(2);
    expect(credentials.every(url => url.endsWith('?expiry_seconds=600'))).toBe(
      true,
    );
    // One list call per kind: pods, ReplicaSets, Deployments, DaemonSets, StatefulSets,
    // ControllerRevisions, CronJobs and Jobs.
    expect(emulator.account.kubernetes.requestCounts.get(PROD)).toBe(8);
  }, 60_000);

  it('names a cluster whose API cannot be read, with the registries it pulls from, reads the others, and logs no token', async () => {
    emulator.account.kubernetes.setReachable(STAGING, false);
    const logger = mockServices.logger.mock();
    const read = await new ImagesInUseReader({
      client: new DigitalOceanClient({ token: 'test', apiUrl: emulator.url }),
      logger,
      now: () => new Date(clock.now()),
    }).read();
    const logged = JSON.stringify([
      logger.warn.mock.calls,
      logger.info.mock.calls,
      logger.error.mock.calls,
      read,
    ]);
    expect(logged).toContain('staging-fra1');
    expect(logged).not.toMatch(/doks-emulator-[0-9a-f]{32}/);
    expect(read.unreadable).toEqual([
      {
        kind: 'cluster',
        name: 'staging-fra1',
        registries: ['acme-staging'],
        reason: expect.any(String),
      },
    ]);
    expect(read.uses.some(u => u.cluster === 'prod-ams3')).toBe(true);
    expect(read.uses.some(u => u.cluster === 'staging-fra1')).toBe(false);
  }, 60_000);

  it('serves pages what was read last; the tick reads again only when a page asked and it is old', async () => {
    const cache = new ImagesInUseCache({
      source: reader(),
      now: () => new Date(clock.now()),
      logger: mockServices.logger.mock(),
    });
    const credentialCalls = () =>
      emulator.requests.all().filter(e => e.path.endsWith('/credentials'))
        .length;
    await cache.refreshForPages();
    expect(credentialCalls()).toBe(0);
    expect(cache.forPages()).toBeUndefined();
    expect(credentialCalls()).toBe(0);
    await cache.refreshForPages();
    const first = cache.forPages();
    expect(first?.uses.length).toBeGreaterThan(0);
    expect(credentialCalls()).toBe(2);
    // A plan within a minute shares the read.
    expect(await cache.forPlan()).toBe(first);
    clock.advance(4 * 60_000);
    await cache.refreshForPages();
    expect(cache.forPages()).toBe(first);
    clock.advance(2 * 60_000);
    await cache.refreshForPages();
    expect(credentialCalls()).toBe(2);
    expect(cache.forPages()).toBe(first);
    await cache.refreshForPages();
    expect(cache.forPages()).not.toBe(first);
    expect(credentialCalls()).toBe(4);
  }, 60_000);

  it("reads each App Platform app's active deployment, pinned by digest, and its previous deployments, newest first", async () => {
    const read = await reader().read();
    const v4 = emulator.account
      .getRegistry('acme-prod')
      .storage.repositories.get('web')!
      .tags.get('v4');
    expect(
      read.uses
        .filter(u => u.app)
        .map(u => [
          u.kind,
          u.registry,
          u.digest ?? u.tag,
          u.previousRelease,
          u.where,
        ]),
    ).toEqual([
      [
        'app',
        '',
        v4,
        undefined,
        'App Platform app shop-web, active deployment (web)',
      ],
      [
        'previousRelease',
        '',
        'v2',
        1,
        'App Platform app shop-web, previous deployment 1 (web)',
      ],
      [
        'previousRelease',
        '',
        'v1',
        2,
        'App Platform app shop-web, previous deployment 2 (web)',
      ],
    ]);
    // Deployments are read only for apps deploying from DOCR.
    expect(
      emulator.requests.all().filter(e => e.path.endsWith('/deployments')),
    ).toHaveLength(1);
  }, 60_000);
});
