import type { LoggerService } from '@backstage/backend-plugin-api';

/** @public */
export const DIGITALOCEAN_API_URL = 'https://api.digitalocean.com';

/** @public */
export interface DigitalOceanClientOptions {
  token: string;
  /** Base URL without `/v2` (default https://api.digitalocean.com). */
  apiUrl?: string;
  /** Time allowed for one attempt of a request (default 30 s). */
  timeoutMs?: number;
  /** Retries of a failed request that is safe to repeat (default 3). */
  maxRetries?: number;
  /** Longest single wait for a rate limit to reset (default 120 s). */
  maxRateLimitWaitMs?: number;
  /** First retry backoff step (default 250 ms); tests shorten it. */
  baseBackoffMs?: number;
  logger?: LoggerService;
  fetch?: typeof globalThis.fetch;
}

/**
 * Options every call takes.
 *
 * @public
 */
export interface CallOptions {
  signal?: AbortSignal;
}

/** @public */
export interface DockerCredentialsOptions extends CallOptions {
  /** Read-write credentials; read-only unless asked for. */
  readWrite?: boolean;
  /** Lifetime of the credentials in seconds; 0 means they never expire. */
  expirySeconds?: number;
}
