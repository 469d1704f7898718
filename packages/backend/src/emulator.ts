import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  DoEmulator,
  demoSeedPath,
  loadSeedFile,
} from '@backstage-docr/do-emulator';
import {
  DigitalOceanAccounts,
  digitalOceanAccountsServiceRef,
  readDeclaredEmulator,
} from '@backstage-docr/plugin-docr-node';

/**
 * The DigitalOcean accounts of the portal, as `docr-node`'s default factory builds them, except
 * that when the config declares `digitalocean.emulator` (app-config.yaml does, for development)
 * the emulator is started first, in-process, and stopped with the backend. Nothing else starts
 * it: a config without the declaration (app-config.production.yaml sets it to null) talks to
 * DigitalOcean, and fails at start-up without a token.
 */
export const digitalOceanAccountsWithDeclaredEmulator = createServiceFactory({
  service: digitalOceanAccountsServiceRef,
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
    lifecycle: coreServices.rootLifecycle,
  },
  async factory({ config, logger, lifecycle }) {
    const declared = readDeclaredEmulator(config);
    if (declared) {
      if (process.env.NODE_ENV === 'production') {
        throw new Error(
          'digitalocean.emulator is declared but NODE_ENV is production: the emulator serves made-up data. Remove digitalocean.emulator (set it to null in the production config)',
        );
      }
      const emulator = await DoEmulator.start({
        host: declared.host,
        port: declared.port,
        registryPort: declared.registryPort,
        seed: loadSeedFile(
          !declared.seed || declared.seed === 'demo'
            ? demoSeedPath
            : path.resolve(declared.seed),
        ),
        gcStepMs: declared.gcStepMs ?? 5000,
        storageLagMs: declared.storageLagMs ?? 0,
      });
      lifecycle.addShutdownHook(() => emulator.stop());
      logger.warn(
        `digitalocean.emulator is declared: the DigitalOcean API emulator serves ${
          declared.seed ?? 'demo'
        } data at ${emulator.url} (registry host ${
          emulator.registryUrl
        }), and accounts without an apiUrl use it`,
      );
    }
    return DigitalOceanAccounts.fromConfig(config, {
      logger: logger.child({ service: 'digitalocean' }),
    });
  },
});
