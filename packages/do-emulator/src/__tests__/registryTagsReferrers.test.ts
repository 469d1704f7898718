import { DoEmulator } from '../http/server';
import {
  MEDIA_TYPES,
  blob,
  imageManifest,
  registryKit,
  smallImage,
} from './registryKit';

const SPDX = 'application/spdx+json';
const SIGNATURE = 'application/vnd.dev.cosign.artifact.sig.v1+json';

describe('registry host: tag listing and the referrers API', () => {
  let emulator: DoEmulator;
  let kit: ReturnType<typeof registryKit>;
  let auth: string;

  beforeEach(async () => {
    emulator = await DoEmulator.start({
      seed: {
        account: { subscriptionTier: 'professional' },
        registries: [{ name: 'acme' }],
      },
    });
    kit = registryKit(emulator);
    auth = await kit.credentials('acme', true);
  });

  afterEach(() => emulator.stop());

  it('lists tags in lexical order, n and last paging with a Link to the next page', async () => {
    const image = smallImage('web');
    await kit.pushImage('acme/team/web', 'v3', image, auth);
    for (const tag of ['v1', 'latest', 'v2', 'beta'])
      await kit.pushManifest('acme/team/web', tag, image.manifest, auth);
    const page = async (query: string) => {
      const res = await kit.request(
        'GET',
        `/v2/acme/team/web/tags/list${query}`,
        {
          authorization: auth,
        },
      );
      return { body: await res.json(), link: res.headers.get('link') };
    };
    expect((await page('')).body).toEqual({
      name: 'acme/team/web',
      tags: ['beta', 'latest', 'v1', 'v2', 'v3'],
    });
    const first = await page('?n=2');
    expect(first.body.tags).toEqual(['beta', 'latest']);
    expect(first.link).toBe(
      '</v2/acme/team/web/tags/list?n=2&last=latest>; rel="next"',
    );
    const second = await page('?n=2&last=latest');
    expect(second.body.tags).toEqual(['v1', 'v2']);
    const last = await page('?n=2&last=v2');
    expect(last).toEqual({
      body: { name: 'acme/team/web', tags: ['v3'] },
      link: null,
    });
    const unknown = await kit.request('GET', '/v2/acme/nothing/tags/list', {
      authorization: auth,
    });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).errors[0].code).toBe('NAME_UNKNOWN');
  });

  it('answers the referrers of a manifest as an OCI index, filtered by artifactType', async () => {
    const image = smallImage('app');
    await kit.pushImage('acme/app', 'latest', image, auth);
    const empty = blob('{}', MEDIA_TYPES.ociEmpty);
    const sbomLayer = blob('{"spdxVersion":"SPDX-2.3"}', SPDX);
    const sbom = imageManifest({
      artifactType: SPDX,
      config: empty,
      layers: [sbomLayer],
      subject: image.manifest,
      annotations: {
        'org.opencontainers.image.created': '2026-11-22T03:00:00Z',
      },
    });
    const sigLayer = blob('a signature', SIGNATURE);
    const signature = imageManifest({
      artifactType: SIGNATURE,
      config: empty,
      layers: [sigLayer],
      subject: image.manifest,
    });
    for (const artifact of [
      { manifest: sbom, blobs: [empty, sbomLayer] },
      { manifest: signature, blobs: [empty, sigLayer] },
    ]) {
      const res = await kit.pushImage(
        'acme/app',
        artifact.manifest.digest,
        artifact,
        auth,
      );
      expect(res.headers.get('oci-subject')).toBe(image.manifest.digest);
    }
    const referrers = async (query = '') => {
      const res = await kit.request(
        'GET',
        `/v2/acme/app/referrers/${image.manifest.digest}${query}`,
        { authorization: auth },
      );
      expect(res.headers.get('content-type')).toBe(MEDIA_TYPES.ociIndex);
      return {
        body: await res.json(),
        filters: res.headers.get('oci-filters-applied'),
      };
    };
    const all = await referrers();
    expect(all.filters).toBeNull();
    expect(all.body.schemaVersion).toBe(2);
    expect(all.body.manifests).toHaveLength(2);
    expect(all.body.manifests).toContainEqual({
      mediaType: MEDIA_TYPES.ociManifest,
      digest: sbom.digest,
      size: sbom.size,
      artifactType: SPDX,
      annotations: {
        'org.opencontainers.image.created': '2026-11-22T03:00:00Z',
      },
    });
    const sboms = await referrers(`?artifactType=${encodeURIComponent(SPDX)}`);
    expect(sboms.filters).toBe('artifactType');
    expect(sboms.body.manifests.map((m: any) => m.digest)).toEqual([
      sbom.digest,
    ]);
    const none = await kit.request(
      'GET',
      `/v2/acme/app/referrers/${sbom.digest}`,
      { authorization: auth },
    );
    expect((await none.json()).manifests).toEqual([]);
  });
});
