import { createHash, randomBytes } from 'node:crypto';

/**
 * The content of one registry: repositories of manifests and tags over a content-addressed blob
 * store shared by all repositories, as in a real OCI registry. Storage is the sum of the bytes of
 * the manifests and blobs it holds, so re-pushing a tag leaves the old manifest (and its layers)
 * taking space until garbage collection removes it.
 */

export interface Layer {
  /** `sha256:<hex>`; a random digest is made when absent, so each push adds new layers. */
  digest?: string;
  /** Compressed size in bytes. */
  size: number;
}

export interface Manifest {
  digest: string;
  /** Bytes of the manifest document itself. */
  size: number;
  layers: string[];
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

const MANIFEST_SIZE = 1_024;

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
      ? manifestDigest(layers)
      : undefined;
    const manifestExists =
      digest !== undefined && repository?.manifests.has(digest);
    return bytes + (manifestExists ? 0 : MANIFEST_SIZE);
  }

  push(
    repositoryName: string,
    tag: string,
    layers: Layer[],
    now: number,
  ): PushResult {
    const before = this.storageBytes();
    const resolved = layers.map(layer => ({
      digest: layer.digest ?? randomDigest(),
      size: layer.size,
    }));
    for (const layer of resolved) {
      if (!this.blobs.has(layer.digest))
        this.blobs.set(layer.digest, layer.size);
    }
    const digest = manifestDigest(resolved);
    let repository = this.repositories.get(repositoryName);
    if (!repository) {
      repository = {
        name: repositoryName,
        manifests: new Map(),
        tags: new Map(),
        tagUpdatedAt: new Map(),
      };
      this.repositories.set(repositoryName, repository);
    }
    const existing = repository.manifests.get(digest);
    if (existing) {
      existing.updatedAt = now;
    } else {
      repository.manifests.set(digest, {
        digest,
        size: MANIFEST_SIZE,
        layers: resolved.map(l => l.digest),
        updatedAt: now,
      });
    }
    const previous = repository.tags.get(tag);
    repository.tags.set(tag, digest);
    repository.tagUpdatedAt.set(tag, now);
    const untaggedDigest =
      previous && previous !== digest && !tagsOf(repository, previous).length
        ? previous
        : undefined;
    return { digest, untaggedDigest, addedBytes: this.storageBytes() - before };
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
  }

  /** What a collection of this type would remove, without removing it. */
  plan(options: { untaggedManifests: boolean; unreferencedBlobs: boolean }) {
    const manifests: Array<{ repository: Repository; manifest: Manifest }> = [];
    if (options.untaggedManifests) {
      for (const repository of this.repositories.values()) {
        for (const manifest of repository.manifests.values()) {
          if (!tagsOf(repository, manifest.digest).length)
            manifests.push({ repository, manifest });
        }
      }
    }
    const blobs: string[] = [];
    if (options.unreferencedBlobs) {
      const doomed = new Set(manifests.map(m => m.manifest));
      const referenced = new Set<string>();
      for (const repository of this.repositories.values()) {
        for (const manifest of repository.manifests.values()) {
          if (!doomed.has(manifest))
            manifest.layers.forEach(d => referenced.add(d));
        }
      }
      for (const digest of this.blobs.keys()) {
        if (!referenced.has(digest)) blobs.push(digest);
      }
    }
    return { manifests, blobs };
  }

  /**
   * Removes untagged manifests and/or blobs no manifest references. A manifest is stored as a
   * blob too, so it counts in `blobsDeleted`.
   */
  collect(options: {
    untaggedManifests: boolean;
    unreferencedBlobs: boolean;
  }): CollectionResult {
    const { manifests, blobs } = this.plan(options);
    let freedBytes = 0;
    for (const { repository, manifest } of manifests) {
      repository.manifests.delete(manifest.digest);
      freedBytes += manifest.size;
    }
    for (const digest of blobs) {
      freedBytes += this.blobs.get(digest) ?? 0;
      this.blobs.delete(digest);
    }
    return { blobsDeleted: manifests.length + blobs.length, freedBytes };
  }
}

export function tagsOf(repository: Repository, digest: string): string[] {
  return [...repository.tags.entries()]
    .filter(([, d]) => d === digest)
    .map(([tag]) => tag);
}

export function compressedSize(
  storage: RegistryStorage,
  manifest: Manifest,
): number {
  return manifest.layers.reduce(
    (sum, digest) => sum + (storage.blobs.get(digest) ?? 0),
    0,
  );
}

function manifestDigest(layers: Array<{ digest?: string }>): string {
  return sha256Digest(JSON.stringify(layers.map(l => l.digest)));
}
