import type { BeforeRegistryHostRequest } from '@backstage-docr/plugin-docr-node';
import type { ManifestReader } from './graph';
import type { RunGuard } from './RunGuard';

/**
 * What a registry host call awaits before each request it makes (see the client's
 * `beforeRequest`): one call taken from the registry host's budget, or from DigitalOcean's for
 * the docker credentials, each shared by every replica. Throws, leaving the request unmade,
 * once the run is stopped.
 */
export function budgetGate(
  guard: RunGuard,
  counted?: { requests: number },
): BeforeRegistryHostRequest {
  return async target => {
    const stopped = await guard.take(target);
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
