import type { Config } from '@backstage/config';

/** How an account's registry host client paces itself (`digitalocean.registryHost`). */
export interface RegistryHostSettings {
  maxConcurrency: number;
  requestsPerSecond: number;
}

/**
 * Defaults kept well under what a registry host is likely to allow: DigitalOcean does not publish
 * registry.digitalocean.com's limits, and a 429 is waited out anyway.
 */
export const DEFAULT_REGISTRY_HOST_SETTINGS: RegistryHostSettings = {
  maxConcurrency: 4,
  requestsPerSecond: 10,
};

/** Reads `digitalocean.registryHost`, naming the key of any value out of range. */
export function readRegistryHostSettings(
  block: Config | undefined,
): RegistryHostSettings {
  const host = block?.getOptionalConfig('registryHost');
  const maxConcurrency =
    host?.getOptionalNumber('maxConcurrency') ??
    DEFAULT_REGISTRY_HOST_SETTINGS.maxConcurrency;
  if (
    !Number.isInteger(maxConcurrency) ||
    maxConcurrency < 1 ||
    maxConcurrency > 64
  ) {
    throw new Error(
      `digitalocean.registryHost.maxConcurrency must be a whole number from 1 to 64, got ${maxConcurrency}`,
    );
  }
  const requestsPerSecond =
    host?.getOptionalNumber('requestsPerSecond') ??
    DEFAULT_REGISTRY_HOST_SETTINGS.requestsPerSecond;
  if (!(requestsPerSecond > 0) || requestsPerSecond > 1000) {
    throw new Error(
      `digitalocean.registryHost.requestsPerSecond must be above 0 and at most 1000, got ${requestsPerSecond}`,
    );
  }
  return { maxConcurrency, requestsPerSecond };
}
