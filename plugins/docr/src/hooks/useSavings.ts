import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { SavingsSubject, docrApiRef } from '../api';

/** What garbage collection and retention saved, month by month, over the last `months` months. */
export function useSavings(
  { account, registry }: SavingsSubject,
  months: number,
) {
  const api = useApi(docrApiRef);
  return useAsyncRetry(
    () => api.getSavings({ account, registry }, { months }),
    [api, account, registry, months],
  );
}
