import type { ManifestReader } from './graph';
import type { RunGuard } from './RunGuard';

/**
 * What a registry host call awaits before each request it makes (see the client's
 * `beforeRequest`): one call taken from the run's budget, as DigitalOcean's calls are, so the
 * registry host's requests and the docker credentials they need count in the one budget of
 * every replica. Throws, leaving the request unmade, once the run is stopped.
 */
export function budgetGate(
  guard: RunGuard,
  counted?: { requests: number },
): () => Promise<void> {
  return async () => {
    const stopped = await guard.take();
    if (stopped) throw new Error(`retention stopped (${stopped})`);
    if (counted) counted.requests++;
  };
}

/**
 * A reader whose every request goes through the run's budget (`budgetGate`); `counted` adds up
 * the requests made, for the run's log.
 */
export function guardedReader(
  reader: ManifestReader,
  guard: RunGuard,
  counted: { requests: number },
): ManifestReader {
  const beforeRequest = budgetGate(guard, counted);
  return {
    getManifest: (registry, repository, reference, options) =>
      reader.getManifest(registry, repository, reference, {
        signal: options?.signal,
        beforeRequest,
      }),
  };
}
