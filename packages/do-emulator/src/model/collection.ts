import type {
  CollectionScope,
  Manifest,
  Repository,
  RegistryStorage,
} from './registryStorage';

/**
 * What a garbage collection removes, as distribution's collector decides it: "untagged
 * manifests" are the manifests no tag reaches, where a tag reaches its manifest, an index's
 * child manifests, and the referrers (OCI `subject`) of any manifest it reaches. So an index's
 * platform manifests and a signature or SBOM of a kept image stay. Unreferenced blobs are the
 * blobs that no remaining manifest lists as its config or a layer.
 */
export function planCollection(
  storage: RegistryStorage,
  scope: CollectionScope,
) {
  const manifests: Array<{ repository: Repository; manifest: Manifest }> = [];
  if (scope.untaggedManifests) {
    for (const repository of storage.repositories.values()) {
      const kept = reachableFromTags(repository);
      for (const manifest of repository.manifests.values()) {
        if (!kept.has(manifest.digest))
          manifests.push({ repository, manifest });
      }
    }
  }
  const blobs: string[] = [];
  if (scope.unreferencedBlobs) {
    const doomed = new Set(manifests.map(m => m.manifest));
    const referenced = new Set<string>();
    for (const repository of storage.repositories.values()) {
      for (const manifest of repository.manifests.values()) {
        if (doomed.has(manifest)) continue;
        manifest.layers.forEach(d => referenced.add(d));
        if (manifest.config) referenced.add(manifest.config);
      }
    }
    for (const digest of storage.blobs.keys()) {
      if (!referenced.has(digest)) blobs.push(digest);
    }
  }
  return { manifests, blobs };
}

/** The digests of the repository's manifests that its tags reach. */
export function reachableFromTags(repository: Repository): Set<string> {
  const kept = new Set<string>();
  const visit = (digest: string) => {
    const manifest = repository.manifests.get(digest);
    if (!manifest || kept.has(digest)) return;
    kept.add(digest);
    manifest.children.forEach(visit);
  };
  for (const digest of repository.tags.values()) visit(digest);
  // Referrers of kept manifests, and their referrers, until nothing is added.
  for (let added = true; added;) {
    added = false;
    for (const manifest of repository.manifests.values()) {
      if (
        !kept.has(manifest.digest) &&
        manifest.subject &&
        kept.has(manifest.subject)
      ) {
        visit(manifest.digest);
        added = true;
      }
    }
  }
  return kept;
}
