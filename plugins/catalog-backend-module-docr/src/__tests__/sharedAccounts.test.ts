import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { DoEmulator } from '@backstage-docr/do-emulator';
import {
  DigitalOceanAccounts,
  DigitalOceanClient,
  digitalOceanAccountsServiceRef,
} from '@backstage-docr/plugin-docr-node';
import { startCatalogBackend } from '../__testUtils__/demoCatalog';
import { catalogConfig } from '../__testUtils__/harness';

describe('one DigitalOcean client per account in one backend', () => {
  let emulator: DoEmulator;
  afterEach(() => emulator?.stop());

  it('the catalog provider reads DigitalOcean through the client another plugin holds', async () => {
    emulator = await DoEmulator.start({
      seed: {
        account: { subscriptionTier: 'basic' },
        registries: [{ name: 'acme' }],
      },
    });
    const fromConfig = jest.spyOn(DigitalOceanAccounts, 'fromConfig');
    let otherClient: DigitalOceanClient | undefined;
    // Another plugin of the same backend (as the docr backend or the scaffolder actions are).
    const otherPlugin = createBackendPlugin({
      pluginId: 'other',
      register(env) {
        env.registerInit({
          deps: { accounts: digitalOceanAccountsServiceRef },
          async init({ accounts }) {
            otherClient = accounts.client('default');
          },
        });
      },
    });
    const { backend, scheduler } = await startCatalogBackend({
      config: catalogConfig(emulator.url),
      features: [otherPlugin],
    });
    try {
      // The `digitalocean` block is read once for the whole backend.
      expect(fromConfig).toHaveBeenCalledTimes(1);
      const listRegistries = jest.spyOn(otherClient!, 'listRegistries');
      const listClusters = jest.spyOn(otherClient!, 'listClusters');
      await scheduler.triggerTask('digitalocean-provider:default:refresh');
      // The provider's run went through the other plugin's client instance, so both share its
      // retries, timeouts and rate-limit waits: one budget per account.
      expect(listRegistries).toHaveBeenCalledTimes(1);
      expect(listClusters).toHaveBeenCalledTimes(1);
      expect(emulator.requests.count('registries_list')).toBe(1);
    } finally {
      fromConfig.mockRestore();
      await backend.stop();
    }
  });
});
