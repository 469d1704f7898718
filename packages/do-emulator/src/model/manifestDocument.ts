import { createHash } from 'node:crypto';
import {
  RegistryError,
  digestInvalid,
  manifestInvalid,
} from './registryErrors';

/** The manifest media types the registry stores; any other is refused (UNSUPPORTED). */
export const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList:
    'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
} as const;

const INDEX_TYPES: string[] = [
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.ociIndex,
];
const IMAGE_TYPES: string[] = [
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.ociManifest,
];

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string; variant?: string };
  /** Foreign layers: fetched from these URLs, never pushed to the registry. */
  urls?: string[];
}

/** A manifest as pushed, with what it references pulled out of its JSON. */
export interface ManifestDocument {
  digest: string;
  mediaType: string;
  /** The exact bytes pushed; what is served and what the digest is of. */
  raw: Buffer;
  config?: Descriptor;
  layers: Descriptor[];
  /** An index's (manifest list's) child manifests. */
  manifests: Descriptor[];
  subject?: Descriptor;
  artifactType?: string;
  annotations?: Record<string, string>;
}

const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isDigest(reference: string): boolean {
  return DIGEST.test(reference);
}

/** The digest of `content` in the algorithm `like` names (sha256 by default). */
export function digestOf(content: Buffer | string, like = 'sha256:'): string {
  const algorithm = like.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(content).digest('hex')}`;
}

export function isIndexType(mediaType: string): boolean {
  return INDEX_TYPES.includes(mediaType);
}

/**
 * Parses a pushed manifest as distribution does: the media type is the request's Content-Type,
 * or the document's own `mediaType` when the request names none; the two must agree.
 */
export function parseManifest(
  raw: Buffer,
  contentType: string | undefined,
): ManifestDocument {
  let json: any;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw manifestInvalid('the manifest is not JSON');
  }
  if (!json || typeof json !== 'object' || json.schemaVersion !== 2) {
    throw manifestInvalid('schemaVersion must be 2');
  }
  const declared = contentType?.split(';')[0].trim();
  const mediaType =
    declared && declared !== 'application/json' ? declared : json.mediaType;
  if (!IMAGE_TYPES.includes(mediaType) && !INDEX_TYPES.includes(mediaType)) {
    throw new RegistryError(
      415,
      'UNSUPPORTED',
      `manifest media type ${mediaType ?? '(none)'} is not supported`,
    );
  }
  if (json.mediaType !== undefined && json.mediaType !== mediaType) {
    throw manifestInvalid(
      `mediaType ${json.mediaType} does not match the Content-Type ${mediaType}`,
    );
  }
  const document: ManifestDocument = {
    digest: digestOf(raw),
    mediaType,
    raw,
    layers: [],
    manifests: [],
    subject: json.subject ? descriptor(json.subject, 'subject') : undefined,
    artifactType: json.artifactType,
    annotations: json.annotations,
  };
  if (INDEX_TYPES.includes(mediaType)) {
    document.manifests = list(json.manifests, 'manifests');
  } else {
    document.config = descriptor(json.config, 'config');
    document.layers = list(json.layers ?? [], 'layers');
  }
  return document;
}

function list(value: unknown, field: string): Descriptor[] {
  if (!Array.isArray(value)) throw manifestInvalid(`${field} must be a list`);
  return value.map((item, i) => descriptor(item, `${field}[${i}]`));
}

function descriptor(value: any, field: string): Descriptor {
  if (!value || typeof value !== 'object') {
    throw manifestInvalid(`${field} must be a descriptor`);
  }
  if (typeof value.digest !== 'string' || !isDigest(value.digest)) {
    throw digestInvalid(`${field} has an invalid digest "${value.digest}"`);
  }
  if (!Number.isSafeInteger(value.size) || value.size < 0) {
    throw manifestInvalid(`${field} needs a size`);
  }
  if (typeof value.mediaType !== 'string') {
    throw manifestInvalid(`${field} needs a mediaType`);
  }
  return value as Descriptor;
}

/**
 * The Docker schema 2 manifest of an image known only by its layers' digests and sizes (pushed
 * through the emulator's admin endpoint or a seed), with the small config it references.
 */
export function sizedImageDocuments(
  layers: Array<{ digest: string; size: number }>,
): { manifest: ManifestDocument; config: Buffer } {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layers.map(l => l.digest) },
    }),
  );
  const raw = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.dockerManifest,
      config: {
        mediaType: MEDIA_TYPES.dockerConfig,
        size: config.length,
        digest: digestOf(config),
      },
      layers: layers.map(l => ({
        mediaType: MEDIA_TYPES.dockerLayer,
        size: l.size,
        digest: l.digest,
      })),
    }),
  );
  return { manifest: parseManifest(raw, undefined), config };
}
