/**
 * What the repositories and tags part of the REST API shares beyond its generated types
 * (src/schema/openapi, from the docr backend's OpenAPI spec).
 */
import type { ListRepositories, RepositoryPageView } from './schema/openapi';

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
 * Search and paging of the repository and tag listings (`q`, `offset`, `limit`).
 *
 * @public
 */
export type ListingQuery = NonNullable<ListRepositories['query']>;

/**
 * The most items one page of the repository and tag listings holds (the spec's maximum of
 * `limit`).
 *
 * @public
 */
export const MAX_LISTING_LIMIT = 200;
