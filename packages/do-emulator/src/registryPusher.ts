import { createHash } from 'node:crypto';
import type { DoEmulator } from './http/server';

/** What a push returns: the descriptor other manifests reference it by. */
export interface PushedDescriptor {
  mediaType: string;
  digest: string;
  size: number;
}

/** The platform an index lists a manifest for. */
export interface PushedPlatform {
  os: string;
  architecture: string;
  variant?: string;
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

const sha256 = (bytes: Buffer) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** What `registryPusher` returns: one repository's pushes. */
export class RegistryPusher {
  constructor(
    private readonly emulator: DoEmulator,
    private readonly registry: string,
    private readonly repository: string,
  ) {}

  async blob(content: string, mediaType: string): Promise<PushedDescriptor> {
    const bytes = Buffer.from(content);
    await this.send('POST', `blobs/uploads/?digest=${sha256(bytes)}`, bytes);
    return { mediaType, digest: sha256(bytes), size: bytes.length };
  }

  /** Puts a manifest document (indented, as exact bytes) under a tag or its digest. */
  async manifest(
    document: { mediaType: string; [field: string]: unknown },
    tag?: string,
  ): Promise<PushedDescriptor> {
    const bytes = Buffer.from(
      JSON.stringify({ schemaVersion: 2, ...document }, null, 2),
    );
    const path = `manifests/${tag ?? sha256(bytes)}`;
    await this.send('PUT', path, bytes, document.mediaType);
    return {
      mediaType: document.mediaType,
      digest: sha256(bytes),
      size: bytes.length,
    };
  }

  /** A one-layer manifest; the config and layer media types make it an image or an artifact. */
  async image(
    label: string,
    options: {
      tag?: string;
      configType?: string;
      layerType?: string;
      subject?: PushedDescriptor;
      artifactType?: string;
    } = {},
  ) {
    const config = await this.blob(
      JSON.stringify({ label }),
      options.configType ?? 'application/vnd.oci.image.config.v1+json',
    );
    const layer = await this.blob(
      `${label} layer`,
      options.layerType ?? 'application/vnd.oci.image.layer.v1.tar+gzip',
    );
    const manifest = await this.manifest(
      {
        mediaType: OCI_MANIFEST,
        ...(options.artifactType ? { artifactType: options.artifactType } : {}),
        config,
        layers: [layer],
        ...(options.subject ? { subject: options.subject } : {}),
      },
      options.tag,
    );
    return { manifest, config, layer };
  }

  /** An index over manifests already pushed, by tag. */
  async index(
    tag: string,
    platforms: Array<{
      manifest: PushedDescriptor;
      platform: PushedPlatform;
    }>,
  ): Promise<PushedDescriptor> {
    return this.manifest(
      {
        mediaType: OCI_INDEX,
        manifests: platforms.map(({ manifest, platform }) => ({
          ...manifest,
          platform,
        })),
      },
      tag,
    );
  }

  /** A multi-arch image: each platform's image pushed by digest, then the index by tag. */
  async multiArch(label: string, tag: string, platforms: string[]) {
    const children = [];
    for (const platform of platforms) {
      const [os, architecture] = platform.split('/');
      const { manifest } = await this.image(`${label}-${os}-${architecture}`);
      children.push({ manifest, platform: { os, architecture } });
    }
    const index = await this.index(tag, children);
    return {
      index,
      children: children.map(c => ({ ...c.manifest, platform: c.platform })),
    };
  }

  private async send(
    method: 'POST' | 'PUT',
    path: string,
    bytes: Buffer,
    type?: string,
  ) {
    const { emulator, registry, repository } = this;
    const res = await fetch(
      `${emulator.registryUrl}/v2/${registry}/${repository}/${path}`,
      {
        method,
        body: bytes,
        headers: {
          // Read-write docker credentials of the emulated account, issued per request.
          authorization: `Basic ${emulator.account.issueCredential(registry, true, 0)}`,
          ...(type ? { 'content-type': type } : {}),
        },
      },
    );
    if (res.status !== 201)
      throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  }
}

/**
 * Pushes to one repository of the emulator's registry host through the OCI Distribution API, as
 * `docker buildx` and `cosign` do: blobs, then manifests by tag or by digest, with read-write
 * docker credentials of the emulated account. For tests and benchmarks of code that reads images.
 */
export function registryPusher(
  emulator: DoEmulator,
  registry: string,
  repository: string,
): RegistryPusher {
  return new RegistryPusher(emulator, registry, repository);
}
