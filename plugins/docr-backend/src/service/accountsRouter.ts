import type express from 'express';
import { NotFoundError } from '@backstage/errors';
import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { AccountScope } from '../accountScopes';
import type { DocrLimits } from '../limits/DocrLimits';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { readableAccounts } from './readableAccounts';
import { createAccountRouter } from './router';
import type { RegistryCreationStore } from './RegistryCreationStore';
import type { SavingsOptions } from './savingsRoutes';

export interface RouterOptions {
  scopes: AccountScope[];
  /** The account of the routes that name none (`/registries/...`). */
  defaultAccount: string;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  /** Who each new registry is created for (every account's). */
  creations: RegistryCreationStore;
  now: () => Date;
  /** What users may spend of each account's DigitalOcean budget. */
  limits: DocrLimits;
  /** Asks the GC task to list the accounts now (the first listing not being done yet). */
  listNow?: () => Promise<void>;
  /** Checks every answer against the OpenAPI spec too (a 500 when one differs): for tests. */
  validateResponses?: boolean;
  /** What the savings routes read besides the account's store. */
  savings?: SavingsOptions;
}

/**
 * The REST API under /api/docr, as src/schema/openapi.yaml describes it: each collected account's
 * routes under `/accounts/:account`, and the default account's also at the root, as before
 * accounts were named. Requests are validated against the spec first (400 naming the field).
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { scopes, defaultAccount, validateResponses, ...shared } = options;
  const routers = new Map(
    scopes.map(scope => [
      scope.account,
      createAccountRouter({ ...scope, ...shared }),
    ]),
  );
  const router = await createOpenApiRouter({
    validatorOptions: { validateResponses: validateResponses ?? false },
  });

  router.get('/accounts', async (req, res) => {
    const credentials = await shared.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const readable = await readableAccounts(
      scopes,
      shared.permissions,
      credentials,
    );
    res.json({
      items: readable.map(({ account }) => ({
        id: account,
        default: account === defaultAccount,
      })),
    });
  });

  router.use(
    '/accounts/:account',
    (req: express.Request, res: express.Response, next) => {
      const accountRouter = routers.get(req.params.account);
      if (!accountRouter) {
        throw new NotFoundError(
          // Not the collected accounts' ids: GET /accounts lists those the caller may read.
          `The docr backend collects no DigitalOcean account "${req.params.account}" (GET /api/docr/accounts lists those you may read; docr.accounts, digitalocean.accounts)`,
        );
      }
      accountRouter(req, res, next);
    },
  );
  router.use(routers.get(defaultAccount)!);
  return router;
}
