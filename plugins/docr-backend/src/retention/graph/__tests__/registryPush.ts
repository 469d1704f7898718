import { createHash } from 'node:crypto';
import type { DoEmulator } from '@backstage-docr/do-emulator';
import {
  DigitalOceanClient,
  type OciDescriptor,
} from '@backstage-docr/plugin-docr-node';

const sha256 = (bytes: Buffer) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * Pushes to the emulator's registry host as `docker buildx` and `cosign` do: blobs, then
 * manifests by tag or digest, with read-write docker credentials from its DigitalOcean API.
 */
export function registryPush(
  emulator: DoEmulator,
  registry: string,
  repository: string,
) {
  let authorization: Promise<string> | undefined;
  const auth = () =>
    (authorization ??= new DigitalOceanClient({
      token: 'test',
      apiUrl: emulator.url,
    })
      .getDockerCredentials(registry, { readWrite: true })
      .then(c => `Basic ${c.auths!['registry.digitalocean.com']!.auth}`));
  const put = async (
    method: 'POST' | 'PUT',
    path: string,
    bytes: Buffer,
    type?: string,
  ) => {
    const res = await fetch(
      `${emulator.registryUrl}/v2/${registry}/${repository}/${path}`,
      {
        method,
        body: bytes,
        headers: {
          authorization: await auth(),
          ...(type ? { 'content-type': type } : {}),
        },
      },
    );
    if (res.status !== 201)
      throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  const push = {
    async blob(content: string, mediaType: string): Promise<OciDescriptor> {
      const bytes = Buffer.from(content);
      await put('POST', `blobs/uploads/?digest=${sha256(bytes)}`, bytes);
      return { mediaType, digest: sha256(bytes), size: bytes.length };
    },
    async manifest(
      document: { mediaType: string; [field: string]: unknown },
      tag?: string,
    ): Promise<OciDescriptor> {
      const bytes = Buffer.from(
        JSON.stringify({ schemaVersion: 2, ...document }, null, 2),
      );
      await put(
        'PUT',
        `manifests/${tag ?? sha256(bytes)}`,
        bytes,
        document.mediaType,
      );
      return {
        mediaType: document.mediaType,
        digest: sha256(bytes),
        size: bytes.length,
      };
    },
    /** A one-layer manifest; the config and layer media types make it an image or an artifact. */
    async image(
      label: string,
      options: {
        tag?: string;
        configType?: string;
        layerType?: string;
        subject?: OciDescriptor;
        artifactType?: string;
      } = {},
    ) {
      const config = await push.blob(
        `{"label":"${label}"}`,
        options.configType ?? 'application/vnd.oci.image.config.v1+json',
      );
      const layer = await push.blob(
        `${label} layer`,
        options.layerType ?? 'application/vnd.oci.image.layer.v1.tar+gzip',
      );
      const manifest = await push.manifest(
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
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
    /** A multi-arch index: each platform's image pushed by digest, then the index by tag. */
    async multiArch(label: string, tag: string, platforms: string[]) {
      const children = [];
      for (const platform of platforms) {
        const [os, architecture] = platform.split('/');
        const { manifest } = await push.image(`${label}-${os}-${architecture}`);
        children.push({ ...manifest, platform: { os, architecture } });
      }
      const index = await push.manifest(
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: children,
        },
        tag,
      );
      return { index, children };
    },
  };
  return push;
}
