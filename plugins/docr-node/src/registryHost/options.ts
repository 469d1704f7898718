import { setTimeout } from 'node:timers/promises';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { CallOptions, DigitalOceanClientClock } from '../client/options';
import type { DockerCredentialsSource } from './RegistryCredentials';
import type { ManifestDocument } from './ociTypes';

/**
 * DigitalOcean Container Registry's registry host, where `docker pull` goes.
 *
 * @public
 */
export const DOCR_REGISTRY_URL = 'https://registry.digitalocean.com';

/**
 * How a RegistryHostClient reaches the registry host, paces itself and keeps time.
 *
 * @public
 */
export interface RegistryHostClientOptions {
  /** The account's DigitalOcean client: read-only docker credentials come from it. */
  credentials: DockerCredentialsSource & { apiUrl: string };
  /** The registry host (default https://registry.digitalocean.com). */
  registryUrl?: string;
  /** Requests in flight at once (default 4). */
  maxConcurrency?: number;
  /** Requests started per second (default 10). */
  requestsPerSecond?: number;
  /** Lifetime asked for the docker credentials (default 300 s); renewed before it ends. */
  credentialLifetimeSeconds?: number;
  /** Time allowed for one attempt (default 30 s). */
  timeoutMs?: number;
  /** Retries after a 5xx, a timeout or a dropped connection (default 2). */
  maxRetries?: number;
  /** Longest single wait for a 429's Retry-After (default 120 s); a longer one fails at once. */
  maxRateLimitWaitMs?: number;
  /** Where waits for a rate limit and retries are told (never a credential or token). */
  logger?: LoggerService;
  /** The HTTP client (default the global fetch). */
  fetch?: typeof globalThis.fetch;
  /**
   * What pacing, Retry-After waits, backoff and expiries run on (default: the real clock);
   * tests control it (the DigitalOcean client's clock, e.g. the emulator's ManualClock). An
   * attempt's `timeoutMs` stays on real time.
   */
  clock?: DigitalOceanClientClock;
}

/**
 * Options of a registry host call.
 *
 * @public
 */
export interface RegistryHostCallOptions extends CallOptions {
  /**
   * Awaited before each HTTP request the call makes, with where it goes: `registryHost` (the
   * request, its retries, and the ping and token it needed first) or `digitalocean` (the docker
   * credentials it needed, from DigitalOcean's API). A caller that spends budgets takes each
   * request from the right one before it is made; a rejection stops the call with that error,
   * the request unmade.
   */
  beforeRequest?: BeforeRegistryHostRequest;
}

/**
 * Where a request of a registry host call goes: the registry host itself, or DigitalOcean's API
 * (the docker credentials), whose rate limits are not the registry host's.
 *
 * @public
 */
export type RegistryHostRequestTarget = 'registryHost' | 'digitalocean';

/**
 * Awaited before each request of a registry host call (see `RegistryHostCallOptions`).
 *
 * @public
 */
export type BeforeRegistryHostRequest = (
  target: RegistryHostRequestTarget,
) => Promise<void>;

export const realClock: DigitalOceanClientClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => setTimeout(ms, undefined, { signal }),
};

/**
 * A manifest as the registry host serves it, its digest verified against its bytes.
 *
 * @public
 */
export interface RegistryManifest {
  /** The manifest's media type, as served (Content-Type), else as the document declares it. */
  mediaType: string;
  /** `sha256:<hex>` of the bytes served. */
  digest: string;
  /** Bytes served. */
  size: number;
  document: ManifestDocument;
}

/**
 * What a HEAD of a manifest tells: the digest a tag resolves to, without the manifest's bytes.
 *
 * @public
 */
export interface ManifestHead {
  /** The Content-Type the host would serve. */
  mediaType?: string;
  /** Docker-Content-Digest. */
  digest: string;
  /** Content-Length, when given. */
  size?: number;
}
