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
  waitUntil,
} from '../__testUtils__/backend';
import {
  NO_RATE_LIMITS,
  listAndStorePolicy,
  unpacedTagRetention,
} from '../__testUtils__/retentionBackend';

jest.setTimeout(120_000);

const REGISTRY = 'acme';
const SIGNATURE_LAYER = 'application/vnd.dev.cosign.simplesigning.v1+json';
const ATTESTATION_LAYER = 'application/vnd.dsse.envelope.v1+json';
const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
const cosignTag = (subject: OciDescriptor, suffix: 'sig' | 'att') =>
  `sha256-${subject.digest.slice(7)}.${suffix}`;

/** Aggressive rules: keep 1 newest, tags older than a day and every old untagged manifest go. */
const RULES: RetentionRule[] = [
  { keepNewest: 1, deleteOlderThan: 'P1D', untaggedManifestsOlderThan: 'PT1S' },
];
/** Monday 13:00–15:00 UTC; the test starts on that Monday at noon. */
const POLICY = {
  windows: [
    { days: ['mon'], start: '13:00', duration: 'PT2H', timezone: 'UTC' },
  ],
  retention: { rules: RULES },
};

/**
 * Retention on the image graph in a real docr backend, against the emulator's DigitalOcean API
 * and registry host: multi-arch images signed and attested by cosign, images with an SBOM
 * referrer, Helm charts and an artifact of unknown type, an old release and a new one of each.
 */
