/**
 * What the repositories and tags part of the REST API shares beyond its generated types
 * (src/schema/openapi, from the docr backend's OpenAPI spec).
 */
import type { RepositoryPageView } from './schema/openapi/generated/models';

/**
 * A page of a listing the docr backend keeps from DigitalOcean, and when it was listed: the
 * shape `RepositoryPageView` and `RepositoryTagPageView` share, for code that shows either.
 *
 * @public
 */
export type CachedPageView<T> = Omit<RepositoryPageView, 'items'> & {
  items: T[];
};

/**
 * Search and paging of the repository and tag listings, as the spec's `q`, `offset` and `limit`
 * (the generated client's parameters; the docr frontend passes one to the other).
 *
 * @public
 */
export type ListingQuery = {
  /** A case-insensitive substring of the name (or tag); empty searches nothing. */
  q?: string;
  /** Items to skip. */
  offset?: number;
  /** Items per page, at most `MAX_LISTING_LIMIT`. */
  limit?: number;
};

/**
 * The most items one page of the repository and tag listings holds (the spec's maximum of
 * `limit`).
 *
 * @public
 */
export const MAX_LISTING_LIMIT = 200;
