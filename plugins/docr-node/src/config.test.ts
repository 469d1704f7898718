import { ConfigReader } from '@backstage/config';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { DigitalOceanAccounts } from './DigitalOceanAccounts';
import { readDeclaredEmulator } from './config';
import { DIGITALOCEAN_API_URL } from './DigitalOceanClient';

describe('DigitalOceanAccounts', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });
  beforeEach(() => {
    delete process.env.DIGITALOCEAN_TOKEN;
    delete process.env.DIGITALOCEAN_ACCESS_TOKEN;
  });

  it('reads the shorthand digitalocean.token as the default account', () => {
    const accounts = DigitalOceanAccounts.fromConfig(
      new ConfigReader({ digitalocean: { token: 't' } }),
    );
    expect(accounts.list()).toEqual([
      {
        id: 'default',
        apiUrl: 'https://api.digitalocean.com',
        registryUrl: 'https://registry.digitalocean.com',
        hasToken: true,
        tokenSource: 'digitalocean.token',
      },
    ]);
    expect(accounts.client().apiUrl).toBe('https://api.digitalocean.com');
  });

  it.each(['DIGITALOCEAN_TOKEN', 'DIGITALOCEAN_ACCESS_TOKEN'])(
    'falls back to %s as doctl does',
    name => {
      process.env[name] = 'from-env';
      const accounts = DigitalOceanAccounts.fromConfig(new ConfigReader({}));
      expect(accounts.list()[0]).toMatchObject({
        hasToken: true,
        tokenSource: name,
      });
      expect(JSON.stringify(accounts.list())).not.toContain('from-env');
    },
  );

  it('reads several accounts, each with its own token and URL', () => {
    const accounts = DigitalOceanAccounts.fromConfig(
      new ConfigReader({
        digitalocean: {
          accounts: [
            { id: 'default', token: 'a' },
            { id: 'proxied', token: 'b', apiUrl: 'https://do-proxy.example' },
          ],
        },
      }),
    );
    expect(accounts.list().map(a => [a.id, a.apiUrl, a.hasToken])).toEqual([
      ['default', 'https://api.digitalocean.com', true],
      ['proxied', 'https://do-proxy.example', true],
    ]);
    expect(accounts.client('proxied').apiUrl).toBe('https://do-proxy.example');
    expect(accounts.client('proxied')).toBe(accounts.client('proxied'));
  });

  it('fails at start-up, naming the config key, when an account has no token', () => {
    expect(() => DigitalOceanAccounts.fromConfig(new ConfigReader({}))).toThrow(
      'No DigitalOcean API token for account "default": set digitalocean.token or the DIGITALOCEAN_TOKEN environment variable. Only the emulator declared under digitalocean.emulator is used without a token',
    );
    expect(() =>
      DigitalOceanAccounts.fromConfig(
        new ConfigReader({
          digitalocean: {
            accounts: [{ id: 'default', token: 'a' }, { id: 'team-b' }],
          },
        }),
      ),
    ).toThrow('set digitalocean.accounts[1].token.');
    const accounts = DigitalOceanAccounts.fromConfig(
      new ConfigReader({ digitalocean: { token: 'a' } }),
    );
    expect(() => accounts.client('nope')).toThrow(
      'No DigitalOcean account "nope" is configured; add it under digitalocean.accounts (configured: default)',
    );
  });

  it('needs a token for an emulator URL the config does not declare', () => {
    // Before: any apiUrl other than DigitalOcean's was taken for an emulator and needed no token,
    // so a production config with a typo or a proxy silently ran without credentials.
    expect(() =>
      DigitalOceanAccounts.fromConfig(
        new ConfigReader({
          digitalocean: { apiUrl: 'http://127.0.0.1:4010' },
        }),
      ),
    ).toThrow(
      'set digitalocean.token or the DIGITALOCEAN_TOKEN environment variable. Only the emulator declared under digitalocean.emulator is used without a token (apiUrl http://127.0.0.1:4010 is not it)',
    );
    // A null over a declaration (as app-config.production.yaml does) removes it.
    expect(() =>
      DigitalOceanAccounts.fromConfig(
        ConfigReader.fromConfigs([
          {
            context: 'dev',
            data: { digitalocean: { emulator: { port: 4010 } } },
          },
          { context: 'prod', data: { digitalocean: { emulator: null } } },
        ]),
      ),
    ).toThrow('No DigitalOcean API token for account "default"');
  });

  it('refuses duplicate account ids and bad numbers, naming the key', () => {
    expect(() =>
      DigitalOceanAccounts.fromConfig(
        new ConfigReader({
          digitalocean: { accounts: [{ id: 'x' }, { id: 'x' }] },
        }),
      ),
    ).toThrow('digitalocean.accounts[1].id "x" is used by another account');
    expect(() =>
      DigitalOceanAccounts.fromConfig(
        new ConfigReader({ digitalocean: { maxRetries: 50 } }),
      ),
    ).toThrow(
      'digitalocean.maxRetries must be a whole number from 0 to 10, got 50',
    );
    expect(() =>
      DigitalOceanAccounts.fromConfig(
        new ConfigReader({ digitalocean: { requestTimeout: 'soon' } }),
      ),
    ).toThrow(/requestTimeout/);
  });

  it('accounts without an apiUrl talk to the declared emulator, with no token needed', async () => {
    const emulator = await DoEmulator.start({
      seed: { registries: [{ name: 'acme' }] },
    });
    try {
      const port = Number(new URL(emulator.url).port);
      const accounts = DigitalOceanAccounts.fromConfig(
        new ConfigReader({
          digitalocean: {
            emulator: { port },
            accounts: [{ id: 'default' }, { id: 'team-b', token: 'dop_v1_x' }],
            requestTimeout: { seconds: 5 },
          },
        }),
      );
      expect(accounts.list().map(a => [a.id, a.apiUrl])).toEqual([
        ['default', emulator.url],
        ['team-b', emulator.url],
      ]);
      expect(
        (await accounts.client().listRegistries()).map(r => r.name),
      ).toEqual(['acme']);
      expect(
        DigitalOceanAccounts.fromConfig(
          new ConfigReader({
            digitalocean: {
              emulator: { port },
              token: 't',
              apiUrl: DIGITALOCEAN_API_URL,
            },
          }),
        ).client().apiUrl,
      ).toBe(DIGITALOCEAN_API_URL);
    } finally {
      await emulator.stop();
    }
  });

  it('reads the emulator declaration, and refuses a bad port naming the key', () => {
    expect(readDeclaredEmulator(new ConfigReader({}))).toBeUndefined();
    expect(
      readDeclaredEmulator(
        new ConfigReader({
          digitalocean: {
            emulator: { seed: 'demo', gcStep: 'PT2S', storageLag: 'PT10S' },
          },
        }),
      ),
    ).toEqual({
      host: '127.0.0.1',
      port: 4010,
      url: 'http://127.0.0.1:4010',
      registryPort: 4012,
      registryUrl: 'http://127.0.0.1:4012',
      seed: 'demo',
      gcStepMs: 2000,
      storageLagMs: 10_000,
    });
    expect(() =>
      readDeclaredEmulator(
        new ConfigReader({ digitalocean: { emulator: { port: 70000 } } }),
      ),
    ).toThrow('digitalocean.emulator.port must be a TCP port');
  });

  it("reads registries through the registry host of the account, the emulator's when declared", async () => {
    const emulator = await DoEmulator.start({
      seed: { registries: [{ name: 'acme' }] },
    });
    try {
      const accounts = DigitalOceanAccounts.fromConfig(
        new ConfigReader({
          digitalocean: {
            emulator: {
              port: Number(new URL(emulator.url).port),
              registryPort: Number(new URL(emulator.registryUrl).port),
            },
            accounts: [
              { id: 'default' },
              { id: 'team-b', token: 'x', apiUrl: DIGITALOCEAN_API_URL },
              { id: 'team-c', token: 'x', registryUrl: 'https://r.example' },
            ],
            registryHost: { maxConcurrency: 2, requestsPerSecond: 50 },
          },
        }),
      );
      expect(accounts.list().map(a => [a.id, a.registryUrl])).toEqual([
        ['default', emulator.registryUrl],
        ['team-b', 'https://registry.digitalocean.com'],
        ['team-c', 'https://r.example'],
      ]);
      const registryHost = accounts.registryHost();
      expect(accounts.registryHost('default')).toBe(registryHost);
      await expect(registryHost.listTags('acme', 'web')).rejects.toMatchObject({
        status: 404,
        code: 'NAME_UNKNOWN',
      });
      expect(registryHost.callCounts().byKind).toMatchObject({
        ping: 1,
        token: 1,
        tags: 1,
      });
    } finally {
      await emulator.stop();
    }
  });

  it('refuses a registry host pace out of range, naming the key', () => {
    expect(() =>
      DigitalOceanAccounts.fromConfig(
        new ConfigReader({
          digitalocean: { token: 't', registryHost: { maxConcurrency: 0 } },
        }),
      ),
    ).toThrow(
      'digitalocean.registryHost.maxConcurrency must be a whole number from 1 to 64, got 0',
    );
    expect(() =>
      DigitalOceanAccounts.fromConfig(
        new ConfigReader({
          digitalocean: { token: 't', registryHost: { requestsPerSecond: -1 } },
        }),
      ),
    ).toThrow('digitalocean.registryHost.requestsPerSecond must be above 0');
  });
});
