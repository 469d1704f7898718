import { toError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { rateLimitWaitMs } from '../transport';
import { RegistryHostError } from './errors';
import { Pacer, PacerClock } from './Pacer';
import { GateRefused } from './sharedRequest';
import type { BeforeRegistryHostRequest } from './options';

/**
 * What the client asked the registry host, by purpose. Every HTTP request is counted once,
 * retries and waits included.
 *
 * @public
 */
export type RegistryHostCallKind =
  'ping' | 'token' | 'manifest' | 'headManifest' | 'referrers' | 'tags';

/**
 * The registry host calls made by one client since it was created.
 *
 * @public
 */
export interface RegistryHostCallCounts {
  total: number;
  byKind: Record<RegistryHostCallKind, number>;
  /** Answers that were 429. */
  rateLimited: number;
}

export interface RegistryHostTransportOptions {
  pacer: Pacer;
  clock: PacerClock;
  timeoutMs: number;
  maxRetries: number;
  maxRateLimitWaitMs: number;
  maxRateLimitRetries: number;
  fetch: typeof globalThis.fetch;
  logger?: LoggerService;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

/**
 * One HTTP request to the registry host (always a GET or HEAD, safe to repeat), paced and
 * counted: 429 waited out as Retry-After says (pausing the account's other requests too), 5xx,
 * timeouts and dropped connections retried with backoff. Returns the final answer; headers come
 * from the caller and are never logged.
 */
export class RegistryHostTransport {
  readonly counts: RegistryHostCallCounts = {
    total: 0,
    byKind: {
      ping: 0,
      token: 0,
      manifest: 0,
      headManifest: 0,
      referrers: 0,
      tags: 0,
    },
    rateLimited: 0,
  };

  constructor(private readonly options: RegistryHostTransportOptions) {}

  async send(
    kind: RegistryHostCallKind,
    url: URL,
    init: {
      method: 'GET' | 'HEAD';
      headers: Headers;
      signal?: AbortSignal;
      /** Awaited before each attempt, outside the pacer's slots. */
      beforeRequest?: BeforeRegistryHostRequest;
    },
  ): Promise<Response> {
    const operation = `${init.method} ${url.pathname}`;
    let failures = 0;
    let rateLimitWaits = 0;
    for (;;) {
      try {
        await init.beforeRequest?.('registryHost');
      } catch (error) {
        throw new GateRefused(error);
      }
      const result = await this.options.pacer.run(
        () => this.attempt(kind, url, init, operation),
        init.signal,
      );
      const response = result instanceof Response ? result : undefined;
      if (response?.status === 429) {
        const waitMs =
          rateLimitWaitMs(response.headers, this.options.clock.now()) ??
          backoff(rateLimitWaits);
        this.options.pacer.pauseFor(waitMs);
        if (
          rateLimitWaits >= this.options.maxRateLimitRetries ||
          waitMs > this.options.maxRateLimitWaitMs
        )
          return response;
        rateLimitWaits++;
        await response.body?.cancel();
        this.options.logger?.warn(
          `Registry host rate limit reached on ${operation}; waiting ${waitMs} ms as it asks (wait ${rateLimitWaits} of ${this.options.maxRateLimitRetries})`,
        );
        await this.options.clock.sleep(waitMs, init.signal);
        continue;
      }
      const retryable = !response || RETRYABLE_STATUS.has(response.status);
      if (!retryable) return response!;
      if (failures >= this.options.maxRetries) {
        if (response) return response;
        throw result;
      }
      failures++;
      const delay = backoff(failures - 1);
      await response?.body?.cancel();
      this.options.logger?.warn(
        `Registry host ${operation} ${response ? `answered ${response.status}` : `failed (${(result as Error).message})`}; retry ${failures} of ${this.options.maxRetries} in ${delay} ms`,
      );
      await this.options.clock.sleep(delay, init.signal);
    }
  }

  /** One attempt: the answer, or the error that kept it from coming. */
  private async attempt(
    kind: RegistryHostCallKind,
    url: URL,
    init: { method: 'GET' | 'HEAD'; headers: Headers; signal?: AbortSignal },
    operation: string,
  ): Promise<Response | RegistryHostError> {
    this.counts.total++;
    this.counts.byKind[kind]++;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signals = init.signal ? [init.signal, timeout] : [timeout];
    try {
      const response = await this.options.fetch(url, {
        method: init.method,
        headers: init.headers,
        // A redirect would carry the Authorization header to a host we did not choose.
        redirect: 'error',
        signal: AbortSignal.any(signals),
      });
      if (response.status === 429) this.counts.rateLimited++;
      return response;
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      return timeout.aborted
        ? new RegistryHostError({
            operation,
            code: 'TIMEOUT',
            message: `no answer in ${this.options.timeoutMs} ms`,
          })
        : new RegistryHostError({
            operation,
            code: 'NETWORK',
            message: networkReason(error),
          });
    }
  }
}

function backoff(attempt: number): number {
  const ceiling = Math.min(8_000, 250 * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function networkReason(error: unknown): string {
  // undici wraps the socket error in `cause`: keep its code and message, never the request.
  const cause = (error as { cause?: { code?: string; message?: string } })
    ?.cause;
  if (cause?.code)
    return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return toError(error).message;
}
