import { useEffect, useRef } from 'react';
import { ResponseError } from '@backstage/errors';

/** The longest wait between two asks while the docr backend lists from DigitalOcean. */
export const LISTING_RETRY_MS = 2_000;
/** The first ask again comes soon: a small registry is listed within a fraction of a second. */
export const FIRST_LISTING_RETRY_MS = 250;

/**
 * A 503 from the docr backend means it is listing from DigitalOcean now: asks again, soon at
 * first and then every {@link LISTING_RETRY_MS} (doubling from {@link FIRST_LISTING_RETRY_MS}),
 * until the listing is there. Other errors stay until the user retries. Returns whether the
 * backend is listing.
 */
export function useRetryWhileListing(state: {
  error?: Error;
  loading?: boolean;
  retry: () => void;
}): boolean {
  const { error, loading, retry } = state;
  const listing = ResponseError.is(error) && error.statusCode === 503;
  const attempts = useRef(0);
  useEffect(() => {
    if (!listing) {
      attempts.current = 0;
      return undefined;
    }
    // The previous 503 stays while the next ask is under way: wait for its answer.
    if (loading) return undefined;
    const delay = Math.min(
      LISTING_RETRY_MS,
      FIRST_LISTING_RETRY_MS * 2 ** attempts.current++,
    );
    // Keyed on the error too: each 503 answer waits once more.
    const timer = setTimeout(retry, delay);
    return () => clearTimeout(timer);
  }, [listing, loading, error, retry]);
  return listing;
}
