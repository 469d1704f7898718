import type express from 'express';
import Router from 'express-promise-router';
import type { TypedRouter } from '@backstage/backend-openapi-utils';
import type { EndpointMap } from '../schema/openapi';

/**
 * A router whose handlers the spec types: their path, parameters, query, body and answers
 * (`EndpointMap`, generated from src/schema/openapi.yaml). It validates nothing itself: every
 * request has been validated against the spec by `createRouter` (accountsRouter.ts) before it
 * reaches an account's routes.
 */
export function typedRouter(): TypedRouter<EndpointMap> {
  return Router() as unknown as TypedRouter<EndpointMap>;
}

/** A request of any typed route, for code shared by several routes. */
export type ApiRequest<Params = Record<string, unknown>> = express.Request<
  Params,
  any,
  any,
  any
>;
