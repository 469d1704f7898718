import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { DigitalOceanAccounts } from '@backstage-docr/plugin-docr-node';
import { DigitalOceanEntityProvider } from './DigitalOceanEntityProvider';
import { readProviderConfigs } from './providerConfig';
import { createRefreshRouter } from './refreshRouter';

/**
 * The catalog module that emits DigitalOcean Container Registries and DOKS clusters, one entity
 * provider per entry under `catalog.providers.digitalocean`.
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
      },
      async init({ catalog, config, logger, scheduler, httpRouter, httpAuth }) {
        const providerConfigs = readProviderConfigs(config);
        const accounts = DigitalOceanAccounts.fromConfig(config, { logger });
        const providers = providerConfigs.map(providerConfig => {
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
          });
        });
        if (!providers.length) {
          logger.warn(
            'No providers under catalog.providers.digitalocean: no DigitalOcean entities will be emitted',
          );
        }
        catalog.addEntityProvider(providers);
        httpRouter.use(createRefreshRouter({ providers, httpAuth, logger }));
      },
    });
  },
});
