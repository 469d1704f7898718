import { DoEmulator } from '../http/server';
import { MEDIA_TYPES, digestOf } from '../model/manifestDocument';
import { caller } from './http';

export { MEDIA_TYPES };

/** A blob's bytes with its digest and size, as a descriptor needs them. */
export function blob(
  content: string | Buffer,
  mediaType: string = MEDIA_TYPES.ociLayer,
) {
  const bytes = Buffer.from(content);
  return { bytes, mediaType, digest: digestOf(bytes), size: bytes.length };
}

export type Blob = ReturnType<typeof blob>;

const descriptor = ({ mediaType, digest, size }: Blob) => ({
  mediaType,
  digest,
  size,
});

/** An image manifest (Docker schema 2 or OCI, or an OCI artifact) as exact bytes. */
export function imageManifest(options: {
  mediaType?: string;
  config: Blob;
  layers: Blob[];
  artifactType?: string;
  subject?: Blob;
  annotations?: Record<string, string>;
}): Blob {
  const mediaType = options.mediaType ?? MEDIA_TYPES.ociManifest;
  const document = {
    schemaVersion: 2,
    mediaType,
    ...(options.artifactType ? { artifactType: options.artifactType } : {}),
    config: descriptor(options.config),
    layers: options.layers.map(descriptor),
    ...(options.subject ? { subject: descriptor(options.subject) } : {}),
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  // Indented, so that a registry re-serialising it would change its digest.
  return blob(JSON.stringify(document, null, 3), mediaType);
}

/** An OCI index or Docker manifest list of platform manifests. */
export function indexManifest(
  children: Array<{ manifest: Blob; platform: string }>,
  mediaType: string = MEDIA_TYPES.ociIndex,
): Blob {
  const document = {
    schemaVersion: 2,
    mediaType,
    manifests: children.map(({ manifest, platform }) => {
      const [os, architecture] = platform.split('/');
      return { ...descriptor(manifest), platform: { os, architecture } };
    }),
  };
  return blob(JSON.stringify(document, null, 3), mediaType);
}

/** Everything a registry test needs: the emulator, its DO API, and HTTP on its registry host. */
export function registryKit(emulator: DoEmulator) {
  const api = caller(emulator);
  const kit = {
    api,
    /** Docker credentials from DigitalOcean's API, as an `Authorization: Basic` value. */
    async credentials(registry: string, readWrite: boolean, expirySeconds = 0) {
      const res = await api(
        'GET',
        `/v2/registries/${registry}/docker-credentials?read_write=${readWrite}&expiry_seconds=${expirySeconds}`,
      );
      return `Basic ${res.body.auths['registry.digitalocean.com'].auth}`;
    },
    request(
      method: string,
      path: string,
      options: {
        authorization?: string;
        body?: Buffer;
        headers?: Record<string, string>;
      } = {},
    ) {
      return fetch(`${emulator.registryUrl}${path}`, {
        method,
        headers: {
          ...(options.authorization
            ? { authorization: options.authorization }
            : {}),
          ...options.headers,
        },
        body: options.body,
      });
    },
    /** A monolithic upload (POST with `digest`). */
    async pushBlob(name: string, content: Blob, authorization: string) {
      const res = await kit.request(
        'POST',
        `/v2/${name}/blobs/uploads/?digest=${content.digest}`,
        { authorization, body: content.bytes },
      );
      expect(res.status).toBe(201);
    },
    async pushManifest(
      name: string,
      reference: string,
      manifest: Blob,
      authorization: string,
    ) {
      const res = await kit.request(
        'PUT',
        `/v2/${name}/manifests/${reference}`,
        {
          authorization,
          body: manifest.bytes,
          headers: { 'content-type': manifest.mediaType },
        },
      );
      expect(res.status).toBe(201);
      return res;
    },
    /** Pushes an image's config and layers, then its manifest. */
    async pushImage(
      name: string,
      reference: string,
      image: { manifest: Blob; blobs: Blob[] },
      authorization: string,
    ) {
      for (const content of image.blobs)
        await kit.pushBlob(name, content, authorization);
      return kit.pushManifest(name, reference, image.manifest, authorization);
    },
    async getManifest(name: string, reference: string, authorization: string) {
      const res = await kit.request(
        'GET',
        `/v2/${name}/manifests/${reference}`,
        {
          authorization,
          headers: { accept: Object.values(MEDIA_TYPES).join(', ') },
        },
      );
      return {
        status: res.status,
        headers: res.headers,
        bytes: Buffer.from(await res.arrayBuffer()),
      };
    },
  };
  return kit;
}

/** A small image: a config and two layers unique to `label`, in Docker or OCI types. */
export function smallImage(label: string, docker = false) {
  const config = blob(
    JSON.stringify({ architecture: 'amd64', os: 'linux', label }),
    docker ? MEDIA_TYPES.dockerConfig : MEDIA_TYPES.ociConfig,
  );
  const layerType = docker ? MEDIA_TYPES.dockerLayer : MEDIA_TYPES.ociLayer;
  const layers = [
    blob(`${label} layer one`, layerType),
    blob(`${label} layer two`, layerType),
  ];
  const manifest = imageManifest({
    mediaType: docker ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest,
    config,
    layers,
  });
  return { manifest, config, layers, blobs: [config, ...layers] };
}
