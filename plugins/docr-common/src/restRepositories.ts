/** The repositories and tags part of the docr backend's REST API (`/api/docr`). */

/**
 * The newest manifest's tag, as a repository row shows it.
 *
 * @public
 */
export interface RepositoryLatestTagView {
  tag: string;
  updatedAt: string;
  compressedSizeBytes: number;
}

/** @public */
export interface RepositoryView {
  name: string;
  tagCount: number;
  manifestCount: number;
  /**
   * The uncompressed size of the newest manifest, as DigitalOcean reports it; null while
   * DigitalOcean is still computing it.
   */
  sizeBytes: number | null;
  /** Null when the newest manifest has no tag (its tag was moved or deleted). */
  latestTag: RepositoryLatestTagView | null;
}

/** @public */
export interface RepositoryTagView {
  tag: string;
  digest: string;
  compressedSizeBytes: number;
  updatedAt: string;
}

/**
 * A page of a listing the docr backend keeps from DigitalOcean, and when it was listed.
 *
 * @public
 */
export interface CachedPageView<T> {
  items: T[];
  /** Items matching the search, over all pages. */
  totalCount: number;
  fetchedAt: string;
}

/**
 * `GET /registries/:name/repositories`
 *
 * @public
 */
export type RepositoryPageView = CachedPageView<RepositoryView>;

/**
 * `GET /registries/:name/repositories/:repository/tags`, newest first.
 *
 * @public
 */
export type RepositoryTagPageView = CachedPageView<RepositoryTagView>;

/**
 * Search and paging of the repository and tag listings.
 *
 * @public
 */
export interface ListingQuery {
  /** A substring of the name (case-insensitive). */
  q?: string;
  offset?: number;
  /** At most {@link MAX_LISTING_LIMIT}. */
  limit?: number;
}

/**
 * The most items one page of the repository and tag listings holds.
 *
 * @public
 */
export const MAX_LISTING_LIMIT = 200;
