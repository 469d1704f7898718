import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator, registryPusher } from '@backstage-docr/do-emulator';
import type {
  RetentionPreviewView,
  RetentionRule,
} from '@backstage-docr/plugin-docr-common';
import {
  DigitalOceanClient,
  RegistryHostClient,
  type OciDescriptor,
} from '@backstage-docr/plugin-docr-node';
import type { Knex } from 'knex';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
} from '../__testUtils__/backend';
import {
  IN_USE,
  listAndStorePolicy,
  startInUseEmulator,
  unpacedTagRetention,
} from '../__testUtils__/retentionBackend';

jest.setTimeout(180_000);

const { registry: REGISTRY, cluster: CLUSTER, host: HOST } = IN_USE;
const SIGNATURE_LAYER = 'application/vnd.dev.cosign.simplesigning.v1+json';
/** Aggressive: every tag older than a day and every untagged manifest goes. */
const RULES: RetentionRule[] = [
  { deleteOlderThan: 'P1D', untaggedManifestsOlderThan: 'PT1S' },
];
/** Monday 13:00–15:00 UTC. */
const POLICY = {
  windows: [
    { days: ['mon'], start: '13:00', duration: 'PT2H', timezone: 'UTC' },
  ],
  retention: { rules: RULES },
};
const cosignTag = (subject: OciDescriptor) =>
  `sha256-${subject.digest.slice(7)}.sig`;

/**
 * Images in use survive retention, in a real docr backend against the emulator's DigitalOcean
 * API, registry host and its DOKS cluster's Kubernetes API: what pods run (a tag older than every
 * rule, a multi-arch image pinned by digest), a Deployment's and a DaemonSet's previous releases
 * (two by default), a CronJob's image with its signature, an App Platform app's image pinned by
 * digest; and a cluster that cannot be read holds the registry's deletions back until it can.
 */