describe('retention on the image graph, in the GC window', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const clock = new TestClock(Date.parse('2026-11-20T12:00:00Z'));
  let emulator: DoEmulator;
  let docr: DocrTestBackend;
  let api: DigitalOceanClient;
  /** Holds a DELETE while the test acts, when set (the emulator's added latency waits on it). */
  let holdDelete: (() => Promise<void>) | undefined;

  afterEach(async () => {
    holdDelete = undefined;
    await docr?.stop();
    await emulator?.stop();
  });

  /** Signs and attests the subject as cosign does: tags named by its digest. */
  async function signAndAttest(repository: string, subject: OciDescriptor) {
    const push = registryPusher(emulator, REGISTRY, repository);
    await push.image(`${subject.digest} signature`, {
      tag: cosignTag(subject, 'sig'),
      layerType: SIGNATURE_LAYER,
    });
    await push.image(`${subject.digest} attestation`, {
      tag: cosignTag(subject, 'att'),
      layerType: ATTESTATION_LAYER,
    });
  }

  /** One release of everything, pushed at the clock's time. */
  async function pushRelease(n: number) {
    const gateway = await registryPusher(
      emulator,
      REGISTRY,
      'gateway',
    ).multiArch(`gateway-${n}`, `1.${n}.0`, ['linux/amd64', 'linux/arm64']);
    await signAndAttest('gateway', gateway.index);
    const payments = await registryPusher(emulator, REGISTRY, 'payments').image(
      `payments-${n}`,
      { tag: `2.${n}.0` },
    );
    await signAndAttest('payments', payments.manifest);
    const ledger = registryPusher(emulator, REGISTRY, 'ledger');
    const image = await ledger.image(`ledger-${n}`, { tag: `0.${n}.0` });
    const sbom = await ledger.image(`ledger-${n} sbom`, {
      subject: image.manifest,
      artifactType: 'application/spdx+json',
      layerType: 'application/spdx+json',
    });
    await registryPusher(emulator, REGISTRY, 'charts/gateway').image(
      `chart-${n}`,
      { tag: `0.${n}.0`, configType: HELM_CONFIG },
    );
    await registryPusher(emulator, REGISTRY, 'odd').image(`wasm-${n}`, {
      tag: `wasm-${n}`,
      configType: 'application/vnd.wasm.config.v1+json',
    });
    return { gateway, payments, ledger: image, sbom };
  }

  /** Old releases three days ago (and an untagged build), new ones an hour before the test. */
  async function setUp(knex: Knex) {
    clock.set('2026-11-20T12:00:00Z');
    emulator = await DoEmulator.start({
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: REGISTRY }],
      },
      clock: clock.now,
      gcStepMs: MINUTE,
      validateResponses: true,
      ...NO_RATE_LIMITS,
      // Called right after the request is logged: the last entry is the request's own.
      sleep: async () => {
        if (emulator.requests.all().at(-1)?.method === 'DELETE')
          await holdDelete?.();
      },
    });
    api = new DigitalOceanClient({ token: 'test', apiUrl: emulator.url });
    const old = await pushRelease(1);
    const untagged = await registryPusher(emulator, REGISTRY, 'gateway').image(
      'an untagged build',
    );
    clock.set('2026-11-23T11:00:00Z');
    const current = await pushRelease(2);
    clock.set('2026-11-23T12:00:00Z');
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      registryUrl: emulator.registryUrl,
      clock,
      knex,
      docr: unpacedTagRetention(),
    });
    await listAndStorePolicy(docr, REGISTRY, POLICY);
    return { old, current, untagged };
  }

  async function preview(): Promise<RetentionPreviewView> {
    let res = await docr.api(
      'get',
      `/registries/${REGISTRY}/retention/preview`,
    );
    while (res.status === 503) {
      await new Promise(resolve => setTimeout(resolve, 20));
      res = await docr.api('get', `/registries/${REGISTRY}/retention/preview`);
    }
    expect(res.status).toBe(200);
    return res.body;
  }

  const deletes = (kind: 'tags' | 'digests') =>
    emulator.requests
      .all()
      .filter(e => e.method === 'DELETE' && e.path.includes(`/${kind}/`))
      .map(e => decodeURIComponent(e.path))
      .map(path =>
        path.replace(/^.*\/repositories\/(.*)\/(tags|digests)\//, '$1:'),
      );

  /**
   * Each DELETE with the call made right before it, over both of the emulator's logs (its API
   * and its registry host) in order of arrival: `METHOD path status`, paths decoded.
   */
  const callsBeforeDeletes = () => {
    const calls = [
      ...emulator.requests.all(),
      ...emulator.registryRequests.all(),
    ].sort((a, b) => a.seq - b.seq);
    const text = (i: number) =>
      `${calls[i]?.method} ${decodeURIComponent(calls[i]?.path)} ${calls[i]?.status}`;
    return calls.flatMap((call, i) =>
      call.method === 'DELETE' ? [[text(i), text(i - 1)]] : [],
    );
  };

  /** Pulls a tag completely with read-only credentials: its manifests, configs and layers. */
  async function pullsCompletely(repository: string, tag: string) {
    const host = new RegistryHostClient({
      credentials: api,
      registryUrl: emulator.registryUrl,
      requestsPerSecond: 1000,
    });
    const auths = (await api.getDockerCredentials(REGISTRY)).auths!;
    const basic = `Basic ${auths['registry.digitalocean.com']!.auth}`;
    const statuses: number[] = [];
    const pull = async (reference: string) => {
      const { document } = await host.getManifest(
        REGISTRY,
        repository,
        reference,
      );
      if (document.kind === 'index') {
        for (const child of document.index.manifests) await pull(child.digest);
        return;
      }
      const { config, layers } = document.manifest;
      for (const blob of [config, ...layers]) {
        const res = await fetch(
          `${emulator.registryUrl}/v2/${REGISTRY}/${repository}/blobs/${blob.digest}`,
          { method: 'HEAD', headers: { authorization: basic } },
        );
        statuses.push(res.status);
      }
    };
    await pull(tag);
    return statuses.length > 0 && statuses.every(status => status === 200);
  }

  const tagsNow = async (repository: string) =>
    (await api.listTags(REGISTRY, repository)).map(t => t.tag);

  it.each(databases.eachSupportedId())(
    'keeps every kept tag whole, attachments with their subjects, unknown artifacts; deletes what the preview listed, then GCs, %p',
    async databaseId => {
      const { old, current, untagged } = await setUp(
        await databases.init(databaseId),
      );
      const before = await preview();
      const listed = (what: 'delete' | 'keep') =>
        before.repositories.flatMap(r =>
          r[what].map(t => `${r.name}:${t.tag}`),
        );
      expect(listed('delete').sort()).toEqual(
        [
          'charts/gateway:0.1.0',
          'gateway:1.1.0',
          `gateway:${cosignTag(old.gateway.index, 'sig')}`,
          `gateway:${cosignTag(old.gateway.index, 'att')}`,
          'ledger:0.1.0',
          'payments:2.1.0',
          `payments:${cosignTag(old.payments.manifest, 'sig')}`,
          `payments:${cosignTag(old.payments.manifest, 'att')}`,
        ].sort(),
      );
      const byDigest = before.repositories.flatMap(r =>
        r.untaggedManifestsToDelete.map(m => `${r.name}:${m.digest}`),
      );
      expect(byDigest.sort()).toEqual(
        [
          `gateway:${untagged.manifest.digest}`,
          `ledger:${old.sbom.manifest.digest}`,
        ].sort(),
      );
      const gateway = before.repositories.find(r => r.name === 'gateway')!;
      expect(gateway.keep.find(t => t.tag === '1.2.0')?.closure).toEqual({
        platforms: ['linux/amd64', 'linux/arm64'],
        attachments: expect.arrayContaining([
          expect.objectContaining({ kind: 'signature' }),
          expect.objectContaining({ kind: 'attestation' }),
        ]),
      });
      // The tag listing says what each image is, from the graph the preview read.
      const listing = await docr.api(
        'get',
        `/registries/${REGISTRY}/repositories/gateway/tags`,
      );
      expect(
        listing.body.items.find((t: any) => t.tag === '1.2.0'),
      ).toMatchObject({
        image: {
          kind: 'index',
          platforms: ['linux/amd64', 'linux/arm64'],
          signed: true,
          attested: true,
          sbom: false,
        },
      });
      const odd = before.repositories.find(r => r.name === 'odd')!;
      expect(odd.delete).toEqual([]);
      expect(odd.keep.map(t => t.reasons[0].kind)).toEqual([
        'unknownType',
        'unknownType',
      ]);

      // In the window: exactly what the preview listed goes, then the GC of the policy's type.
      clock.set('2026-11-23T13:05:00Z');
      emulator.requests.reset();
      emulator.registryRequests.reset();
      await docr.tick();
      expect(deletes('tags').sort()).toEqual(listed('delete').sort());
      expect(deletes('digests').sort()).toEqual(byDigest.sort());
      // Right before each DELETE: the tag's HEAD through the registry host, or for a manifest
      // deleted by digest, its repository's tag listing.
      const deletions = callsBeforeDeletes();
      expect(deletions).toHaveLength(listed('delete').length + byDigest.length);
      for (const [deleted, previous] of deletions) {
        const tag = /repositories\/(.+)\/tags\/([^/]+) 204$/.exec(deleted);
        const digest = /repositories\/(.+)\/digests\/[^/]+ 204$/.exec(deleted);
        expect([deleted, previous]).toEqual([
          deleted,
          tag
            ? `HEAD /v2/${REGISTRY}/${tag[1]}/manifests/${tag[2]} 200`
            : `GET /v2/registries/${REGISTRY}/repositories/${digest?.[1]}/tags 200`,
        ]);
      }
      const runs = async () =>
        (await docr.api('get', `/registries/${REGISTRY}/gc-runs`)).body.items;
      const [run] = await runs();
      expect(run.type).toBe('untagged manifests and unreferenced blobs');
      let done = run;
      while (done.status !== 'succeeded') {
        clock.advance(MINUTE);
        await docr.tick();
        [done] = await runs();
      }

      // Every kept tag pulls completely, its signatures and attestations and SBOM are there.
      for (const repository of before.repositories)
        for (const tag of repository.keep)
          expect([
            `${repository.name}:${tag.tag}`,
            await pullsCompletely(repository.name, tag.tag),
          ]).toEqual([`${repository.name}:${tag.tag}`, true]);
      expect(await tagsNow('gateway')).toEqual(
        expect.arrayContaining([
          cosignTag(current.gateway.index, 'sig'),
          cosignTag(current.gateway.index, 'att'),
        ]),
      );
      const referrers = await new RegistryHostClient({
        credentials: api,
        registryUrl: emulator.registryUrl,
      }).listReferrers(REGISTRY, 'ledger', current.ledger.manifest.digest);
      expect(referrers?.map(r => r.digest)).toEqual([
        current.sbom.manifest.digest,
      ]);
      // Those of the deleted images are gone (every tag the preview listed), and their platform
      // manifests with the GC.
      const tagsLeft = new Set<string>();
      for (const { name } of before.repositories)
        for (const tag of await tagsNow(name)) tagsLeft.add(`${name}:${tag}`);
      expect(listed('delete').filter(tag => tagsLeft.has(tag))).toEqual([]);
      expect(await tagsNow('gateway')).not.toContain(
        cosignTag(old.gateway.index, 'sig'),
      );
      const manifests = (await api.listManifests(REGISTRY, 'gateway')).map(
        m => m.digest,
      );
      for (const child of old.gateway.children)
        expect(manifests).not.toContain(child.digest);
      for (const child of current.gateway.children)
        expect(manifests).toContain(child.digest);
      expect((await tagsNow('odd')).sort()).toEqual(['wasm-1', 'wasm-2']);
    },
  );

  it('a tag listing says its images are being read until they are, then what each image is', async () => {
    await setUp(await databases.init('SQLITE_3'));
    const tagsOf = () =>
      docr.api('get', `/registries/${REGISTRY}/repositories/gateway/tags`);
    const pause = () => new Promise(resolve => setTimeout(resolve, 20));
    let res = await tagsOf();
    while (res.status === 503) {
      await pause();
      res = await tagsOf();
    }
    expect(res.status).toBe(200);
    // The first listing of tags and manifests starts the read through the registry host; no
    // answer waits for it.
    expect(res.body.imagesPending).toBe(true);
    expect(res.body.items.map((t: any) => t.image)).toEqual(
      res.body.items.map(() => undefined),
    );
    while (res.body.imagesPending) {
      await pause();
      res = await tagsOf();
    }
    expect(
      res.body.items.find((t: any) => t.tag === '1.2.0').image,
    ).toMatchObject({
      kind: 'index',
      platforms: ['linux/amd64', 'linux/arm64'],
      signed: true,
    });
  });

  it('keeps a tag pushed again between the plan and its deletion, with its new image and the old image with its attachments', async () => {
    const { old } = await setUp(await databases.init('SQLITE_3'));
    const planned = (await preview()).repositories.flatMap(r =>
      r.delete.map(t => `${r.name}:${t.tag}`),
    );
    expect(planned).toContain('payments:2.1.0');
    // The runner's first DELETE is held while payments:2.1.0 is pushed again.
    let release!: () => void;
    const released = new Promise<void>(resolve => (release = resolve));
    let held = false;
    holdDelete = async () => {
      if (held) return;
      held = true;
      await released;
    };
    emulator.faults.configure({ latencyMs: 1 });
    clock.set('2026-11-23T13:05:00Z');
    const tick = docr.tick();
    await waitUntil(() => held);
    const again = (
      await registryPusher(emulator, REGISTRY, 'payments').image(
        'payments pushed again',
        { tag: '2.1.0' },
      )
    ).manifest;
    release();
    await tick;

    const tags = await api.listTags(REGISTRY, 'payments');
    expect(tags.find(t => t.tag === '2.1.0')?.manifest_digest).toBe(
      again.digest,
    );
    expect(await pullsCompletely('payments', '2.1.0')).toBe(true);
    const [run] = (await docr.api('get', `/registries/${REGISTRY}/gc-runs`))
      .body.items;
    // The old image's signature and attestation stay with it: its tag's deletion was skipped.
    expect(await tagsNow('payments')).toEqual(
      expect.arrayContaining([
        cosignTag(old.payments.manifest, 'sig'),
        cosignTag(old.payments.manifest, 'att'),
      ]),
    );
    expect(run.retention).toMatchObject({ skipped: 3 });
  });
});
