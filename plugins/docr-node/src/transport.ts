import { setTimeout } from 'node:timers/promises';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { attemptSignal } from './attemptSignal';
import type { DigitalOceanClientClock } from './client/options';
import { DigitalOceanNetworkError, DigitalOceanTimeoutError } from './errors';

export interface TransportOptions {
  token: string;
  /** Time allowed for one attempt. */
  timeoutMs: number;
  /** Retries after a 5xx, a dropped connection or a timeout, for requests safe to repeat. */
  maxRetries: number;
  /** Longest single wait for a rate limit to reset; a longer one fails at once. */
  maxRateLimitWaitMs: number;
  /** Rate-limit waits allowed per request before giving up. */
  maxRateLimitRetries?: number;
  /** First backoff step; later ones double, with jitter, up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  logger?: LoggerService;
  fetch?: typeof globalThis.fetch;
  /** Rate-limit pauses and retry backoff run on it (default: the real clock). */
  clock?: DigitalOceanClientClock;
  userAgent?: string;
}

const operations = new WeakMap<Response, string>();

/** `METHOD /path` of the request an error response answers, for error messages. */
export function operationOf(response: Response): string | undefined {
  return operations.get(response);
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

/**
 * POSTs that are safe to repeat: they set state to a value (subscription tier, a set of cluster
 * integrations) or only read (name validation). Creating a registry or starting a garbage
 * collection is not among them: a repeat after a lost answer could act twice.
 */
const REPEATABLE_POSTS = [
  /^\/v2\/registries?\/validate-name$/,
  /^\/v2\/registries?\/subscription$/,
  /^\/v2\/kubernetes\/registr(y|ies)$/,
];

export function isSafeToRepeat(method: string, pathname: string): boolean {
  const upper = method.toUpperCase();
  if (
    upper === 'GET' ||
    upper === 'HEAD' ||
    upper === 'PUT' ||
    upper === 'DELETE'
  )
    return true;
  return (
    upper === 'POST' && REPEATABLE_POSTS.some(pattern => pattern.test(pathname))
  );
}

const realClock: DigitalOceanClientClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => setTimeout(ms, undefined, { signal }),
};

/** How long DigitalOcean asks us to wait: `retry-after` (seconds), else `ratelimit-reset` (epoch s). */
export function rateLimitWaitMs(
  headers: Headers,
  now = Date.now(),
): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get('ratelimit-reset'));
  if (headers.get('ratelimit-reset') !== null && Number.isFinite(reset)) {
    return Math.max(0, reset * 1000 - now);
  }
  return undefined;
}

/**
 * One rate budget per token: once DigitalOcean says it is spent (a 429, or no request left this
 * hour), every caller of the client waits for the reset instead of asking again.
 */
class RateBudget {
  private pausedUntil = 0;

  constructor(
    private readonly clock: DigitalOceanClientClock,
    private readonly maxWaitMs: number,
  ) {}

  pauseFor(waitMs: number) {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + waitMs);
  }

  /** No request left (`ratelimit-remaining: 0`): pause until the reset the headers name. */
  pauseWhenSpent(headers: Headers) {
    if (headers.get('ratelimit-remaining') !== '0') return;
    const resetMs = rateLimitWaitMs(headers, this.clock.now());
    if (resetMs !== undefined) this.pauseFor(resetMs);
  }

  /** Waits out a pause no longer than the longest allowed wait (a longer one is not waited). */
  async waitIfPaused(signal: AbortSignal) {
    const pauseMs = this.pausedUntil - this.clock.now();
    if (pauseMs > 0 && pauseMs <= this.maxWaitMs) {
      await this.clock.sleep(pauseMs, signal);
    }
  }
}

/** One request as the transport repeats it: its body read once, its caller's signal. */
interface Call {
  request: Request;
  operation: string;
  repeatable: boolean;
  body?: ArrayBuffer;
}

/**
 * One attempt's outcome: DigitalOcean's response, or why none came. A response's attempt stays
 * armed while its body is read; `release` disarms it when the response is thrown away.
 */
type Attempt =
  | { response: Response; release: () => void; failure?: undefined }
  | { response?: undefined; release?: undefined; failure: Error };

/**
 * A `fetch` for openapi-fetch that adds the bearer token and applies DigitalOcean's operating
 * rules: waits out 429s as the headers say, retries 5xx, dropped connections and timeouts with
 * bounded jittered backoff where the call is safe to repeat, and aborts each attempt after
 * `timeoutMs` or when the caller's signal aborts. It returns the final response, success or not;
 * errors from the API are turned into typed errors by the client.
 */
