import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator, registryPusher } from '@backstage-docr/do-emulator';
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
} from '../__testUtils__/retentionBackend';

jest.setTimeout(180_000);

const { registry: REGISTRY, cluster: CLUSTER, host: HOST } = IN_USE;
/** Monday 13:00–15:00 UTC; no retention rules: the window's GC of the default type only. */
const POLICY = {
  windows: [
    { days: ['mon'], start: '13:00', duration: 'PT2H', timezone: 'UTC' },
  ],
};

/**
 * A policy with windows and no retention rules still never lets its GC delete a manifest that
 * runs: a pod still runs `web:v1` after `v1` was pushed again, so its manifest is untagged, and
 * a GC of untagged manifests would make the next pull of that pod fail. In a real docr backend
 * against the emulator's DigitalOcean API, registry host and DOKS cluster's Kubernetes API.
 */
describe('a GC without a retention plan keeps the manifests in use', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const clock = new TestClock(Date.parse('2026-11-23T12:00:00Z'));
  let emulator: DoEmulator;
  let docr: DocrTestBackend;

  afterEach(async () => {
    await docr?.stop();
    await emulator?.stop();
  });

  /** web:v1 pushed, run on the cluster, pushed again; a multi-arch gateway runs by its tag. */
  async function setUp(knex: Knex) {
    clock.set('2026-11-23T12:00:00Z');
    emulator = await startInUseEmulator(clock);
    const web = registryPusher(emulator, REGISTRY, 'web');
    const running = await web.image('web-1', { tag: 'v1' });
    const gateway = await registryPusher(
      emulator,
      REGISTRY,
      'gateway',
    ).multiArch('gateway-1', '1.0', ['linux/amd64', 'linux/arm64']);
    const kubernetes = emulator.account.kubernetes;
    kubernetes.run(CLUSTER, {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'gateway',
      image: `${HOST}/gateway:1.0`,
    });
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      registryUrl: emulator.registryUrl,
      clock,
      knex,
    });
    await listAndStorePolicy(docr, REGISTRY, POLICY);
    return { web, running, gateway };
  }

  /** A pod runs web:v1; then v1 is pushed again, leaving the pod's manifest untagged. */
  async function runV1ThenPushItAgain(web: ReturnType<typeof registryPusher>) {
    emulator.account.kubernetes.run(CLUSTER, {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      image: `${HOST}/web:v1`,
    });
    await web.image('web-1 rebuilt', { tag: 'v1' });
  }

  const runs = async () =>
    (await docr.api('get', `/registries/${REGISTRY}/gc-runs`)).body.items;

  /** Opens the window and ticks, a minute apart, until its run has ended. */
  async function windowRun() {
    clock.set('2026-11-23T13:05:00Z');
    await docr.tick();
    let [run] = await runs();
    while (!['succeeded', 'failed', 'cancelled'].includes(run.status)) {
      clock.advance(MINUTE);
      await docr.tick();
      [run] = await runs();
    }
    return run;
  }

  const manifestHeld = (repository: string, digest: string) =>
    emulator.account.registries
      .get(REGISTRY)!
      .storage.repositories.get(repository)!
      .manifests.has(digest);

  it.each(databases.eachSupportedId())(
    'narrows the GC to unreferenced blobs while a pod runs an untagged manifest, and says which, %p',
    async databaseId => {
      const { web, running } = await setUp(await databases.init(databaseId));
      await runV1ThenPushItAgain(web);

      const run = await windowRun();
      expect(run).toMatchObject({
        status: 'succeeded',
        type: 'unreferenced blobs only',
      });
      expect(run.reason).toMatch(
        /^The GC frees unreferenced blobs only: untagged manifests are in use \(web@sha256:/,
      );
      expect(manifestHeld('web', running.manifest.digest)).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    "runs the policy's GC when no untagged manifest is in use (a multi-arch image's platform images count as tagged), and it frees the untagged ones, %p",
    async databaseId => {
      const { web, running, gateway } = await setUp(
        await databases.init(databaseId),
      );
      await web.image('web-1 rebuilt', { tag: 'v1' });
      // Pinned to the amd64 image of the tagged index: no tag names it, the index holds it.
      emulator.account.kubernetes.run(CLUSTER, {
        kind: 'Deployment',
        namespace: 'edge',
        name: 'gateway-amd64',
        image: `${HOST}/gateway@${gateway.children[0].digest}`,
      });

      const run = await windowRun();
      expect(run).toMatchObject({
        status: 'succeeded',
        type: 'untagged manifests and unreferenced blobs',
      });
      expect(run.reason ?? '').not.toMatch(/unreferenced blobs only/);
      expect(manifestHeld('web', running.manifest.digest)).toBe(false);
    },
  );

  it.each(databases.eachSupportedId())(
    'narrows a GC started by hand too, and the run says what was asked and why, %p',
    async databaseId => {
      const { web, running } = await setUp(await databases.init(databaseId));
      await runV1ThenPushItAgain(web);

      const started = await docr.api(
        'post',
        `/registries/${REGISTRY}/gc-runs`,
        {
          type: 'untagged manifests only',
        },
      );
      expect(started.status).toBe(201);
      expect(started.body).toMatchObject({
        trigger: 'manual',
        type: 'unreferenced blobs only',
      });
      expect(started.body.reason).toMatch(
        /^untagged manifests only was asked; the GC frees unreferenced blobs only: untagged manifests are in use \(web@sha256:/,
      );
      // What DigitalOcean was asked to collect.
      const collections = emulator.account.registries.get(REGISTRY)!.gcRuns;
      expect(collections.map(gc => gc.type)).toEqual([
        'unreferenced blobs only',
      ]);
      expect(manifestHeld('web', running.manifest.digest)).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'narrows the GC while what runs on the cluster cannot be read, naming the cluster, %p',
    async databaseId => {
      const { web, running } = await setUp(await databases.init(databaseId));
      await web.image('web-1 rebuilt', { tag: 'v1' });
      emulator.account.kubernetes.setReachable(CLUSTER, false);

      const run = await windowRun();
      expect(run.type).toBe('unreferenced blobs only');
      expect(run.reason).toMatch(
        /^The GC frees unreferenced blobs only: what runs could not be read \(prod-ams3: /,
      );
      expect(manifestHeld('web', running.manifest.digest)).toBe(true);
    },
  );
});
