import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { DocrRegistryRef, docrApiRef } from '../api';
import { useRetryWhileListing } from './useRetryWhileListing';

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
  const listing = useRetryWhileListing(state);
  return { ...state, listing };
}
