import { useEffect } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { DocrRegistryRef, docrApiRef } from '../api';

/** Storage changes with pushes and collections; pages follow it (the docr API never calls DigitalOcean). */
export const STORAGE_REFRESH_MS = 10_000;
/** While a GC runs (the registry is read-only) or the docr API is not ready yet, follow it closely. */
export const BUSY_REFRESH_MS = 5_000;

/**
 * A 503 means the docr backend has not listed the account yet (it just started) and a network
 * error may pass; both are worth asking again. Other errors (403, 404) stay until the user retries.
 */
function isTransient(error: Error | undefined): boolean {
  if (!error) return false;
  if (ResponseError.is(error)) return error.statusCode >= 500;
  return error.name === 'TypeError';
}

/**
 * The docr API's view of one registry, refreshed every `refreshMs`, and every
 * {@link BUSY_REFRESH_MS} while a GC runs or after a transient error.
 */
export function useRegistryDetail(
  registry: DocrRegistryRef | undefined,
  options: { refreshMs?: number } = {},
) {
  const api = useApi(docrApiRef);
  const name = registry?.name;
  const account = registry?.account;
  const state = useAsyncRetry(
    async () => (name ? api.getRegistry({ name, account }) : undefined),
    [api, name, account],
  );
  const busy = Boolean(state.value?.activeRun) || isTransient(state.error);
  const interval = busy
    ? BUSY_REFRESH_MS
    : (options.refreshMs ?? STORAGE_REFRESH_MS);
  const { retry } = state;
  useEffect(() => {
    if (!name) return undefined;
    const timer = setInterval(retry, interval);
    return () => clearInterval(timer);
  }, [name, interval, retry]);
  return state;
}
