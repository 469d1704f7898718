import { useCallback, useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { type DocrApi, DocrRegistryRef, docrApiRef } from '../api';

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

type RegistryDetail = Awaited<ReturnType<DocrApi['getRegistry']>>;

/** Requests in flight, per API instance and registry. */
const inFlight = new WeakMap<DocrApi, Map<string, Promise<RegistryDetail>>>();

/**
 * The registry's detail, sharing a request already in flight for it: a registry's page shows
 * the registry card and the GC card, which ask for the same registry as they mount and again on
 * the same timers; one request serves both.
 */
function sharedGetRegistry(
  api: DocrApi,
  registry: DocrRegistryRef,
): Promise<RegistryDetail> {
  let pending = inFlight.get(api);
  if (!pending) {
    pending = new Map();
    inFlight.set(api, pending);
  }
  const key = `${registry.account ?? ''}/${registry.name}`;
  const current = pending.get(key);
  if (current) return current;
  const request = api.getRegistry(registry).finally(() => {
    if (pending.get(key) === request) pending.delete(key);
  });
  pending.set(key, request);
  return request;
}

/**
 * The docr API's view of one registry, refreshed every `refreshMs`, and every
 * {@link BUSY_REFRESH_MS} while a GC runs or after a transient error. `retry` asks anew (not
 * sharing a request in flight, which may predate a change the caller just made).
 */
export function useRegistryDetail(
  registry: DocrRegistryRef | undefined,
  options: { refreshMs?: number } = {},
) {
  const api = useApi(docrApiRef);
  const name = registry?.name;
  const account = registry?.account;
  const fresh = useRef(false);
  const state = useAsyncRetry(async () => {
    if (!name) return undefined;
    const own = fresh.current;
    fresh.current = false;
    return own
      ? api.getRegistry({ name, account })
      : sharedGetRegistry(api, { name, account });
  }, [api, name, account]);
  const busy = Boolean(state.value?.activeRun) || isTransient(state.error);
  const interval = busy
    ? BUSY_REFRESH_MS
    : (options.refreshMs ?? STORAGE_REFRESH_MS);
  const { retry: poll } = state;
  useEffect(() => {
    if (!name) return undefined;
    const timer = setInterval(poll, interval);
    return () => clearInterval(timer);
  }, [name, interval, poll]);
  const retry = useCallback(() => {
    fresh.current = true;
    poll();
  }, [poll]);
  return { ...state, retry };
}
