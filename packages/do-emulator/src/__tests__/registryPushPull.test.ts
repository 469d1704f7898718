import { DoEmulator } from '../http/server';
import {
  MEDIA_TYPES,
  blob,
  imageManifest,
  indexManifest,
  registryKit,
  smallImage,
} from './registryKit';

describe('registry host: blob uploads and manifests (OCI Distribution v1.1)', () => {
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

  const headBlob = (name: string, digest: string) =>
    kit.request('HEAD', `/v2/${name}/blobs/${digest}`, { authorization: auth });

  it('takes a blob in one POST, or in a POST then a PUT, and verifies its digest', async () => {
    const one = blob('one request');
    await kit.pushBlob('acme/web', one, auth);
    const two = blob('two requests');
    const started = await kit.request('POST', '/v2/acme/web/blobs/uploads/', {
      authorization: auth,
    });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    const wrong = await kit.request('PUT', `${location}?digest=${one.digest}`, {
      authorization: auth,
      body: two.bytes,
    });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).errors[0].code).toBe('DIGEST_INVALID');
    const restarted = await kit.request('POST', '/v2/acme/web/blobs/uploads/', {
      authorization: auth,
    });
    const put = await kit.request(
      'PUT',
      `${restarted.headers.get('location')}?digest=${two.digest}`,
      { authorization: auth, body: two.bytes },
    );
    expect(put.status).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(two.digest);
    const head = await headBlob('acme/web', two.digest);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(two.size));
    const get = await kit.request('GET', `/v2/acme/web/blobs/${one.digest}`, {
      authorization: auth,
    });
    expect(Buffer.from(await get.arrayBuffer()).equals(one.bytes)).toBe(true);
  });

  it('takes a blob in chunks with Content-Range, refusing a chunk that does not continue it', async () => {
    const content = blob('abcdefghijklmnopqrstuvwxyz');
    const started = await kit.request('POST', '/v2/acme/web/blobs/uploads/', {
      authorization: auth,
    });
    let location = started.headers.get('location')!;
    const chunk = async (from: number, to: number) =>
      kit.request('PATCH', location, {
        authorization: auth,
        body: content.bytes.subarray(from, to + 1),
        headers: { 'content-range': `${from}-${to}` },
      });
    const first = await chunk(0, 9);
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-9');
    location = first.headers.get('location')!;
    expect((await chunk(5, 12)).status).toBe(416);
    expect((await chunk(10, 25)).headers.get('range')).toBe('0-25');
    const status = await kit.request('GET', location, { authorization: auth });
    expect(status.status).toBe(204);
    const done = await kit.request(
      'PUT',
      `${location}?digest=${content.digest}`,
      {
        authorization: auth,
      },
    );
    expect(done.status).toBe(201);
    expect((await headBlob('acme/web', content.digest)).status).toBe(200);
  });

  it('mounts a blob from another repository of the registry, and starts an upload when the source lacks it', async () => {
    const shared = blob('a base layer');
    await kit.pushBlob('acme/base', shared, auth);
    expect((await headBlob('acme/app', shared.digest)).status).toBe(404);
    const mounted = await kit.request(
      'POST',
      `/v2/acme/app/blobs/uploads/?mount=${shared.digest}&from=acme/base`,
      { authorization: auth },
    );
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get('location')).toBe(
      `/v2/acme/app/blobs/${shared.digest}`,
    );
    expect((await headBlob('acme/app', shared.digest)).status).toBe(200);
    const missing = blob('nowhere');
    const fallback = await kit.request(
      'POST',
      `/v2/acme/app/blobs/uploads/?mount=${missing.digest}&from=acme/base`,
      { authorization: auth },
    );
    expect(fallback.status).toBe(202);
  });

  it.each([
    ['a Docker schema 2 image', true],
    ['an OCI image', false],
  ])(
    'stores %s byte for byte, served by tag and by digest with its digest in HEAD',
    async (_, docker) => {
      const image = smallImage('web', docker);
      const pushed = await kit.pushImage('acme/web', '1.0', image, auth);
      expect(pushed.headers.get('docker-content-digest')).toBe(
        image.manifest.digest,
      );
      for (const reference of ['1.0', image.manifest.digest]) {
        const pulled = await kit.getManifest('acme/web', reference, auth);
        expect(pulled.bytes.equals(image.manifest.bytes)).toBe(true);
        expect(pulled.headers.get('content-type')).toBe(
          image.manifest.mediaType,
        );
        const head = await kit.request(
          'HEAD',
          `/v2/acme/web/manifests/${reference}`,
          {
            authorization: auth,
            headers: { accept: image.manifest.mediaType },
          },
        );
        expect(head.headers.get('docker-content-digest')).toBe(
          image.manifest.digest,
        );
        expect(head.headers.get('content-length')).toBe(
          String(image.manifest.size),
        );
      }
    },
  );

  it.each([
    ['an OCI index', MEDIA_TYPES.ociIndex, MEDIA_TYPES.ociManifest],
    [
      'a Docker manifest list',
      MEDIA_TYPES.dockerManifestList,
      MEDIA_TYPES.dockerManifest,
    ],
  ])(
    'stores %s over platform manifests, and refuses one whose platforms are missing',
    async (_, listType, manifestType) => {
      const amd64 = smallImage(
        'amd64',
        manifestType !== MEDIA_TYPES.ociManifest,
      );
      const arm64 = smallImage(
        'arm64',
        manifestType !== MEDIA_TYPES.ociManifest,
      );
      const index = indexManifest(
        [
          { manifest: amd64.manifest, platform: 'linux/amd64' },
          { manifest: arm64.manifest, platform: 'linux/arm64' },
        ],
        listType,
      );
      const early = await kit.request('PUT', '/v2/acme/multi/manifests/1.0', {
        authorization: auth,
        body: index.bytes,
        headers: { 'content-type': listType },
      });
      expect(early.status).toBe(400);
      expect((await early.json()).errors[0].code).toBe('MANIFEST_UNKNOWN');
      for (const image of [amd64, arm64])
        await kit.pushImage('acme/multi', image.manifest.digest, image, auth);
      await kit.pushManifest('acme/multi', '1.0', index, auth);
      for (const reference of ['1.0', index.digest]) {
        const pulled = await kit.getManifest('acme/multi', reference, auth);
        expect(pulled.bytes.equals(index.bytes)).toBe(true);
      }
      const platform = await kit.getManifest(
        'acme/multi',
        arm64.manifest.digest,
        auth,
      );
      expect(platform.bytes.equals(arm64.manifest.bytes)).toBe(true);
    },
  );

  it('stores an OCI artifact (artifactType, subject) byte for byte by tag and by digest, answering OCI-Subject', async () => {
    const image = smallImage('app');
    await kit.pushImage('acme/app', 'latest', image, auth);
    const empty = blob('{}', MEDIA_TYPES.ociEmpty);
    const payload = blob('{"predicate":{}}', 'application/vnd.in-toto+json');
    const artifact = imageManifest({
      artifactType: 'application/vnd.example.provenance+json',
      config: empty,
      layers: [payload],
      subject: image.manifest,
    });
    const pushed = await kit.pushImage(
      'acme/app',
      'provenance',
      { manifest: artifact, blobs: [empty, payload] },
      auth,
    );
    expect(pushed.headers.get('oci-subject')).toBe(image.manifest.digest);
    for (const reference of ['provenance', artifact.digest]) {
      const pulled = await kit.getManifest('acme/app', reference, auth);
      expect(pulled.bytes.equals(artifact.bytes)).toBe(true);
      expect(pulled.headers.get('docker-content-digest')).toBe(artifact.digest);
    }
  });

  it('refuses a manifest whose blobs the repository does not hold, and a digest that does not match', async () => {
    const image = smallImage('lonely');
    const res = await kit.request('PUT', '/v2/acme/web/manifests/x', {
      authorization: auth,
      body: image.manifest.bytes,
      headers: { 'content-type': image.manifest.mediaType },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0]).toMatchObject({
      code: 'MANIFEST_BLOB_UNKNOWN',
      detail: { digest: image.config.digest },
    });
    for (const content of image.blobs)
      await kit.pushBlob('acme/web', content, auth);
    const other = smallImage('other');
    const mismatch = await kit.request(
      'PUT',
      `/v2/acme/web/manifests/${other.manifest.digest}`,
      {
        authorization: auth,
        body: image.manifest.bytes,
        headers: { 'content-type': image.manifest.mediaType },
      },
    );
    expect((await mismatch.json()).errors[0].code).toBe('DIGEST_INVALID');
    const unsupported = await kit.request('PUT', '/v2/acme/web/manifests/x', {
      authorization: auth,
      body: image.manifest.bytes,
      headers: {
        'content-type':
          'application/vnd.docker.distribution.manifest.v1+prettyjws',
      },
    });
    expect((await unsupported.json()).errors[0].code).toBe('UNSUPPORTED');
  });

  it('honours Accept as distribution does', async () => {
    const oci = smallImage('oci');
    await kit.pushImage('acme/web', 'oci', oci, auth);
    const amd64 = smallImage('amd64', true);
    await kit.pushImage('acme/web', amd64.manifest.digest, amd64, auth);
    const list = indexManifest(
      [{ manifest: amd64.manifest, platform: 'linux/amd64' }],
      MEDIA_TYPES.dockerManifestList,
    );
    await kit.pushManifest('acme/web', 'list', list, auth);
    const get = async (reference: string, accept: string) => {
      const res = await kit.request(
        'GET',
        `/v2/acme/web/manifests/${reference}`,
        {
          authorization: auth,
          headers: { accept },
        },
      );
      return {
        status: res.status,
        digest: res.headers.get('docker-content-digest'),
      };
    };
    const dockerOnly = MEDIA_TYPES.dockerManifest;
    expect(await get('oci', dockerOnly)).toMatchObject({ status: 404 });
    expect(
      await get('oci', `${dockerOnly}, ${MEDIA_TYPES.ociManifest};q=0.9`),
    ).toEqual({
      status: 200,
      digest: oci.manifest.digest,
    });
    // A client that does not take lists gets the linux/amd64 manifest by tag, the list by digest.
    expect((await get('list', dockerOnly)).digest).toBe(amd64.manifest.digest);
    expect((await get(list.digest, dockerOnly)).digest).toBe(list.digest);
    expect((await get('list', MEDIA_TYPES.dockerManifestList)).digest).toBe(
      list.digest,
    );
  });

  it('deletes a tag alone by tag, and a manifest with all its tags by digest', async () => {
    const image = smallImage('web');
    await kit.pushImage('acme/web', 'a', image, auth);
    await kit.pushManifest('acme/web', 'b', image.manifest, auth);
    await kit.pushManifest('acme/web', 'c', image.manifest, auth);
    const byTag = await kit.request('DELETE', '/v2/acme/web/manifests/a', {
      authorization: auth,
    });
    expect(byTag.status).toBe(202);
    expect((await kit.getManifest('acme/web', 'a', auth)).status).toBe(404);
    expect((await kit.getManifest('acme/web', 'b', auth)).status).toBe(200);
    const byDigest = await kit.request(
      'DELETE',
      `/v2/acme/web/manifests/${image.manifest.digest}`,
      { authorization: auth },
    );
    expect(byDigest.status).toBe(202);
    for (const reference of ['b', 'c', image.manifest.digest]) {
      const gone = await kit.getManifest('acme/web', reference, auth);
      expect(gone.status).toBe(404);
    }
    const tags = await kit.request('GET', '/v2/acme/web/tags/list', {
      authorization: auth,
    });
    expect(await tags.json()).toEqual({ name: 'acme/web', tags: [] });
  });
});
