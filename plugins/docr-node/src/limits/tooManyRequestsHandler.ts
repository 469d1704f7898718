import type { ErrorRequestHandler } from 'express';
import { serializeError } from '@backstage/errors';
import { TooManyRequestsError } from './RateLimiter';

/**
 * An Express error handler that answers a {@link TooManyRequestsError} (a limit of a
 * {@link RateLimiter} reached) with 429, when to come back in a `Retry-After` header (whole
 * seconds), and the error in Backstage's error body (`error`, `request`, `response`). Every other
 * error goes on to the next handler, so put it before Backstage's own.
 *
 * @public
 */
export function tooManyRequestsHandler(): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (!(error instanceof TooManyRequestsError)) {
      next(error);
      return;
    }
    res
      .status(429)
      .set('Retry-After', String(error.retryAfterSeconds))
      .json({
        error: serializeError(error),
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 429 },
      });
  };
}
