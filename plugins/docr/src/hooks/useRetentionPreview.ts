import { useCallback, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError, toError } from '@backstage/errors';
import type {
  RetentionPreviewView,
  RetentionRepositoryPreviewView,
} from '@backstage-docr/plugin-docr-common';
import { DocrRegistryRef, docrApiRef } from '../api';
import { useRetryWhileListing } from './useRetryWhileListing';

/** Repositories asked for a page. */
export const PREVIEW_PAGE_SIZE = 20;

/**
 * What the registry's retention rules would delete now. A 503 means the backend is listing the
 * registry's tags and manifests from DigitalOcean: asked again until they are there. The preview
 * comes a page of repositories at a time: `loadMore` appends the next page of the same preview
 * (its version), or starts again from the first page once the backend has a newer one (409).
 */
export function useRetentionPreview({ name, account }: DocrRegistryRef) {
  const api = useApi(docrApiRef);
  const state = useAsyncRetry(
    () =>
      api.getRetentionPreview(
        { name, account },
        { offset: 0, limit: PREVIEW_PAGE_SIZE },
      ),
    [api, name, account],
  );
  const listing = useRetryWhileListing(state);
  const [more, setMore] = useState<RetentionRepositoryPreviewView[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error>();
  const first = state.value;
  useEffect(() => {
    setMore([]);
    setMoreError(undefined);
  }, [first]);
  const { retry } = state;

  const value: RetentionPreviewView | undefined = first && {
    ...first,
    repositories: [...first.repositories, ...more],
  };
  const shown = value?.repositories.length ?? 0;
  const hasMore = !!first && shown < first.totalRepositories;

  const loadMore = useCallback(async () => {
    if (!first) return;
    setLoadingMore(true);
    try {
      const next = await api.getRetentionPreview(
        { name, account },
        {
          offset: first.repositories.length + more.length,
          limit: PREVIEW_PAGE_SIZE,
          version: first.version,
        },
      );
      setMore(loaded => [...loaded, ...next.repositories]);
    } catch (error) {
      if (ResponseError.is(error) && error.statusCode === 409) retry();
      else setMoreError(toError(error));
    } finally {
      setLoadingMore(false);
    }
  }, [api, name, account, first, more.length, retry]);

  return {
    ...state,
    value,
    listing,
    hasMore,
    loadMore,
    loadingMore,
    moreError,
  };
}
