import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { docrApiRef } from '../api';

export const GC_RUNS_PAGE_SIZE = 10;

/** One page of a registry's GC runs, newest first, with the page to show. */
export function useGcRunHistory(name: string) {
  const api = useApi(docrApiRef);
  const [page, setPage] = useState(0);
  const state = useAsyncRetry(
    () =>
      api.listRuns(name, {
        limit: GC_RUNS_PAGE_SIZE,
        offset: page * GC_RUNS_PAGE_SIZE,
      }),
    [api, name, page],
  );
  return { ...state, page, setPage };
}
