import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { ResponseError } from '@backstage/errors';
import type { CachedPageView } from '@backstage-docr/plugin-docr-common';

/** The docr backend's Retry-After while it lists from DigitalOcean. */
export const LISTING_RETRY_MS = 2_000;
export const LISTING_PAGE_SIZE = 20;
/** Typing pauses this long before the search is sent. */
export const SEARCH_DEBOUNCE_MS = 300;

export interface ListingPageQuery {
  q?: string;
  offset: number;
  limit: number;
}

/**
 * One page of a listing the docr backend keeps from DigitalOcean (repositories, tags), searched
 * and paged on the backend. A 503 means the backend is listing it now: asked again every
 * {@link LISTING_RETRY_MS} until it is there. Other errors stay until the user retries.
 */
export function useCachedListing<T>(
  load: (query: ListingPageQuery) => Promise<CachedPageView<T>>,
  deps: unknown[],
) {
  const [page, setPage] = useState(0);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useDebounce(
    () => {
      const next = search.trim();
      if (next === q) return;
      setQ(next);
      setPage(0);
    },
    SEARCH_DEBOUNCE_MS,
    [search],
  );
  const state = useAsyncRetry(
    () =>
      load({
        q: q || undefined,
        offset: page * LISTING_PAGE_SIZE,
        limit: LISTING_PAGE_SIZE,
      }),
    [...deps, q, page],
  );
  const { error, retry } = state;
  const listing = ResponseError.is(error) && error.statusCode === 503;
  useEffect(() => {
    if (!listing) return undefined;
    // Keyed on the error too: each 503 answer waits once more.
    const timer = setTimeout(retry, LISTING_RETRY_MS);
    return () => clearTimeout(timer);
  }, [listing, error, retry]);
  return { ...state, listing, page, setPage, search, setSearch };
}

export type CachedListingState<T> = ReturnType<typeof useCachedListing<T>>;
