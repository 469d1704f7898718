import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { DigitalOceanAccounts } from '@backstage-docr/plugin-docr-node';
import { createRegistryAction } from './actions/createRegistry';
import { dockerConfigAction } from './actions/dockerConfig';
import { integrateDoksAction } from './actions/integrateDoks';
import { DigitalOceanClients } from './services/DigitalOceanClients';
import { BackstageApis } from './services/backstageApis';

/** Registers the `digitalocean:registry:*` scaffolder actions. */
export const scaffolderModuleDigitalOceanRegistry = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'digitalocean-container-registry',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, logger, discovery, auth }) {
        const clients = new DigitalOceanClients(
          DigitalOceanAccounts.fromConfig(config, { logger }),
          logger,
        );
        const apis = new BackstageApis(discovery, auth, logger);
        scaffolder.addActions(
          createRegistryAction({ clients, apis }),
          integrateDoksAction({ clients }),
          dockerConfigAction({ clients }),
        );
      },
    });
  },
});
