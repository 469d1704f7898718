import type express from 'express';
import { isError, serializeError } from '@backstage/errors';
import {
  DigitalOceanApiError,
  DigitalOceanNetworkError,
  DigitalOceanTimeoutError,
} from '@backstage-docr/plugin-docr-node';

/**
 * DigitalOcean failing is not this request's fault: 502, with DigitalOcean's error in the
 * message. Every other error goes on to Backstage's error handler.
 */
export function upstreamErrorHandler(): express.ErrorRequestHandler {
  return (error: Error, req, res, next) => {
    const upstream =
      error instanceof DigitalOceanApiError ||
      error instanceof DigitalOceanTimeoutError ||
      error instanceof DigitalOceanNetworkError;
    if (!upstream) {
      next(error);
      return;
    }
    res.status(502).json({
      error: serializeError(error),
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: 502 },
    });
  };
}

/** Seconds a client is asked to wait before asking again for what is being listed. */
export const RETRY_AFTER_SECONDS = 2;

/** A 503 here means "being listed, come back": it says when, in a Retry-After header. */
export function retryAfterOnUnavailable(): express.ErrorRequestHandler {
  return (error: Error, _req, res, next) => {
    if (isError(error) && error.name === 'ServiceUnavailableError')
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
    next(error);
  };
}
