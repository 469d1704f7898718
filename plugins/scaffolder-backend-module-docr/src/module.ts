import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { digitalOceanAccountsServiceRef } from '@backstage-docr/plugin-docr-node';
import { createRegistryAction } from './actions/createRegistry';
import {
  MAX_EXPIRY_CONFIG_KEY,
  dockerConfigAction,
} from './actions/dockerConfig';
import { integrateDoksAction } from './actions/integrateDoks';
import { DigitalOceanClients } from './services/DigitalOceanClients';
import { BackstageApis } from './services/BackstageApis';
import { InitiatorPermissions } from './services/InitiatorPermissions';

/**
 * Registers the `digitalocean:registry:*` scaffolder actions.
 *
 * @public
 */
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
        permissions: coreServices.permissions,
        accounts: digitalOceanAccountsServiceRef,
      },
      async init({
        scaffolder,
        config,
        logger,
        discovery,
        auth,
        permissions,
        accounts,
      }) {
        const clients = new DigitalOceanClients(accounts, logger);
        const apis = new BackstageApis(discovery, auth, logger);
        const initiatorPermissions = new InitiatorPermissions(permissions);
        scaffolder.addActions(
          createRegistryAction({
            clients,
            apis,
            permissions: initiatorPermissions,
          }),
          integrateDoksAction({ clients, permissions: initiatorPermissions }),
          dockerConfigAction({
            clients,
            permissions: initiatorPermissions,
            maxExpirySeconds: readMaxExpirySeconds(config),
          }),
        );
      },
    });
  },
});

function readMaxExpirySeconds(
  config: import('@backstage/config').Config,
): number | undefined {
  if (!config.has(MAX_EXPIRY_CONFIG_KEY)) return undefined;
  let seconds: number;
  try {
    seconds =
      durationToMilliseconds(
        readDurationFromConfig(config, { key: MAX_EXPIRY_CONFIG_KEY }),
      ) / 1000;
  } catch (error) {
    throw new Error(
      `${MAX_EXPIRY_CONFIG_KEY} must be a duration such as "1d", "PT12H" or { hours: 12 }: ${error}`,
    );
  }
  if (!(seconds >= 60)) {
    throw new Error(
      `${MAX_EXPIRY_CONFIG_KEY} must be at least one minute, got ${seconds} s`,
    );
  }
  return seconds;
}
