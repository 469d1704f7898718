import type { RepositoryManifest } from '@backstage-docr/digitalocean-openapi';

/**
 * What a manifest is, as far as retention is concerned. `signature`, `attestation` and `sbom` are
 * attached to a subject (cosign's tag scheme or an OCI `subject`). An artifact with a subject of
 * any other type is `unknown` (`referrer` stays in the wire type, but is no longer given).
 * `unknown` and `unreadable` are always kept.
 */
export type ManifestKind =
  | 'image'
  | 'index'
  | 'helm-chart'
  | 'signature'
  | 'attestation'
  | 'sbom'
  | 'referrer'
  | 'unknown'
  | 'unreadable';

/** A blob a manifest references: its config or a layer. */
export interface BlobRef {
  digest: string;
  mediaType: string;
  size: number;
}

/** A manifest an index lists, with the platform it is for (`linux/arm64/v8`), when given. */
export interface ChildRef {
  digest: string;
  mediaType: string;
  platform?: string;
}

/**
 * What a manifest's document says, in the few fields the graph needs. Digests are immutable, so
 * these are kept per digest across reads of any repository.
 */
export interface ManifestFacts {
  mediaType: string;
  artifactType?: string;
  config?: BlobRef;
  layers: BlobRef[];
  children: ChildRef[];
  /** The `subject` descriptor's digest. */
  subject?: string;
}

/** How a manifest's subject is known. */
export type SubjectSource =
  /** The manifest's own OCI 1.1 `subject` field. */
  | 'subject'
  /** Cosign's tag scheme: `sha256-<hex>.sig|.att|.sbom` names the subject. */
  | 'cosign-tag'
  /** The OCI referrers tag schema's index: `sha256-<hex>` lists the subject's referrers. */
  | 'referrers-tag';

/** One manifest of a repository's graph. */
export interface GraphManifest {
  digest: string;
  kind: ManifestKind;
  /** Why the manifest is `unknown` or `unreadable` (kept whatever the rules say). */
  reason?: string;
  tags: string[];
  /** Undefined when the manifest could not be read. */
  facts?: ManifestFacts;
  subject?: { digest: string; source: SubjectSource };
  /** DigitalOcean's listing of it (size, blobs, updated_at); absent for a child it did not list. */
  listed?: RepositoryManifest;
  /** The indexes listing it, each with the platform it is there for. */
  parents: Array<{ digest: string; platform?: string }>;
  /** The manifests whose subject it is. */
  referrers: string[];
}

/** One repository's manifests, linked: tag → manifest → children, config, layers, referrers. */
export interface RepositoryGraph {
  registry: string;
  repository: string;
  /** Every manifest listed by DigitalOcean or listed by an index, by digest. */
  manifests: Map<string, GraphManifest>;
  /** Each tag's manifest digest. */
  tags: Map<string, string>;
}
