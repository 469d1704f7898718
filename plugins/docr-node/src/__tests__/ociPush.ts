import { createHash } from 'node:crypto';
import type { DoEmulator } from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '../DigitalOceanClient';
import type { OciDescriptor, OciPlatform } from '../registryHost/ociTypes';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

const digestOf = (bytes: Buffer) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * Pushes images to the emulator's registry host through the OCI Distribution API, as `docker
 * push` and `cosign` would, with read-write docker credentials from its DigitalOcean API.
 */
export function ociPusher(emulator: DoEmulator, registry: string) {
  let authorization: string | undefined;
  const auth = async () => {
    if (!authorization) {
      const api = new DigitalOceanClient({
        token: 'test',
        apiUrl: emulator.url,
      });
      const credentials = await api.getDockerCredentials(registry, {
        readWrite: true,
      });
      authorization = `Basic ${credentials.auths!['registry.digitalocean.com']!.auth}`;
    }
    return authorization;
  };
  const send = async (
    method: string,
    path: string,
    body: Buffer,
    type?: string,
  ) => {
    const res = await fetch(`${emulator.registryUrl}/v2/${registry}/${path}`, {
      method,
      body,
      headers: {
        authorization: await auth(),
        ...(type ? { 'content-type': type } : {}),
      },
    });
    if (res.status !== 201)
      throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  const blob = async (
    repository: string,
    content: string,
    mediaType: string,
  ): Promise<OciDescriptor> => {
    const bytes = Buffer.from(content);
    const digest = digestOf(bytes);
    await send('POST', `${repository}/blobs/uploads/?digest=${digest}`, bytes);
    return { mediaType, digest, size: bytes.length };
  };
  const pusher = {
    /** Puts a manifest document (indented, as exact bytes) under a tag or its digest. */
    async manifest(
      repository: string,
      document: { mediaType: string; [field: string]: unknown },
      tag?: string,
    ): Promise<OciDescriptor> {
      const bytes = Buffer.from(JSON.stringify(document, null, 2));
      const digest = digestOf(bytes);
      await send(
        'PUT',
        `${repository}/manifests/${tag ?? digest}`,
        bytes,
        document.mediaType,
      );
      return { mediaType: document.mediaType, digest, size: bytes.length };
    },
    /** An image of one layer; its config and layer media types can be an artifact's. */
    async image(
      repository: string,
      label: string,
      options: {
        tag?: string;
        configType?: string;
        layerType?: string;
        subject?: OciDescriptor;
        artifactType?: string;
      } = {},
    ) {
      const config = await blob(
        repository,
        JSON.stringify({ label }),
        options.configType ?? 'application/vnd.oci.image.config.v1+json',
      );
      const layer = await blob(
        repository,
        `${label} layer`,
        options.layerType ?? 'application/vnd.oci.image.layer.v1.tar+gzip',
      );
      const manifest = await pusher.manifest(
        repository,
        {
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          ...(options.artifactType
            ? { artifactType: options.artifactType }
            : {}),
          config,
          layers: [layer],
          ...(options.subject ? { subject: options.subject } : {}),
        },
        options.tag,
      );
      return { manifest, config, layer };
    },
    /** A multi-arch index over images already pushed. */
    async index(
      repository: string,
      tag: string,
      platforms: Array<{ manifest: OciDescriptor; platform: OciPlatform }>,
    ) {
      return pusher.manifest(
        repository,
        {
          schemaVersion: 2,
          mediaType: OCI_INDEX,
          manifests: platforms.map(({ manifest, platform }) => ({
            ...manifest,
            platform,
          })),
        },
        tag,
      );
    },
  };
  return pusher;
}
