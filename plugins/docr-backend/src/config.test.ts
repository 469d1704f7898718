import { ConfigReader } from '@backstage/config';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import docrPlugin from '.';
import {
  BUILT_IN_DEFAULT_POLICY,
  collectedAccounts,
  readDocrConfig,
} from './config';

describe('docr config', () => {
  it('defaults to a weekly Sunday window and sensible intervals', () => {
    const config = readDocrConfig(new ConfigReader({}));
    expect(config.defaultPolicy).toEqual(BUILT_IN_DEFAULT_POLICY);
    expect(config.defaultPolicy.type).toBe(
      'untagged manifests and unreferenced blobs',
    );
    expect(config.tickFrequency).toEqual({ minutes: 1 });
    expect(config.storageSampleIntervalMs).toBe(3_600_000);
    expect(config.accounts).toBeUndefined();
    expect(config.defaultAccount).toBeUndefined();
  });

  it("reads retention's two budgets, DigitalOcean's calls and the registry host's requests, and refuses one that is not positive", () => {
    const read = (tagRetention: object) =>
      readDocrConfig(new ConfigReader({ docr: { tagRetention } }))
        .retentionRunner.pacing;
    expect(read({})).toEqual({
      registryHost: { callsPerMinute: 300, callsPerHour: 10_000 },
    });
    expect(
      read({ callsPerHour: 1000, registryHost: { callsPerMinute: 60 } }),
    ).toEqual({
      callsPerHour: 1000,
      registryHost: { callsPerMinute: 60, callsPerHour: 10_000 },
    });
    expect(() => read({ registryHost: { callsPerHour: 0 } })).toThrow(
      'docr.tagRetention.registryHost.callsPerHour must be a positive number',
    );
  });

  it('collects every configured account unless docr.accounts names some, and names what is wrong', () => {
    const read = (docr: object) => readDocrConfig(new ConfigReader({ docr }));
    expect(collectedAccounts(read({}), ['default', 'team-b'])).toEqual({
      accounts: ['default', 'team-b'],
      defaultAccount: 'default',
    });
    expect(
      collectedAccounts(read({ accounts: ['team-b'] }), ['default', 'team-b']),
    ).toEqual({ accounts: ['team-b'], defaultAccount: 'team-b' });
    expect(() =>
      collectedAccounts(read({ accounts: ['team-c'] }), ['default']),
    ).toThrow('docr: "team-c" is not an account under digitalocean.accounts');
    expect(() =>
      collectedAccounts(read({ account: 'team-b', accounts: ['default'] }), [
        'default',
        'team-b',
      ]),
    ).toThrow('docr.account "team-b" is not among docr.accounts (default)');
    expect(() =>
      read({
        garbageCollection: { accounts: { default: { registries: {} } } },
      }),
    ).toThrow(
      "put the default account's registries under docr.garbageCollection.registries",
    );
  });

  it('lets a registry entry inherit what it does not say from the default', () => {
    const config = readDocrConfig(
      new ConfigReader({
        docr: {
          garbageCollection: {
            default: {
              type: 'untagged manifests only',
              windows: [
                {
                  days: ['sun'],
                  start: '03:00',
                  duration: 'PT2H',
                  timezone: 'UTC',
                },
              ],
            },
            registries: { 'acme-prod': { cancelAtWindowEnd: false } },
            retention: { runs: { days: 30 }, samples: { days: 7 } },
          },
        },
      }),
    );
    expect(config.configPolicies.get('acme-prod')).toMatchObject({
      type: 'untagged manifests only',
      cancelAtWindowEnd: false,
    });
    expect(config.runRetentionMs).toBe(30 * 86_400_000);
    expect(config.sampleRetentionMs).toBe(7 * 86_400_000);
  });

  it('reads retention rules into the policies; a registry entry without retention inherits the default rules', () => {
    const defaultRules = [{ keepNewest: 20, protect: ['latest'] }];
    const config = readDocrConfig(
      new ConfigReader({
        docr: {
          garbageCollection: {
            default: { retention: { rules: defaultRules } },
            registries: {
              'acme-dev': { enabled: false },
              'acme-prod': {
                retention: {
                  rules: [{ deleteOlderThan: 'P90D', protectSemver: true }],
                },
              },
            },
          },
        },
      }),
    );
    expect(config.defaultPolicy.retention).toEqual({ rules: defaultRules });
    expect(config.configPolicies.get('acme-dev')!.retention).toEqual({
      rules: defaultRules,
    });
    expect(config.configPolicies.get('acme-prod')!.retention).toEqual({
      rules: [{ deleteOlderThan: 'P90D', protectSemver: true }],
    });
  });

  it.each([
    [
      {
        default: {
          windows: [
            {
              days: ['sun'],
              start: '03:00',
              duration: 'PT2H',
              timezone: 'Nowhere/City',
            },
          ],
        },
      },
      'docr.garbageCollection.default.windows.0.timezone: Time zone must be an IANA time zone',
    ],
    [
      {
        registries: {
          'acme-prod': {
            windows: [
              {
                days: ['fri'],
                start: '25:00',
                duration: 'PT2H',
                timezone: 'UTC',
              },
            ],
          },
        },
      },
      'docr.garbageCollection.registries.acme-prod.windows.0.start',
    ],
    [
      { default: { type: 'everything' } },
      'docr.garbageCollection.default.type',
    ],
    [
      {
        registries: {
          'acme-prod': {
            retention: { rules: [{ keepNewest: 10 }, { keepNewest: -1 }] },
          },
        },
      },
      'docr.garbageCollection.registries.acme-prod.retention.rules.1.keepNewest: Must be 0 or more',
    ],
    [
      { default: { retention: { rules: [{ deleteOlderThan: '30d' }] } } },
      'docr.garbageCollection.default.retention.rules.0.deleteOlderThan: Must be a positive ISO 8601 duration',
    ],
    [
      { tickFrequency: 'often' },
      'docr.garbageCollection.tickFrequency is not a valid duration',
    ],
  ])('names the key of a mistake %#', (garbageCollection, message) => {
    expect(() =>
      readDocrConfig(new ConfigReader({ docr: { garbageCollection } })),
    ).toThrow(message);
  });

  it('reads the repository cache: a 5-minute TTL by default, bounds that must be positive', () => {
    expect(readDocrConfig(new ConfigReader({})).repositories).toEqual({
      cacheTtlMs: 300_000,
      maxRegistries: 50,
      maxTags: 100_000,
    });
    const repositories = (value: object) =>
      readDocrConfig(new ConfigReader({ docr: { repositories: value } }))
        .repositories;
    expect(repositories({ cacheTtl: 'PT30S', maxTags: 10 })).toEqual({
      cacheTtlMs: 30_000,
      maxRegistries: 50,
      maxTags: 10,
    });
    expect(() => repositories({ cacheTtl: 'soon' })).toThrow(
      'docr.repositories.cacheTtl is not a valid duration',
    );
    expect(() => repositories({ maxRegistries: 0 })).toThrow(
      'docr.repositories.maxRegistries must be a positive integer',
    );
  });

  it('stops the backend at start-up on a bad window', async () => {
    await expect(
      startTestBackend({
        features: [
          docrPlugin,
          mockServices.rootConfig.factory({
            data: {
              digitalocean: { apiUrl: 'http://127.0.0.1:9', token: 'test' },
              docr: {
                garbageCollection: {
                  default: {
                    windows: [
                      {
                        days: ['sun'],
                        start: '03:00',
                        duration: 'forever',
                        timezone: 'UTC',
                      },
                    ],
                  },
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      'docr.garbageCollection.default.windows.0.duration: Duration must be an ISO 8601 duration',
    );
  });
});
