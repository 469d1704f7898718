import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { DocrRegistryRef, docrApiRef } from '../api';

export const GC_RUNS_PAGE_SIZE = 10;

/** One page of a registry's GC runs, newest first, with the page to show. */
export function useGcRunHistory({ name, account }: DocrRegistryRef) {
  const api = useApi(docrApiRef);
  const [page, setPage] = useState(0);
  const state = useAsyncRetry(
    () =>
      api.listRuns(
        { name, account },
        {
          limit: GC_RUNS_PAGE_SIZE,
          offset: page * GC_RUNS_PAGE_SIZE,
        },
      ),
    [api, name, account, page],
  );
  return { ...state, page, setPage };
}
