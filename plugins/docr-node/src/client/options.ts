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
  /** What the client's waits run on (default: the real clock); tests control it. */
  clock?: DigitalOceanClientClock;
}

/**
 * Time as the client sees it: rate-limit pauses and retry backoff are measured and waited on
 * through it. An attempt's `timeoutMs` stays on real time: it bounds a silent socket.
 *
 * @public
 */
export interface DigitalOceanClientClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
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
