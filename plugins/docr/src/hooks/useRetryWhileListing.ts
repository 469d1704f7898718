import { useEffect } from 'react';
import { ResponseError } from '@backstage/errors';

/** The docr backend's Retry-After while it lists from DigitalOcean. */
export const LISTING_RETRY_MS = 2_000;

/**
 * A 503 from the docr backend means it is listing from DigitalOcean now: asks again every
 * {@link LISTING_RETRY_MS} until the listing is there. Other errors stay until the user retries.
 * Returns whether the backend is listing.
 */
export function useRetryWhileListing(state: {
  error?: Error;
  retry: () => void;
}): boolean {
  const { error, retry } = state;
  const listing = ResponseError.is(error) && error.statusCode === 503;
  useEffect(() => {
    if (!listing) return undefined;
    // Keyed on the error too: each 503 answer waits once more.
    const timer = setTimeout(retry, LISTING_RETRY_MS);
    return () => clearTimeout(timer);
  }, [listing, error, retry]);
  return listing;
}
