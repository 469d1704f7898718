import type express from 'express';
import Router from 'express-promise-router';
import { NotFoundError } from '@backstage/errors';
import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { AccountScope } from '../accountScopes';
import { createAccountRouter } from './router';

export interface RouterOptions {
  scopes: AccountScope[];
  /** The account of the routes that name none (`/registries/...`). */
  defaultAccount: string;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  now: () => Date;
  /** Asks the GC task to list the accounts now (the first listing not being done yet). */
  listNow?: () => Promise<void>;
}

/**
 * The REST API under /api/docr: each collected account's routes under `/accounts/:account`,
 * and the default account's also at the root, as before accounts were named.
 */
export function createRouter(options: RouterOptions): express.Router {
  const { scopes, defaultAccount, ...shared } = options;
  const routers = new Map(
    scopes.map(scope => [
      scope.account,
      createAccountRouter({ ...scope, ...shared }),
    ]),
  );
  const router = Router();

  router.get('/accounts', (_req, res) => {
    res.json({
      items: scopes.map(({ account }) => ({
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
          `The docr backend collects no DigitalOcean account "${req.params.account}" (it collects ${[...routers.keys()].join(', ')}: docr.accounts, digitalocean.accounts)`,
        );
      }
      accountRouter(req, res, next);
    },
  );
  router.use(routers.get(defaultAccount)!);
  return router;
}
