import { DoEmulator } from '../http/server';
import {
  MEDIA_TYPES,
  blob,
  imageManifest,
  indexManifest,
  registryKit,
  smallImage,
} from './registryKit';

const STEP = 1_000;

describe('registry host pushes in DigitalOcean’s listings, storage and garbage collection', () => {
  let now: number;
  let emulator: DoEmulator;
  let kit: ReturnType<typeof registryKit>;
  let auth: string;

  beforeEach(async () => {
    now = Date.parse('2026-11-22T03:00:00Z');
    emulator = await DoEmulator.start({
      clock: () => now,
      gcStepMs: STEP,
      validateResponses: true,
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: 'acme' }],
      },
    });
    kit = registryKit(emulator);
    auth = await kit.credentials('acme', true);
  });

  afterEach(() => emulator.stop());

  async function runGc(type: string) {
    const started = await kit.api(
      'POST',
      '/v2/registries/acme/garbage-collection',
      {
        type,
      },
    );
    expect(started.status).toBe(201);
    return started.body.garbage_collection.uuid as string;
  }

  async function lastGc() {
    const list = await kit.api(
      'GET',
      '/v2/registries/acme/garbage-collections',
    );
    return list.body.garbage_collections[0];
  }

  /** A multi-arch image: an OCI index over linux/amd64 and linux/arm64, tagged 1.0. */
  async function pushMultiArch() {
    const platforms = [smallImage('amd64'), smallImage('arm64')];
    for (const image of platforms)
      await kit.pushImage('acme/multi', image.manifest.digest, image, auth);
    const index = indexManifest([
      { manifest: platforms[0].manifest, platform: 'linux/amd64' },
      { manifest: platforms[1].manifest, platform: 'linux/arm64' },
    ]);
    await kit.pushManifest('acme/multi', '1.0', index, auth);
    return { index, platforms };
  }

  it('refuses pushes with 403 DENIED while a garbage collection runs, and takes them once it has ended', async () => {
    const image = smallImage('web');
    await runGc('untagged manifests and unreferenced blobs');
    const refused = await kit.request(
      'POST',
      `/v2/acme/web/blobs/uploads/?digest=${image.config.digest}`,
      { authorization: auth, body: image.config.bytes },
    );
    expect(refused.status).toBe(403);
    expect((await refused.json()).errors[0]).toMatchObject({
      code: 'DENIED',
      message: expect.stringContaining('read-only mode for garbage collection'),
    });
    // Reads go on while it runs.
    expect(
      (await kit.request('GET', '/v2/', { authorization: auth })).status,
    ).toBe(200);
    now += 4 * STEP;
    expect((await lastGc()).status).toBe('succeeded');
    await kit.pushImage('acme/web', 'latest', image, auth);
  });

  it('shows a pushed multi-arch image in the listings: the index tagged, its platforms untagged with their blobs, in storage', async () => {
    const { index, platforms } = await pushMultiArch();
    const tags = await kit.api(
      'GET',
      '/v2/registries/acme/repositories/multi/tags',
    );
    expect(tags.body.tags).toMatchObject([
      { tag: '1.0', manifest_digest: index.digest, compressed_size_bytes: 0 },
    ]);
    const digests = await kit.api(
      'GET',
      '/v2/registries/acme/repositories/multi/digests',
    );
    const byDigest = new Map(
      digests.body.manifests.map((m: any) => [m.digest, m]),
    );
    expect(byDigest.get(index.digest)).toMatchObject({
      tags: ['1.0'],
      blobs: [],
    });
    for (const image of platforms) {
      expect(byDigest.get(image.manifest.digest)).toMatchObject({
        tags: [],
        blobs: image.blobs.map(b => ({
          digest: b.digest,
          compressed_size_bytes: b.size,
        })),
        compressed_size_bytes: image.blobs.reduce((sum, b) => sum + b.size, 0),
      });
    }
    const registry = await kit.api('GET', '/v2/registries/acme');
    const expected = [
      index,
      ...platforms.flatMap(p => [p.manifest, ...p.blobs]),
    ]
      .map(b => b.size)
      .reduce((a, b) => a + b, 0);
    expect(registry.body.registry.storage_usage_bytes).toBe(expected);
    const repositories = await kit.api(
      'GET',
      '/v2/registries/acme/repositoriesV2',
    );
    expect(repositories.body.repositories).toMatchObject([
      { name: 'multi', tag_count: 1, manifest_count: 3 },
    ]);
  });

  it('keeps an index’s platforms, their blobs and a referrer through a GC of untagged manifests, and frees a truly untagged manifest', async () => {
    const { index, platforms } = await pushMultiArch();
    const empty = blob('{}', MEDIA_TYPES.ociEmpty);
    const sbomLayer = blob(
      '{"spdxVersion":"SPDX-2.3"}',
      'application/spdx+json',
    );
    const sbom = imageManifest({
      artifactType: 'application/spdx+json',
      config: empty,
      layers: [sbomLayer],
      subject: index,
    });
    await kit.pushImage(
      'acme/multi',
      sbom.digest,
      { manifest: sbom, blobs: [empty, sbomLayer] },
      auth,
    );
    const orphan = smallImage('orphan');
    await kit.pushImage('acme/multi', 'old', orphan, auth);
    await kit.request('DELETE', '/v2/acme/multi/manifests/old', {
      authorization: auth,
    });

    await runGc('untagged manifests and unreferenced blobs');
    now += 4 * STEP;
    const gc = await lastGc();
    expect(gc).toMatchObject({
      status: 'succeeded',
      blobs_deleted: 1 + orphan.blobs.length,
      freed_bytes: [orphan.manifest, ...orphan.blobs].reduce(
        (s, b) => s + b.size,
        0,
      ),
    });
    for (const manifest of [index, sbom, ...platforms.map(p => p.manifest)]) {
      const pulled = await kit.getManifest('acme/multi', manifest.digest, auth);
      expect(pulled.bytes.equals(manifest.bytes)).toBe(true);
    }
    for (const content of [
      ...platforms.flatMap(p => p.blobs),
      empty,
      sbomLayer,
    ]) {
      const res = await kit.request(
        'GET',
        `/v2/acme/multi/blobs/${content.digest}`,
        {
          authorization: auth,
        },
      );
      expect(Buffer.from(await res.arrayBuffer()).equals(content.bytes)).toBe(
        true,
      );
    }
    expect(
      (await kit.getManifest('acme/multi', orphan.manifest.digest, auth))
        .status,
    ).toBe(404);
  });
});
