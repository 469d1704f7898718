import type {
  RepositoryTag,
  RepositoryV2,
} from '@backstage-docr/digitalocean-openapi';
import type {
  CachedPageView,
  RepositoryTagView,
  RepositoryView,
} from '@backstage-docr/plugin-docr-common';
import type { CachedListing } from './RepositoryCache';

export function presentRepository(repository: RepositoryV2): RepositoryView {
  const newest = repository.latest_manifest;
  const tags = newest?.tags ?? [];
  // `latest` says least of the tags of a manifest that has others (v1.4.2, a commit).
  const tag = tags.find(t => t !== 'latest') ?? tags[0];
  return {
    name: repository.name ?? '',
    tagCount: repository.tag_count ?? 0,
    manifestCount: repository.manifest_count ?? 0,
    sizeBytes: newest?.size_bytes ?? null,
    latestTag:
      newest && tag
        ? {
            tag,
            updatedAt: newest.updated_at ?? '',
            compressedSizeBytes: newest.compressed_size_bytes ?? 0,
          }
        : null,
  };
}

export function presentTag(tag: RepositoryTag): RepositoryTagView {
  return {
    tag: tag.tag ?? '',
    digest: tag.manifest_digest ?? '',
    compressedSizeBytes: tag.compressed_size_bytes ?? 0,
    updatedAt: tag.updated_at ?? '',
  };
}

/** One page of the items whose name contains `q` (case-insensitive). */
export function presentPage<T, V>(
  listing: CachedListing<T>,
  present: (item: T) => V,
  nameOf: (view: V) => string,
  query: { q?: string; offset: number; limit: number },
): CachedPageView<V> {
  const needle = query.q?.toLowerCase();
  const views = listing.items.map(present);
  const matching = needle
    ? views.filter(view => nameOf(view).toLowerCase().includes(needle))
    : views;
  return {
    items: matching.slice(query.offset, query.offset + query.limit),
    totalCount: matching.length,
    fetchedAt: listing.fetchedAt.toISOString(),
  };
}
