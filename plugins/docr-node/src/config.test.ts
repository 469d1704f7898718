import { ConfigReader } from '@backstage/config';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { DigitalOceanAccounts } from './config';

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
            { id: 'emulated', apiUrl: 'http://127.0.0.1:4010' },
          ],
        },
      }),
    );
    expect(accounts.list().map(a => [a.id, a.apiUrl, a.hasToken])).toEqual([
      ['default', 'https://api.digitalocean.com', true],
      ['emulated', 'http://127.0.0.1:4010', false],
    ]);
    expect(accounts.client('emulated').apiUrl).toBe('http://127.0.0.1:4010');
    expect(accounts.client('emulated')).toBe(accounts.client('emulated'));
  });

  it('fails with the config key to set when the real API has no token', () => {
    expect(() =>
      DigitalOceanAccounts.fromConfig(new ConfigReader({})).client(),
    ).toThrow(
      'No DigitalOcean API token for account "default": set digitalocean.token or the DIGITALOCEAN_TOKEN environment variable, or point apiUrl at the DigitalOcean API emulator',
    );
    const several = DigitalOceanAccounts.fromConfig(
      new ConfigReader({
        digitalocean: {
          accounts: [{ id: 'default', token: 'a' }, { id: 'team-b' }],
        },
      }),
    );
    expect(() => several.client('team-b')).toThrow(
      'set digitalocean.accounts[1].token,',
    );
    expect(() => several.client('nope')).toThrow(
      'No DigitalOcean account "nope" is configured; add it under digitalocean.accounts (configured: default, team-b)',
    );
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

  it('talks to the emulator when apiUrl points at it, with no token', async () => {
    const emulator = await DoEmulator.start({
      seed: { registries: [{ name: 'acme' }] },
    });
    try {
      const accounts = DigitalOceanAccounts.fromConfig(
        new ConfigReader({
          digitalocean: {
            apiUrl: emulator.url,
            requestTimeout: { seconds: 5 },
          },
        }),
      );
      expect(
        (await accounts.client().listRegistries()).map(r => r.name),
      ).toEqual(['acme']);
    } finally {
      await emulator.stop();
    }
  });
});
