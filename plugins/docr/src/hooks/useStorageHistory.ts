import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { DocrRegistryRef, docrApiRef } from '../api';

/** A registry's storage samples (hourly) over the last `days` days. */
export function useStorageHistory(
  { name, account }: DocrRegistryRef,
  days: number,
) {
  const api = useApi(docrApiRef);
  return useAsyncRetry(
    () => api.getStorage({ name, account }, days),
    [api, name, account, days],
  );
}
