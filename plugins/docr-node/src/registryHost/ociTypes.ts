/**
 * The manifest media types a registry serves, with the Accept header that asks for all of them.
 *
 * @public
 */
export const MANIFEST_MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList:
    'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

/** @public */
export type ManifestMediaType =
  (typeof MANIFEST_MEDIA_TYPES)[keyof typeof MANIFEST_MEDIA_TYPES];

const INDEX_MEDIA_TYPES: ReadonlySet<string> = new Set([
  MANIFEST_MEDIA_TYPES.dockerManifestList,
  MANIFEST_MEDIA_TYPES.ociIndex,
]);

/**
 * True for the media types of an index (OCI image index, Docker manifest list).
 *
 * @public
 */
export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && INDEX_MEDIA_TYPES.has(mediaType);
}

/**
 * The platform an index entry runs on (OCI image index spec).
 *
 * @public
 */
export interface OciPlatform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
}

/**
 * A content descriptor (OCI image spec, descriptor.md).
 *
 * @public
 */
export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  artifactType?: string;
  /** Only in an index's `manifests`. */
  platform?: OciPlatform;
}

/**
 * An image manifest: OCI image manifest or Docker image manifest v2 schema 2.
 *
 * @public
 */
export interface OciImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  subject?: OciDescriptor;
  annotations?: Record<string, string>;
}

/**
 * An index: OCI image index or Docker manifest list.
 *
 * @public
 */
export interface OciImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: OciDescriptor[];
  subject?: OciDescriptor;
  annotations?: Record<string, string>;
}

/**
 * A manifest document as read from the registry host, told apart by `kind`.
 *
 * @public
 */
export type ManifestDocument =
  | { kind: 'manifest'; manifest: OciImageManifest }
  | { kind: 'index'; index: OciImageIndex };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isDescriptor(value: unknown): value is OciDescriptor {
  return (
    isObject(value) &&
    typeof value.mediaType === 'string' &&
    typeof value.digest === 'string' &&
    typeof value.size === 'number'
  );
}

/**
 * Parses a manifest's bytes, telling an index from an image manifest by the response's media
 * type, else by the document's own `mediaType`, else by its shape. Undefined when the bytes are
 * not a schema 2 manifest or index (a schema 1 manifest, an unknown artifact format).
 */
export function parseManifestDocument(
  bytes: Uint8Array,
  contentType: string | undefined,
): { mediaType: string; document: ManifestDocument } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (!isObject(json) || json.schemaVersion !== 2) return undefined;
  const declared =
    typeof json.mediaType === 'string' ? json.mediaType : undefined;
  const mediaType = contentType?.split(';')[0].trim() || declared;
  const subjectOk = json.subject === undefined || isDescriptor(json.subject);
  if (
    Array.isArray(json.manifests) &&
    json.manifests.every(isDescriptor) &&
    subjectOk &&
    (mediaType === undefined || isIndexMediaType(mediaType))
  ) {
    return {
      mediaType: mediaType ?? MANIFEST_MEDIA_TYPES.ociIndex,
      document: { kind: 'index', index: json as unknown as OciImageIndex },
    };
  }
  if (
    isDescriptor(json.config) &&
    Array.isArray(json.layers) &&
    json.layers.every(isDescriptor) &&
    subjectOk &&
    !isIndexMediaType(mediaType)
  ) {
    return {
      mediaType: mediaType ?? MANIFEST_MEDIA_TYPES.ociManifest,
      document: {
        kind: 'manifest',
        manifest: json as unknown as OciImageManifest,
      },
    };
  }
  return undefined;
}
