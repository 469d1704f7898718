import express from 'express';
import { typedRouter, type ApiRequest } from './typedRouter';
import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  docrRegistryReadPermission,
  registryNameProblem,
} from '@backstage-docr/plugin-docr-common';
import { tooManyRequestsHandler } from '@backstage-docr/plugin-docr-node';
import type { AccountScope } from '../accountScopes';
import type { DocrStore } from '../database/DocrStore';
import type { DocrLimits } from '../limits/DocrLimits';
import type { PolicyResolver } from '../PolicyResolver';
import { RegistryAccess, principalRef } from './RegistryAccess';
import { KnownRegistries } from './KnownRegistries';
import { creationRoutes } from './creationRoutes';
import { gcRunRoutes } from './gcRunRoutes';
import { policyRoutes } from './policyRoutes';
import type { RegistryCreationStore } from './RegistryCreationStore';
import { registryRoutes } from './registryRoutes';
import { repositoryRoutes } from './repositoryRoutes';
import { retentionRoutes } from './retentionRoutes';
import { SavingsOptions, savingsRoutes } from './savingsRoutes';
import { NameAvailability, nameAvailabilityRoutes } from './NameAvailability';
import {
  retryAfterOnUnavailable,
  upstreamErrorHandler,
} from './upstreamErrors';

export { NEW_REGISTRY_GRACE_MS } from './policyGrant';

export interface AccountRouterOptions extends AccountScope {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  /** Who each new registry is created for (every account's). */
  creations: RegistryCreationStore;
  now: () => Date;
  /** What users may spend of the account's DigitalOcean budget. */
  limits: DocrLimits;
  /** Asks the GC task to list the account now (the first listing not being done yet). */
  listNow?: () => Promise<void>;
  /** What the savings routes read besides the account's store. */
  savings?: SavingsOptions;
}

function registryName(req: ApiRequest<{ name: string }>): string {
  const problem = registryNameProblem(req.params.name);
  if (problem) throw new InputError(problem);
  return req.params.name;
}

/** What the account router's route groups share. */
export interface RouteDeps {
  access: RegistryAccess;
  registries: KnownRegistries;
  store: DocrStore;
  policies: PolicyResolver;
  now: () => Date;
  /** The registry name of a caller allowed to read it (403 otherwise). */
  reader: (req: ApiRequest<{ name: string }>) => Promise<string>;
  /** The request's registry name, checked against the naming rules (400 otherwise). */
  registryName: (req: ApiRequest<{ name: string }>) => string;
}

/**
 * The REST API of one account's registries: registries with policy, windows and runs; GC now;
 * history; repositories and tags (`repositoryRoutes`); the retention preview (`retentionRoutes`).
 * Reads come from the database only; changes are checked on the registry's catalog entity (in
 * the account's namespace) and audited.
 */
export function createAccountRouter(
  options: AccountRouterOptions,
): express.Router {
  const { store, policies, collector, creations, now } = options;
  const access = new RegistryAccess(options);
  const registries = new KnownRegistries(store, policies, options.client);
  const router = typedRouter();
  router.use(express.json());

  /** The caller, allowed to read the named registry. */
  async function reader(req: ApiRequest<{ name: string }>) {
    const creds = await access.credentials(req);
    const name = registryName(req);
    await access.authorize(creds, docrRegistryReadPermission, name);
    return name;
  }

  const deps: RouteDeps = {
    access,
    registries,
    store,
    policies,
    now,
    reader,
    registryName,
  };
  router.use(registryRoutes({ ...deps, listNow: options.listNow }));
  router.use(policyRoutes({ ...deps, account: options.account, creations }));
  router.use(gcRunRoutes({ ...deps, collector }));
  router.use(imageRoutes(options, deps));
  router.use(accountRoutes(options, deps));
  router.use(retryAfterOnUnavailable());
  router.use(tooManyRequestsHandler());
  router.use(upstreamErrorHandler());
  return router;
}

/** Repositories and tags, and the retention preview over them. */
function imageRoutes(
  options: AccountRouterOptions,
  deps: RouteDeps,
): express.Router {
  const { reader, registries, policies, access, now } = deps;
  const router = typedRouter();
  router.use(
    repositoryRoutes({
      reader,
      registries,
      cache: options.repositories,
      listNow: options.listNow,
      imageGraphs: options.imageGraphs,
      imagesInUse: options.imagesInUse,
    }),
  );

  router.use(
    retentionRoutes({
      reader,
      registries,
      cache: options.repositories,
      policies,
      previews: options.previews,
      now,
      deletesInWindows: options.tagRetentionEnabled,
      listNow: options.listNow,
      imageGraphs: options.imageGraphs,
      imagesInUse: options.imagesInUse,
      coldPreviews: {
        charge: (user, registry) =>
          options.limits.chargeColdPreview(user, options.account, registry),
        userOf: async req => principalRef(await access.credentials(req)),
      },
    }),
  );
  return router;
}

/** The account's savings, registry creations and name checks. */
function accountRoutes(
  options: AccountRouterOptions,
  deps: RouteDeps,
): express.Router {
  const { reader, registries, store, access, now } = deps;
  const { creations } = options;
  const router = typedRouter();
  if (options.savings)
    router.use(
      savingsRoutes({
        ...options.savings,
        account: options.account,
        store,
        access,
        reader,
        now,
      }),
    );

  router.use(
    creationRoutes({
      access,
      creations,
      registries,
      account: options.account,
      registryName,
      now,
    }),
  );

  router.use(
    nameAvailabilityRoutes({
      access,
      availability: new NameAvailability(options.client, now, {
        perUser: options.limits.nameChecks,
        account: {
          limiter: options.limits.accountNameChecks,
          key: options.account,
        },
      }),
    }),
  );
  return router;
}