export function createTransport(
  options: TransportOptions,
): (request: Request) => Promise<Response> {
  const clock = options.clock ?? realClock;
  const maxRateLimitRetries = options.maxRateLimitRetries ?? 5;
  const budget = new RateBudget(clock, options.maxRateLimitWaitMs);
  const send = attemptSender(options);
  const backoff = backoffOf(options);

  return async function digitalOceanFetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const call: Call = {
      request,
      operation: `${request.method} ${url.pathname}`,
      repeatable: isSafeToRepeat(request.method, url.pathname),
      body: request.body ? await request.arrayBuffer() : undefined,
    };
    let failures = 0;
    let rateLimitWaits = 0;
    for (;;) {
      await budget.waitIfPaused(request.signal);
      const { response, release, failure } = await send(call);
      if (response) budget.pauseWhenSpent(response.headers);
      if (response?.status === 429) {
        const waitMs =
          rateLimitWaitMs(response.headers, clock.now()) ??
          backoff(rateLimitWaits);
        budget.pauseFor(waitMs);
        if (
          rateLimitWaits >= maxRateLimitRetries ||
          waitMs > options.maxRateLimitWaitMs
        ) {
          return answered(response, call);
        }
        rateLimitWaits++;
        await response.body?.cancel();
        release?.();
        options.logger?.warn(
          `DigitalOcean rate limit reached on ${call.operation}; waiting ${waitMs} ms as the API asks (wait ${rateLimitWaits} of ${maxRateLimitRetries})`,
        );
        await clock.sleep(waitMs, request.signal);
        continue;
      }
      const retryable = !response || RETRYABLE_STATUS.has(response.status);
      if (!retryable || !call.repeatable || failures >= options.maxRetries) {
        if (failure) throw failure;
        return answered(response, call);
      }
      failures++;
      const delay = backoff(failures - 1);
      await response?.body?.cancel();
      release?.();
      options.logger?.warn(
        `DigitalOcean API ${call.operation} ${failure ? `failed (${failure.message})` : `answered ${response.status}`}; retry ${failures} of ${options.maxRetries} in ${delay} ms`,
      );
      await clock.sleep(delay, request.signal);
    }
  };
}

/**
 * The response the caller gets; an error is remembered with its operation for the error's
 * message (only errors: an entry per success would cost every call a weak map entry).
 */
function answered(response: Response, call: Call): Response {
  if (!response.ok) operations.set(response, call.operation);
  return response;
}

/**
 * Sends one attempt with the token, bounded by `timeoutMs` of real time and the caller's signal,
 * both through the reading of the answer's body.
 */
function attemptSender(options: TransportOptions) {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  // Kept in this closure only: never on an object that could be logged or thrown.
  const authorization = `Bearer ${options.token}`;
  return async (call: Call): Promise<Attempt> => {
    const { request } = call;
    const headers = new Headers(request.headers);
    headers.set('authorization', authorization);
    if (options.userAgent) headers.set('user-agent', options.userAgent);
    // Real time, whatever the clock: it bounds how long a socket may stay silent.
    const attempt = attemptSignal(request.signal, options.timeoutMs);
    try {
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers,
        body: call.body,
        redirect: 'error',
        signal: attempt.signal,
      });
      return { response, release: attempt.release };
    } catch (error) {
      attempt.release();
      if (request.signal.aborted) throw request.signal.reason;
      return {
        failure: attempt.timedOut()
          ? new DigitalOceanTimeoutError(call.operation, options.timeoutMs)
          : new DigitalOceanNetworkError(call.operation, networkReason(error)),
      };
    }
  };
}

/** Jittered exponential backoff: the attempt's step between half and all of its ceiling. */
function backoffOf(options: TransportOptions) {
  const baseBackoffMs = options.baseBackoffMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 8_000;
  return (attempt: number): number => {
    const ceiling = Math.min(maxBackoffMs, baseBackoffMs * 2 ** attempt);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  };
}

function networkReason(error: unknown): string {
  // undici wraps the socket error in `cause`; keep its code and message only, never the request.
  const cause = (error as { cause?: { code?: string; message?: string } })
    ?.cause;
  if (cause?.code)
    return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return toError(error).message;
}
