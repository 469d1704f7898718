import { useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { DocrRegistryRef, docrApiRef } from '../api';
import { LISTING_RETRY_MS } from './useCachedListing';

/**
 * What the registry's retention rules would delete now. A 503 means the backend is listing the
 * registry's tags and manifests from DigitalOcean: asked again until they are there.
 */
export function useRetentionPreview({ name, account }: DocrRegistryRef) {
  const api = useApi(docrApiRef);
  const state = useAsyncRetry(
    () => api.getRetentionPreview({ name, account }),
    [api, name, account],
  );
  const { error, retry } = state;
  const listing = ResponseError.is(error) && error.statusCode === 503;
  useEffect(() => {
    if (!listing) return undefined;
    const timer = setTimeout(retry, LISTING_RETRY_MS);
    return () => clearTimeout(timer);
  }, [listing, error, retry]);
  return { ...state, listing };
}
