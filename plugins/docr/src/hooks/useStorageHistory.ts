import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { docrApiRef } from '../api';

/** A registry's storage samples (hourly) over the last `days` days. */
export function useStorageHistory(name: string, days: number) {
  const api = useApi(docrApiRef);
  return useAsyncRetry(() => api.getStorage(name, days), [api, name, days]);
}
