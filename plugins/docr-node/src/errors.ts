import type { ApiErrorBody } from '@backstage-docr/digitalocean-openapi';

/**
 * DigitalOcean answered with an error. Keeps DigitalOcean's error `id` and `request_id` (quote it
 * to DigitalOcean support). Never holds the token or any request header.
 *
 * @public
 */
export class DigitalOceanApiError extends Error {
  readonly status: number;
  /** DigitalOcean's error id, e.g. `not_found`, `unprocessable_entity`, `too_many_requests`. */
  readonly id: string;
  readonly requestId?: string;
  /** `METHOD /path` of the failed call. */
  readonly operation: string;

  constructor(options: {
    status: number;
    body?: Partial<ApiErrorBody>;
    operation: string;
  }) {
    const id = options.body?.id ?? `http_${options.status}`;
    const detail = options.body?.message ?? 'no message';
    const requestId = options.body?.request_id;
    super(
      `DigitalOcean API ${options.operation} failed with ${options.status} ${id}: ${detail}${
        requestId ? ` (request_id ${requestId})` : ''
      }`,
    );
    this.name = 'DigitalOceanApiError';
    this.status = options.status;
    this.id = id;
    this.requestId = requestId;
    this.operation = options.operation;
  }
}

/**
 * The rate limit was still exhausted after waiting as long as allowed.
 *
 * @public
 */
export class DigitalOceanRateLimitError extends DigitalOceanApiError {
  /** When DigitalOcean said capacity returns, in ms from when the error was made. */
  readonly retryAfterMs?: number;

  constructor(options: {
    body?: Partial<ApiErrorBody>;
    operation: string;
    retryAfterMs?: number;
  }) {
    super({ status: 429, body: options.body, operation: options.operation });
    this.name = 'DigitalOceanRateLimitError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * A request got no answer in time, on every attempt allowed.
 *
 * @public
 */
export class DigitalOceanTimeoutError extends Error {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`DigitalOcean API ${operation} timed out after ${timeoutMs} ms`);
    this.name = 'DigitalOceanTimeoutError';
  }
}

/**
 * The connection failed (refused, reset, dropped) on every attempt allowed.
 *
 * @public
 */
export class DigitalOceanNetworkError extends Error {
  constructor(
    readonly operation: string,
    reason: string,
  ) {
    super(`DigitalOcean API ${operation} failed: ${reason}`);
    this.name = 'DigitalOceanNetworkError';
  }
}

/** @public */
export function isNotFoundError(error: unknown): boolean {
  return error instanceof DigitalOceanApiError && error.status === 404;
}

/** @public */
export function isConflictError(error: unknown): boolean {
  return error instanceof DigitalOceanApiError && error.status === 409;
}
