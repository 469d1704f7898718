import { createHash, randomBytes } from 'node:crypto';
import { BlobUploads } from './BlobUploads';
import { planCollection } from './collection';
import { ManifestDocument, sizedImageDocuments } from './manifestDocument';
import { RegistryError } from './registryErrors';

/**
 * The content of one registry: repositories of manifests and tags over a content-addressed blob
 * store shared by all repositories, as in a real OCI registry. Storage is the sum of the bytes of
 * the manifests and blobs it holds, so re-pushing a tag leaves the old manifest (and its layers)
 * taking space until garbage collection removes it. Both the DigitalOcean API and the registry
 * host (OCI Distribution) read and write this one store.
 */

export interface Layer {
  /** `sha256:<hex>`; a random digest is made when absent, so each push adds new layers. */
  digest?: string;
  /** Compressed size in bytes. */
  size: number;
}

export interface Manifest {
  digest: string;
  /** Bytes counted in storage: the document's length; 1,024 for an image pushed by its sizes. */
  size: number;
  /** Layer blobs, in order. */
  layers: string[];
  /** The config blob, when it counts in storage (an image pushed by its sizes has it inline). */
  config?: string;
  /** An index's child manifests. */
  children: string[];
  /** The manifest this one refers to (OCI 1.1 `subject`): it is among its referrers. */
  subject?: string;
  /** The document as pushed: media type, exact bytes, descriptors. */
  document: ManifestDocument;
  updatedAt: number;
}

export interface Repository {
  name: string;
  manifests: Map<string, Manifest>;
  /** tag → manifest digest */
  tags: Map<string, string>;
  tagUpdatedAt: Map<string, number>;
}

export interface PushResult {
  digest: string;
  /** The manifest the tag pointed at before, now untagged (left for garbage collection). */
  untaggedDigest?: string;
  /** Bytes this push added to the registry's storage. */
  addedBytes: number;
}

export interface CollectionResult {
  blobsDeleted: number;
  freedBytes: number;
}

export interface CollectionScope {
  untaggedManifests: boolean;
  unreferencedBlobs: boolean;
}

/** What the emulator counts for the manifest of an image pushed by its layers' sizes. */
const SIZED_MANIFEST_BYTES = 1_024;

