import type { RepositoryContents } from '../repositories/RepositoryCache';

export interface FreedBytesEstimate {
  total: number;
  /** Per repository, the freed blobs that only its deleted manifests reference. */
  byRepository: Map<string, number>;
}

/**
 * The compressed bytes of the blobs that only deleted manifests reference. DigitalOcean stores a
 * registry's blobs once for all its repositories, so a blob any manifest left in any repository
 * references (a shared base layer) frees nothing.
 *
 * @param deleted - per repository, the digests of the manifests deleted
 */
export function estimateFreedBytes(
  repositories: RepositoryContents[],
  deleted: Map<string, Set<string>>,
): FreedBytesEstimate {
  const referencedByKept = new Set<string>();
  const referencedByDeleted = new Map<
    string,
    { size: number; repositories: Set<string> }
  >();
  for (const { name, manifests } of repositories) {
    for (const manifest of manifests) {
      const isDeleted = deleted.get(name)?.has(manifest.digest ?? '') ?? false;
      for (const blob of manifest.blobs ?? []) {
        const digest = blob.digest ?? '';
        if (!isDeleted) {
          referencedByKept.add(digest);
          continue;
        }
        const entry = referencedByDeleted.get(digest) ?? {
          size: blob.compressed_size_bytes ?? 0,
          repositories: new Set<string>(),
        };
        entry.repositories.add(name);
        referencedByDeleted.set(digest, entry);
      }
    }
  }
  let total = 0;
  const byRepository = new Map<string, number>();
  for (const [digest, { size, repositories: holders }] of referencedByDeleted) {
    if (referencedByKept.has(digest)) continue;
    total += size;
    if (holders.size === 1) {
      const [only] = holders;
      byRepository.set(only, (byRepository.get(only) ?? 0) + size);
    }
  }
  return { total, byRepository };
}
