import {
  type LoggerService,
  type SchedulerService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { docrCatalogRefreshPermission } from '@backstage-docr/plugin-docr-common';
import {
  type DigitalOceanAccountsService,
  digitalOceanAccountsServiceRef,
} from '@backstage-docr/plugin-docr-node';
import { DigitalOceanEntityProvider } from './DigitalOceanEntityProvider';
import {
  DigitalOceanProviderConfig,
  readProviderConfigs,
} from './providerConfig';
import { createRefreshRouter } from './refreshRouter';
import { entityLocationReader } from './shadowedEntities';
import { readRefreshLimits } from './refreshPacing';

/**
 * The catalog module that emits DigitalOcean Container Registries and DOKS clusters, one entity
 * provider per entry under `catalog.providers.digitalocean`. The API clients come from the
 * backend's shared DigitalOcean accounts service, so the catalog, the docr backend and the
 * scaffolder actions use one client, and one rate budget, per account.
 *
 * @public
 */
export const catalogModuleDigitalOceanContainerRegistry = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'digitalocean-container-registry',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        accounts: digitalOceanAccountsServiceRef,
        catalogService: catalogServiceRef,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        accounts,
        catalogService,
        auth,
        lifecycle,
      }) {
        const providerConfigs = readProviderConfigs(config);
        const stopping = new AbortController();
        lifecycle.addShutdownHook(() => stopping.abort());
        // Whether a location registered before the provider holds one of its entity refs.
        const catalogLocations = entityLocationReader(async entityRefs =>
          catalogService.getEntitiesByRefs(
            { entityRefs, fields: ['kind', 'metadata'] },
            { credentials: await auth.getOwnServiceCredentials() },
          ),
        );
        const providers = createProviders(providerConfigs, {
          accounts,
          scheduler,
          logger,
          catalogLocations,
          signal: stopping.signal,
        });
        if (!providers.length) {
          logger.warn(
            'No providers under catalog.providers.digitalocean: no DigitalOcean entities will be emitted',
          );
        }
        catalog.addEntityProvider(providers);
        permissionsRegistry.addPermissions([docrCatalogRefreshPermission]);
        httpRouter.use(
          createRefreshRouter({
            providers,
            httpAuth,
            permissions,
            scheduler,
            logger,
            signal: stopping.signal,
            limits: refreshLimitsOf(config, providerConfigs),
          }),
        );
      },
    });
  },
});

/** One entity provider per entry, each on its account's client and its own schedule. */
function createProviders(
  providerConfigs: DigitalOceanProviderConfig[],
  deps: {
    accounts: DigitalOceanAccountsService;
    scheduler: SchedulerService;
    logger: LoggerService;
    catalogLocations: ReturnType<typeof entityLocationReader>;
    /** Aborted when the backend stops (the providers' background CA reads stop). */
    signal: AbortSignal;
  },
): DigitalOceanEntityProvider[] {
  const { accounts, scheduler, logger, catalogLocations, signal } = deps;
  return providerConfigs.map(providerConfig => {
    if (!accounts.has(providerConfig.account)) {
      throw new Error(
        `catalog.providers.digitalocean.${providerConfig.id}.account "${providerConfig.account}" is not an account under digitalocean.accounts`,
      );
    }
    return new DigitalOceanEntityProvider({
      id: providerConfig.id,
      // Fails here, at start-up, when the account has no token.
      client: accounts.client(providerConfig.account),
      context: {
        account: providerConfig.account,
        owner: providerConfig.owner,
        lifecycle: providerConfig.lifecycle,
        system: providerConfig.system,
      },
      taskRunner: scheduler.createScheduledTaskRunner({
        ...providerConfig.schedule,
        scope: 'global',
      }),
      logger: logger.child({ provider: providerConfig.id }),
      catalogLocations,
      signal,
    });
  });
}

/** Each provider's refresh limits (`catalog.providers.digitalocean.<id>.refresh`), by provider name. */
function refreshLimitsOf(
  config: Config,
  providerConfigs: DigitalOceanProviderConfig[],
) {
  return new Map(
    providerConfigs.map(({ id }) => {
      const key = `catalog.providers.digitalocean.${id}`;
      return [
        `digitalocean-provider:${id}`,
        readRefreshLimits(config.getOptionalConfig(key), key),
      ];
    }),
  );
}
