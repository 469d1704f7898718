import type express from 'express';
import { serializeError } from '@backstage/errors';
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
