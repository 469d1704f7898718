import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import type { CachedPageView } from '@backstage-docr/plugin-docr-common';

import { useRetryWhileListing } from './useRetryWhileListing';

export { LISTING_RETRY_MS } from './useRetryWhileListing';
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
 * and paged on the backend; asked again while the backend lists it (`useRetryWhileListing`).
 */
export function useCachedListing<
  T,
  Page extends CachedPageView<T> = CachedPageView<T>,
>(load: (query: ListingPageQuery) => Promise<Page>, deps: unknown[]) {
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
  const listing = useRetryWhileListing(state);
  return { ...state, listing, page, setPage, search, setSearch };
}

export type CachedListingState<T> = ReturnType<typeof useCachedListing<T>>;
