import net from 'node:net';
import path from 'node:path';
import {
  ConfigSources,
  FileConfigSource,
  StaticConfigSource,
} from '@backstage/config-loader';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  DigitalOceanAccountsService,
  digitalOceanAccountsServiceRef,
  readDeclaredEmulator,
} from '@backstage-docr/plugin-docr-node';
import { digitalOceanAccountsWithDeclaredEmulator } from '../emulator';

const root = path.resolve(__dirname, '../../../..');

/** The portal's real config files, with the given environment for `${...}` substitutions. */
async function portalConfig(
  files: string[],
  env: Record<string, string>,
  extra: object = {},
) {
  const source = ConfigSources.merge([
    ...files.map(file =>
      FileConfigSource.create({
        path: path.join(root, file),
        substitutionFunc: async name => env[name],
      }),
    ),
    StaticConfigSource.create({ data: extra }),
  ]);
  const config = await ConfigSources.toConfig(source);
  config.close();
  return config;
}

const PRODUCTION = ['app-config.yaml', 'app-config.production.yaml'];
const POSTGRES = {
  POSTGRES_HOST: 'db',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'secret',
};

/** A plugin that asks for the DigitalOcean accounts, as the docr plugins do at start-up. */
function accountsUser(seen: { accounts?: DigitalOceanAccountsService }) {
  return createBackendPlugin({
    pluginId: 'accounts-user',
    register(env) {
      env.registerInit({
        deps: { accounts: digitalOceanAccountsServiceRef },
        async init({ accounts }) {
          seen.accounts = accounts;
          accounts.client();
        },
      });
    },
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('the emulator starts only when declared, never in production', () => {
  const nodeEnv = process.env.NODE_ENV;
  const saved = {
    DIGITALOCEAN_TOKEN: process.env.DIGITALOCEAN_TOKEN,
    DIGITALOCEAN_ACCESS_TOKEN: process.env.DIGITALOCEAN_ACCESS_TOKEN,
  };
  beforeEach(() => {
    delete process.env.DIGITALOCEAN_TOKEN;
    delete process.env.DIGITALOCEAN_ACCESS_TOKEN;
  });
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
    Object.assign(process.env, saved);
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
  });

  it('the production config declares no emulator, and the backend stops at start-up naming digitalocean.token', async () => {
    // Before: the backend started the emulator whenever DIGITALOCEAN_TOKEN was unset, and a
    // missing token was accepted for any non-DigitalOcean apiUrl.
    const config = await portalConfig(PRODUCTION, POSTGRES);
    expect(readDeclaredEmulator(config)).toBeUndefined();
    await expect(
      startTestBackend({
        features: [
          digitalOceanAccountsWithDeclaredEmulator,
          accountsUser({}),
          mockServices.rootConfig.factory({ data: config.get() as any }),
        ],
      }),
    ).rejects.toThrow(
      'No DigitalOcean API token for account "default": set digitalocean.token',
    );
  });

  it('with a token, the production config talks to DigitalOcean', async () => {
    const config = await portalConfig(PRODUCTION, {
      ...POSTGRES,
      DIGITALOCEAN_TOKEN: 'dop_v1_example',
    });
    const seen: { accounts?: DigitalOceanAccountsService } = {};
    const backend = await startTestBackend({
      features: [
        digitalOceanAccountsWithDeclaredEmulator,
        accountsUser(seen),
        mockServices.rootConfig.factory({ data: config.get() as any }),
      ],
    });
    try {
      expect(seen.accounts!.list()).toEqual([
        expect.objectContaining({
          apiUrl: 'https://api.digitalocean.com',
          hasToken: true,
          tokenSource: 'digitalocean.token',
        }),
      ]);
    } finally {
      await backend.stop();
    }
  });

  it('the development config starts the declared emulator with the demo account, and stops it with the backend', async () => {
    const port = await freePort();
    const registryPort = await freePort();
    const config = await portalConfig(
      ['app-config.yaml'],
      {},
      { digitalocean: { emulator: { port, registryPort } } },
    );
    const seen: { accounts?: DigitalOceanAccountsService } = {};
    const backend = await startTestBackend({
      features: [
        digitalOceanAccountsWithDeclaredEmulator,
        accountsUser(seen),
        mockServices.rootConfig.factory({ data: config.get() as any }),
      ],
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      expect(seen.accounts!.list()[0]).toMatchObject({ apiUrl: url });
      const names = (await seen.accounts!.client().listRegistries()).map(
        r => r.name,
      );
      expect(names.length).toBeGreaterThan(0);
      const challenge = await fetch(`http://127.0.0.1:${registryPort}/v2/`);
      expect(challenge.status).toBe(401);
    } finally {
      await backend.stop();
    }
    await expect(fetch(`${url}/_emulator/health`)).rejects.toThrow();
    await expect(
      fetch(`http://127.0.0.1:${registryPort}/v2/`),
    ).rejects.toThrow();
  });

  it('refuses to start a declared emulator when NODE_ENV is production', async () => {
    const config = await portalConfig(['app-config.yaml'], {});
    process.env.NODE_ENV = 'production';
    await expect(
      startTestBackend({
        features: [
          digitalOceanAccountsWithDeclaredEmulator,
          accountsUser({}),
          mockServices.rootConfig.factory({ data: config.get() as any }),
        ],
      }),
    ).rejects.toThrow(
      'digitalocean.emulator is declared but NODE_ENV is production',
    );
  });
});
