import {
  SchedulerService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  DoEmulator,
  DoEmulatorOptions,
  demoSeedPath,
  loadSeedFile,
} from '@backstage-docr/do-emulator';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModule from '..';
import { TestBackend, catalogConfig } from './harness';

/**
 * A real catalog backend with our provider, and the catalog's scheduler captured so tests run
 * the provider's task when they choose (nothing runs at start-up). `config` is the whole root
 * config (e.g. {@link catalogConfig}'s); `features` add to the backend (e.g. another plugin).
 */
export async function startCatalogBackend(options: {
  config: object;
  features?: any[];
}): Promise<{ backend: TestBackend; scheduler: SchedulerService }> {
  let scheduler: SchedulerService | undefined;
  const captureScheduler = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'capture-scheduler',
    register(env) {
      env.registerInit({
        deps: { pluginScheduler: coreServices.scheduler },
        async init({ pluginScheduler }) {
          scheduler = pluginScheduler;
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModule,
      captureScheduler,
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({ data: options.config }),
      ...(options.features ?? []),
    ],
  });
  return { backend, scheduler: scheduler! };
}

/**
 * {@link startCatalogBackend} with the provider reading the emulator's demo account. `features`
 * and `config` add to it (e.g. another plugin and its config).
 */
export async function startDemoCatalog(
  options: {
    features?: any[];
    config?: object;
    /** Catalog locations (absolute file paths), read as a user's registered ones are. */
    locations?: string[];
    /** Added to the emulator's (e.g. a test's `sleep`). */
    emulator?: DoEmulatorOptions;
  } = {},
): Promise<{
  emulator: DoEmulator;
  backend: TestBackend;
  scheduler: SchedulerService;
}> {
  const emulator = await DoEmulator.start({
    seed: loadSeedFile(demoSeedPath),
    validateResponses: true,
    ...options.emulator,
  });
  try {
    const started = await startCatalogBackend({
      config: {
        ...withLocations(catalogConfig(emulator.url), options.locations),
        ...options.config,
      },
      features: options.features,
    });
    return { emulator, ...started };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

function withLocations(
  config: ReturnType<typeof catalogConfig>,
  locations: string[] = [],
) {
  return {
    ...config,
    catalog: {
      ...config.catalog,
      locations: locations.map(target => ({ type: 'file', target })),
    },
  };
}
