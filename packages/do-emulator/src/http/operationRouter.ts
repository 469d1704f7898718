import type OpenAPIBackend from 'openapi-backend';
import type { Context } from 'openapi-backend';
import type { EmulatedAccount } from '../model/account';
import { ApiError } from '../model/errors';
import { OperationResult, handlers } from './handlers';
import {
  createOpenApiValidator,
  requestValidationFailure,
} from './openApiValidation';

/** What the request pipeline hands every operation besides its path parameters. */
export interface RequestArgs {
  account: EmulatedAccount;
  query: Record<string, string | undefined>;
  body: unknown;
  url: URL;
}

let router: Promise<OpenAPIBackend> | undefined;

/**
 * The OpenAPI router and validator, built once per process: compiling the spec's schemas takes
 * seconds, and every emulator instance can share them because handlers get their account per call.
 */
export function sharedOperationRouter(): Promise<OpenAPIBackend> {
  router ??= createOpenApiValidator({ mendKnownGaps: true }).then(api => {
    registerHandlers(api);
    return api;
  });
  return router;
}

/** Routes each operationId to its handler, and unknown paths, methods and bad requests to errors. */
function registerHandlers(api: OpenAPIBackend): void {
  api.register({
    notFound: () => ({
      status: 404,
      body: {
        id: 'not_found',
        message: 'The resource you requested could not be found.',
      },
    }),
    methodNotAllowed: (c: Context) => ({
      status: 405,
      body: {
        id: 'method_not_allowed',
        message: `Method ${c.request.method.toUpperCase()} is not allowed on ${c.request.path}`,
      },
    }),
    validationFail: requestValidationFailure,
  });
  // Bearer tokens are checked before routing (401 in DigitalOcean's shape).
  api.registerSecurityHandler('bearer_auth', () => true);
  for (const [operationId, handler] of Object.entries(handlers)) {
    api.register(
      operationId,
      (c: Context, args: RequestArgs): OperationResult => {
        try {
          return handler({
            ...args,
            params: c.request.params as Record<string, string>,
          });
        } catch (error) {
          return apiErrorResult(error);
        }
      },
    );
  }
}

/** DigitalOcean's error shape for an ApiError; anything else is a bug and is rethrown. */
export function apiErrorResult(error: unknown): OperationResult {
  if (error instanceof ApiError) {
    return {
      status: error.status,
      body: { id: error.id, message: error.message },
    };
  }
  throw error;
}