describe('retention keeps the images in use', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const clock = new TestClock(Date.parse('2026-11-16T12:00:00Z'));
  let emulator: DoEmulator;
  let docr: DocrTestBackend;
  let api: DigitalOceanClient;

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  /**
   * Old content a week before the window, web:v6 an hour before; what runs on the cluster. With
   * `daemonSet`, also agent:v0 to v3 a week before, and infra/log-agent running agent:v3, rolled
   * out from v1 and v2 (its ControllerRevisions 1 and 2).
   */
  async function setUp(knex: Knex, options: { daemonSet?: boolean } = {}) {
    clock.set('2026-11-16T12:00:00Z');
    emulator = await startInUseEmulator(clock);
    api = new DigitalOceanClient({ token: 'test', apiUrl: emulator.url });
    const web = registryPusher(emulator, REGISTRY, 'web');
    for (const n of [1, 2, 3, 4, 5])
      await web.image(`web-${n}`, { tag: `v${n}` });
    const gateway = await registryPusher(
      emulator,
      REGISTRY,
      'gateway',
    ).multiArch('gateway-1', '1.0', ['linux/amd64', 'linux/arm64']);
    const apiImage = await registryPusher(emulator, REGISTRY, 'api').image(
      'api-1',
      { tag: '1.0' },
    );
    const payments = registryPusher(emulator, REGISTRY, 'payments');
    const report = await payments.image('payments-2', { tag: '2.0' });
    await payments.image(`${report.manifest.digest} signature`, {
      tag: cosignTag(report.manifest),
      layerType: SIGNATURE_LAYER,
    });
    await registryPusher(emulator, REGISTRY, 'unused').image('unused', {
      tag: 'old',
    });
    if (options.daemonSet) {
      const agent = registryPusher(emulator, REGISTRY, 'agent');
      for (const n of [0, 1, 2, 3])
        await agent.image(`agent-${n}`, { tag: `v${n}` });
    }
    clock.set('2026-11-23T11:00:00Z');
    await web.image('web-6', { tag: 'v6' });
    clock.set('2026-11-23T12:00:00Z');

    const kubernetes = emulator.account.kubernetes;
    kubernetes.run(CLUSTER, {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      image: `${HOST}/web:v6`,
      history: [`${HOST}/web:v1`, `${HOST}/web:v2`, `${HOST}/web:v3`],
      replicas: 2,
    });
    kubernetes.run(CLUSTER, {
      kind: 'Deployment',
      namespace: 'legacy',
      name: 'web',
      image: `${HOST}/web:v4`,
    });
    kubernetes.run(CLUSTER, {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'gateway',
      image: `${HOST}/gateway:1.0`,
      pinByDigest: true,
    });
    if (options.daemonSet)
      kubernetes.run(CLUSTER, {
        kind: 'DaemonSet',
        namespace: 'infra',
        name: 'log-agent',
        image: `${HOST}/agent:v3`,
        history: [`${HOST}/agent:v1`, `${HOST}/agent:v2`],
      });
    kubernetes.run(CLUSTER, {
      kind: 'CronJob',
      namespace: 'ops',
      name: 'payments-report',
      image: `${HOST}/payments:2.0`,
    });
    emulator.account.appPlatform.create(
      {
        name: 'shop-api',
        region: 'ams',
        services: [
          {
            name: 'api',
            image: {
              registry_type: 'DOCR',
              registry: REGISTRY,
              repository: 'api',
              digest: apiImage.manifest.digest,
            },
          },
        ],
      } as any,
      { createdAtMs: clock.ms },
    );

    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      registryUrl: emulator.registryUrl,
      clock,
      knex,
      docr: unpacedTagRetention(),
    });
    await listAndStorePolicy(docr, REGISTRY, POLICY);
    return { gateway, apiImage, report };
  }

  /** The preview once the images and what runs were read (a page asks the next tick for them). */
  async function preview(): Promise<RetentionPreviewView> {
    for (;;) {
      const res = await docr.api(
        'get',
        `/registries/${REGISTRY}/retention/preview`,
      );
      if (res.status === 200 && res.body.inUseReadAt) return res.body;
      if (res.status !== 503) expect(res.status).toBe(200);
      await docr.tick();
    }
  }

  const deletedTags = () =>
    emulator.requests
      .all()
      .filter(e => e.method === 'DELETE' && e.path.includes('/tags/'))
      .map(e => decodeURIComponent(e.path))
      .map(path => path.replace(/^.*\/repositories\/(.*)\/tags\//, '$1:'))
      .sort();

  const runs = async () =>
    (await docr.api('get', `/registries/${REGISTRY}/gc-runs`)).body.items;

  /** Ticks, a minute apart, until the latest run has ended. */
  async function untilRunEnds() {
    let [run] = await runs();
    while (!['succeeded', 'failed', 'cancelled'].includes(run.status)) {
      clock.advance(MINUTE);
      await docr.tick();
      [run] = await runs();
    }
    return run;
  }

  /** The window opens: its first tick deletes exactly `deleted` (sorted), then the GC runs out. */
  async function windowRun(deleted: string[]) {
    clock.set('2026-11-23T13:05:00Z');
    await docr.tick();
    expect(deletedTags()).toEqual(deleted);
    return untilRunEnds();
  }

  /** Pulls a reference completely with read-only credentials: manifests, configs and layers. */
  async function pulls(repository: string, reference: string) {
    const host = new RegistryHostClient({
      credentials: api,
      registryUrl: emulator.registryUrl,
      requestsPerSecond: 1000,
    });
    const auths = (await api.getDockerCredentials(REGISTRY)).auths!;
    const basic = `Basic ${auths['registry.digitalocean.com']!.auth}`;
    const statuses: number[] = [];
    const pull = async (ref: string) => {
      const { document } = await host.getManifest(REGISTRY, repository, ref);
      if (document.kind === 'index') {
        for (const child of document.index.manifests) await pull(child.digest);
        return;
      }
      for (const blob of [
        document.manifest.config,
        ...document.manifest.layers,
      ])
        statuses.push(
          (
            await fetch(
              `${emulator.registryUrl}/v2/${REGISTRY}/${repository}/blobs/${blob.digest}`,
              { method: 'HEAD', headers: { authorization: basic } },
            )
          ).status,
        );
    };
    await pull(reference);
    return statuses.length > 0 && statuses.every(status => status === 200);
  }

  it.each(databases.eachSupportedId())(
    'keeps what runs, the two previous releases, a CronJob image with its signature and an app image pinned by digest, each with its reason, and they still pull after the GC, %p',
    async databaseId => {
      const { gateway, apiImage, report } = await setUp(
        await databases.init(databaseId),
      );
      const before = await preview();
      const kept = new Map(
        before.repositories.flatMap(r =>
          r.keep.map(t => [`${r.name}:${t.tag}`, t.reason] as const),
        ),
      );
      const toDelete = before.repositories
        .flatMap(r => r.delete.map(t => `${r.name}:${t.tag}`))
        .sort();
      expect(toDelete).toEqual(['unused:old', 'web:v1', 'web:v5']);
      expect(kept.get('web:v4')).toMatch(/^running in prod-ams3: legacy\/web-/);
      expect(kept.get('web:v3')).toBe(
        'previous release 1 of prod-ams3: shop/deployment/web (revision 3)',
      );
      expect(kept.get('web:v2')).toBe(
        'previous release 2 of prod-ams3: shop/deployment/web (revision 2)',
      );
      expect(kept.get('gateway:1.0')).toMatch(
        /running in prod-ams3: shop\/gateway-/,
      );
      expect(kept.get('api:1.0')).toBe(
        'App Platform app shop-api, active deployment (api)',
      );
      expect(kept.get('payments:2.0')).toBe(
        'deployed by prod-ams3: ops/cronjob/payments-report',
      );
      expect(kept.get(`payments:${cosignTag(report.manifest)}`)).toBe(
        'attached to 2.0, which is kept',
      );

      // The tag listing says where each tag runs, from the same read.
      const tags = await docr.api(
        'get',
        `/registries/${REGISTRY}/repositories/web/tags`,
      );
      const inUseOf = (tag: string) =>
        tags.body.items.find((t: any) => t.tag === tag).inUse;
      expect(inUseOf('v4')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            use: 'running',
            cluster: 'prod-ams3',
            namespace: 'legacy',
          }),
        ]),
      );
      expect(inUseOf('v3')).toEqual([
        expect.objectContaining({ use: 'previousRelease' }),
      ]);
      expect(inUseOf('v5')).toEqual([]);

      // In the window: only what the preview listed is deleted, then the GC of the policy's type.
      const run = await windowRun(toDelete);
      expect(run).toMatchObject({
        status: 'succeeded',
        type: 'untagged manifests and unreferenced blobs',
      });
      for (const [repository, reference] of [
        ['web', 'v2'],
        ['web', 'v3'],
        ['web', 'v4'],
        ['web', 'v6'],
        ['gateway', gateway.index.digest],
        ['api', apiImage.manifest.digest],
        ['payments', '2.0'],
        ['payments', cosignTag(report.manifest)],
      ])
        expect([reference, await pulls(repository, reference)]).toEqual([
          reference,
          true,
        ]);
    },
  );

  it.each(databases.eachSupportedId())(
    "keeps a DaemonSet's two previous releases (its ControllerRevisions) with their reasons in the preview and the window's run, deletes an older tag, and they still pull after the GC, %p",
    async databaseId => {
      await setUp(await databases.init(databaseId), { daemonSet: true });
      const before = await preview();
      const agent = before.repositories.find(r => r.name === 'agent')!;
      expect(agent.delete.map(t => t.tag)).toEqual(['v0']);
      expect(
        Object.fromEntries(agent.keep.map(t => [t.tag, t.reason])),
      ).toEqual({
        v3: expect.stringMatching(/^running in prod-ams3: infra\/log-agent-/),
        v2: 'previous release 1 of prod-ams3: infra/daemonset/log-agent (revision 2)',
        v1: 'previous release 2 of prod-ams3: infra/daemonset/log-agent (revision 1)',
      });
      const toDelete = before.repositories
        .flatMap(r => r.delete.map(t => `${r.name}:${t.tag}`))
        .sort();
      expect(toDelete).toEqual(['agent:v0', 'unused:old', 'web:v1', 'web:v5']);

      // In the window: only what the preview listed is deleted, and agent:v1 to v3 are left,
      // the tag listing giving the same reasons.
      const run = await windowRun(toDelete);
      expect(run).toMatchObject({
        status: 'succeeded',
        retention: { deletedTags: 4, failed: 0 },
      });
      expect([
        ...emulator.account
          .getRegistry(REGISTRY)
          .storage.repositories.get('agent')!
          .tags.keys(),
      ]).toEqual(['v1', 'v2', 'v3']);
      const tags = (
        await docr.api('get', `/registries/${REGISTRY}/repositories/agent/tags`)
      ).body.items;
      const whereOf = (tag: string) =>
        tags.find((t: any) => t.tag === tag).inUse.map((u: any) => u.where);
      expect(whereOf('v3')).toContain(
        'deployed by prod-ams3: infra/daemonset/log-agent',
      );
      expect(whereOf('v2')).toEqual([
        'previous release 1 of prod-ams3: infra/daemonset/log-agent (revision 2)',
      ]);
      expect(whereOf('v1')).toEqual([
        'previous release 2 of prod-ams3: infra/daemonset/log-agent (revision 1)',
      ]);
      for (const tag of ['v1', 'v2', 'v3'])
        expect([tag, await pulls('agent', tag)]).toEqual([tag, true]);
    },
  );

  it.each(databases.eachSupportedId())(
    'deletes nothing of the registry while what runs on its cluster cannot be read, says why in the run, and deletes what the rules select once it can, %p',
    async databaseId => {
      await setUp(await databases.init(databaseId));
      emulator.account.kubernetes.setReachable(CLUSTER, false);
      const before = await preview();
      expect(before.heldBack).toMatch(/prod-ams3/);
      expect(before.tagsToDelete).toBe(0);

      const held = await windowRun([]);
      expect(held.type).toBe('unreferenced blobs only');
      expect(held.reason).toMatch(
        /^Retention deleted nothing and the GC frees unreferenced blobs only: what runs could not be read \(prod-ams3: /,
      );

      // The cluster is back by the next window: the rules select as before.
      emulator.account.kubernetes.setReachable(CLUSTER, true);
      clock.set('2026-11-30T13:05:00Z');
      await docr.tick();
      expect(deletedTags()).toEqual(['unused:old', 'web:v1', 'web:v5']);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps an untagged manifest an app runs by digest: not deleted by digest, the GC frees unreferenced blobs only and says why, and it still pulls, %p',
    async databaseId => {
      await setUp(await databases.init(databaseId));
      const web = registryPusher(emulator, REGISTRY, 'web');
      clock.set('2026-11-23T11:30:00Z');
      const pinned = await web.image('web-7', { tag: 'v7' });
      await web.image('web-7 again', { tag: 'v7' });
      clock.set('2026-11-23T12:00:00Z');
      emulator.account.appPlatform.create(
        {
          name: 'shop-web',
          region: 'ams',
          services: [
            {
              name: 'web',
              image: {
                registry_type: 'DOCR',
                repository: 'web',
                digest: pinned.manifest.digest,
              },
            },
          ],
        } as any,
        { createdAtMs: clock.ms },
      );
      clock.set('2026-11-23T13:05:00Z');
      await docr.tick();
      const run = await untilRunEnds();
      const deletedByDigest = emulator.requests
        .all()
        .filter(e => e.method === 'DELETE' && e.path.includes('/digests/'))
        .map(e => decodeURIComponent(e.path));
      expect(deletedByDigest).not.toContainEqual(
        expect.stringContaining(pinned.manifest.digest),
      );
      expect(run.type).toBe('unreferenced blobs only');
      expect(run.reason).toMatch(
        /^The GC frees unreferenced blobs only: untagged manifests are in use \(web@sha256:/,
      );
      expect(await pulls('web', pinned.manifest.digest)).toBe(true);
    },
  );
});