export function sha256Digest(content: string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

export function randomDigest(): string {
  return sha256Digest(randomBytes(16).toString('hex'));
}

export class RegistryStorage {
  readonly repositories = new Map<string, Repository>();
  /** digest → compressed size; shared by every repository of the registry. */
  readonly blobs = new Map<string, number>();
  /** The bytes of the blobs pushed with content (layers pushed by size have none). */
  readonly blobContent = new Map<string, Buffer>();
  /** Configs of images pushed by sizes: served, counted within their manifest's 1,024 bytes. */
  readonly inlineConfigs = new Map<string, Buffer>();
  /** repository → the blobs it may read (pushed or mounted there), as distribution links them. */
  readonly blobLinks = new Map<string, Set<string>>();
  readonly uploads = new BlobUploads();

  storageBytes(): number {
    let total = 0;
    for (const size of this.blobs.values()) total += size;
    for (const repository of this.repositories.values()) {
      for (const manifest of repository.manifests.values())
        total += manifest.size;
    }
    return total;
  }

  /** Bytes a push of these layers would add (layers already stored are not stored again). */
  bytesToAdd(repositoryName: string, layers: Layer[]): number {
    const digests = new Set<string>();
    let bytes = 0;
    for (const layer of layers) {
      if (
        layer.digest &&
        (this.blobs.has(layer.digest) || digests.has(layer.digest))
      )
        continue;
      if (layer.digest) digests.add(layer.digest);
      bytes += layer.size;
    }
    const repository = this.repositories.get(repositoryName);
    const digest = layers.every(l => l.digest)
      ? sizedImageDocuments(layers as Required<Layer>[]).manifest.digest
      : undefined;
    const manifestExists =
      digest !== undefined && repository?.manifests.has(digest);
    return bytes + (manifestExists ? 0 : SIZED_MANIFEST_BYTES);
  }

  /** Pushes an image known by its layers' sizes, as `docker push` of it would. */
  push(
    repositoryName: string,
    tag: string,
    layers: Layer[],
    now: number,
  ): PushResult {
    const resolved = layers.map(layer => ({
      digest: layer.digest ?? randomDigest(),
      size: layer.size,
    }));
    for (const layer of resolved)
      this.storeBlob(repositoryName, layer.digest, layer.size);
    const { manifest, config } = sizedImageDocuments(resolved);
    this.inlineConfigs.set(manifest.config!.digest, config);
    this.linkBlob(repositoryName, manifest.config!.digest);
    return this.putManifest(repositoryName, manifest, tag, now);
  }

  /** Stores a blob (once per registry) and links it to the repository. */
  storeBlob(
    repositoryName: string,
    digest: string,
    size: number,
    content?: Buffer,
  ): void {
    if (!this.blobs.has(digest)) this.blobs.set(digest, size);
    if (content && !this.blobContent.has(digest))
      this.blobContent.set(digest, content);
    this.linkBlob(repositoryName, digest);
  }

  linkBlob(repositoryName: string, digest: string): void {
    let links = this.blobLinks.get(repositoryName);
    if (!links) this.blobLinks.set(repositoryName, (links = new Set()));
    links.add(digest);
  }

  /** The blob's size when the repository may read it. */
  blobSize(repositoryName: string, digest: string): number | undefined {
    if (!this.blobLinks.get(repositoryName)?.has(digest)) return undefined;
    return this.blobs.get(digest) ?? this.inlineConfigs.get(digest)?.length;
  }

  /** The blob's bytes, when the registry holds more than its size. */
  blobBytes(digest: string): Buffer | undefined {
    return this.blobContent.get(digest) ?? this.inlineConfigs.get(digest);
  }

  /**
   * Stores a manifest whose blobs and child manifests the repository holds, and points `tag` at
   * it; the tag's previous manifest stays, untagged.
   */
  putManifest(
    repositoryName: string,
    document: ManifestDocument,
    tag: string | undefined,
    now: number,
  ): PushResult {
    this.assertReferencesHeld(repositoryName, document);
    const before = this.storageBytes();
    const repository = this.repository(repositoryName);
    const existing = repository.manifests.get(document.digest);
    if (existing) existing.updatedAt = now;
    else
      repository.manifests.set(document.digest, this.manifestOf(document, now));
    if (tag === undefined) {
      return {
        digest: document.digest,
        addedBytes: this.storageBytes() - before,
      };
    }
    const previous = repository.tags.get(tag);
    repository.tags.set(tag, document.digest);
    repository.tagUpdatedAt.set(tag, now);
    const untaggedDigest =
      previous &&
      previous !== document.digest &&
      !tagsOf(repository, previous).length
        ? previous
        : undefined;
    return {
      digest: document.digest,
      untaggedDigest,
      addedBytes: this.storageBytes() - before,
    };
  }

  /** Bytes storing this manifest would add to the repository. */
  manifestBytesToAdd(repositoryName: string, document: ManifestDocument) {
    const known = this.repositories
      .get(repositoryName)
      ?.manifests.has(document.digest);
    return known ? 0 : document.raw.length;
  }

  deleteTag(repository: Repository, tag: string): void {
    repository.tags.delete(tag);
    repository.tagUpdatedAt.delete(tag);
  }

  deleteManifest(repository: Repository, digest: string): void {
    for (const tag of tagsOf(repository, digest))
      this.deleteTag(repository, tag);
    repository.manifests.delete(digest);
  }

  deleteRepository(name: string): void {
    this.repositories.delete(name);
    this.blobLinks.delete(name);
  }

  /** What a collection of this type would remove, without removing it. */
  plan(options: CollectionScope) {
    return planCollection(this, options);
  }

  /**
   * Removes untagged manifests and/or blobs no manifest references. A manifest is stored as a
   * blob too, so it counts in `blobsDeleted`.
   */
  collect(options: CollectionScope): CollectionResult {
    const { manifests, blobs } = this.plan(options);
    let freedBytes = 0;
    for (const { repository, manifest } of manifests) {
      repository.manifests.delete(manifest.digest);
      freedBytes += manifest.size;
    }
    for (const digest of blobs) {
      freedBytes += this.blobs.get(digest) ?? 0;
      this.blobs.delete(digest);
      this.blobContent.delete(digest);
      for (const links of this.blobLinks.values()) links.delete(digest);
    }
    return { blobsDeleted: manifests.length + blobs.length, freedBytes };
  }

  private repository(name: string): Repository {
    let repository = this.repositories.get(name);
    if (!repository) {
      repository = {
        name,
        manifests: new Map(),
        tags: new Map(),
        tagUpdatedAt: new Map(),
      };
      this.repositories.set(name, repository);
    }
    return repository;
  }

  private manifestOf(document: ManifestDocument, now: number): Manifest {
    const configDigest = document.config?.digest;
    const sized =
      configDigest !== undefined && this.inlineConfigs.has(configDigest);
    return {
      digest: document.digest,
      size: sized ? SIZED_MANIFEST_BYTES : document.raw.length,
      layers: document.layers.filter(l => !l.urls?.length).map(l => l.digest),
      config: sized ? undefined : configDigest,
      children: document.manifests.map(m => m.digest),
      subject: document.subject?.digest,
      document,
      updatedAt: now,
    };
  }

  /** Distribution refuses a manifest whose blobs or child manifests the repository lacks. */
  private assertReferencesHeld(
    repositoryName: string,
    document: ManifestDocument,
  ): void {
    const blobs = [document.config, ...document.layers].filter(
      d => d && !d.urls?.length,
    );
    for (const blob of blobs) {
      if (this.blobSize(repositoryName, blob!.digest) === undefined) {
        throw new RegistryError(
          400,
          'MANIFEST_BLOB_UNKNOWN',
          `blob unknown to registry: ${blob!.digest}`,
          { digest: blob!.digest },
        );
      }
    }
    const repository = this.repositories.get(repositoryName);
    for (const child of document.manifests) {
      if (!repository?.manifests.has(child.digest)) {
        throw new RegistryError(
          400,
          'MANIFEST_UNKNOWN',
          `manifest unknown: the index references ${child.digest}, which the repository does not hold`,
          { digest: child.digest },
        );
      }
    }
  }
}

export function tagsOf(repository: Repository, digest: string): string[] {
  return [...repository.tags.entries()]
    .filter(([, d]) => d === digest)
    .map(([tag]) => tag);
}

/** The blobs a manifest lists in DigitalOcean's API: its config (when counted) and layers. */
export function manifestBlobs(manifest: Manifest): string[] {
  return manifest.config
    ? [manifest.config, ...manifest.layers]
    : manifest.layers;
}

export function compressedSize(
  storage: RegistryStorage,
  manifest: Manifest,
): number {
  return manifestBlobs(manifest).reduce(
    (sum, digest) => sum + (storage.blobs.get(digest) ?? 0),
    0,
  );
}
