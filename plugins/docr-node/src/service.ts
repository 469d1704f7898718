import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DigitalOceanAccounts } from './DigitalOceanAccounts';
import type { DigitalOceanAccountsService } from './DigitalOceanAccountsService';

/**
 * The DigitalOcean accounts of this backend, one API client per account shared by every plugin
 * and module that depends on this service: they share one rate budget per account. Root-scoped,
 * so the `digitalocean` config block is read once per backend.
 *
 * @public
 */
export const digitalOceanAccountsServiceRef =
  createServiceRef<DigitalOceanAccountsService>({
    id: 'docr.digitalocean-accounts',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.rootLogger,
        },
        factory: ({ config, logger }) =>
          DigitalOceanAccounts.fromConfig(config, {
            logger: logger.child({ service: 'digitalocean' }),
          }),
      }),
  });
