import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { RegistryHostClient } from '@backstage-docr/plugin-docr-node';
import type { Knex } from 'knex';
import { RepositoryGraphs } from './graph';
import { RetentionRunner } from './RetentionRunner';
import { emulatorClient, migrate } from './__testUtils__/retentionKit';
import { retentionStores } from './__testUtils__/retentionStores';

jest.setTimeout(120_000);

const T0 = Date.parse('2026-11-23T13:00:00Z');
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Two registries of 30 and 300 commit tags (listed in 1 and 2 pages); 5 newest kept. */
const SEED = {
  account: { subscriptionTier: 'professional' },
  registries: [
    {
      name: 'acme-a',
      ciHistory: [{ repository: 'web', commits: 30, days: 30 }],
    },
    {
      name: 'acme-b',
      ciHistory: [{ repository: 'web', commits: 300, days: 30 }],
    },
  ],
};
const RULES = [{ keepNewest: 5 }];

/**
 * The retention budget is the database's: two runners on one database (two replicas) spend one
 * budget, and new runners (a restart) know what was spent. Every call is counted where it
 * arrives, at the emulator: DigitalOcean's API and the registry host (each replica reads the
 * image graphs through its own client). Time is the test's: a pause moves the clock.
 */
describe('RetentionRunner: one call budget for every replica', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  let clock: number;
  let emulator: DoEmulator;

  beforeEach(async () => {
    clock = T0;
    emulator = await DoEmulator.start({
      seed: SEED,
      clock: () => clock,
      rateLimitPerMinute: 1e9,
      rateLimitPerHour: 1e9,
    });
  });

  afterEach(() => emulator?.stop());

  /** Calls that arrived at the emulator: DigitalOcean's API and the registry host. */
  /** A replica's runner: its own clients, the shared database. */
  type Limits = { callsPerMinute: number; callsPerHour: number };
  const UNLIMITED: Limits = {
    callsPerMinute: Infinity,
    callsPerHour: Infinity,
  };
  const perHour = (callsPerHour: number): Limits => ({
    callsPerMinute: Infinity,
    callsPerHour,
  });

  /** DigitalOcean's calls within `api`, the registry host's within `registryHostLimits`. */
  function replica(knex: Knex, api: Limits, registryHostLimits = UNLIMITED) {
    const client = emulatorClient(emulator);
    const registryHost = new RegistryHostClient({
      credentials: client,
      registryUrl: emulator.registryUrl,
      requestsPerSecond: 1e6,
    });
    return new RetentionRunner({
      client,
      imageGraph: {
        graphs: new RepositoryGraphs({ registryHost: () => registryHost }),
        registryHost: () => registryHost,
      },
      ...retentionStores(knex),
      logger: mockServices.logger.mock(),
      options: {
        pacing: { ...api, registryHost: registryHostLimits },
        sleep: async ms => {
          clock += ms;
        },
      },
    });
  }

  const run = (runner: RetentionRunner, registryName: string, until: number) =>
    runner.run({
      account: 'default',
      registryName,
      occurrenceKey: '0@2026-11-23',
      retention: { rules: RULES },
      deadline: new Date(until),
      now: () => new Date(clock),
    });

  const apiCalls = () => emulator.requests.count();

  it.each(databases.eachSupportedId())(
    "two replicas spend one hourly budget of DigitalOcean's calls (docker credentials included), and a restart keeps what was spent, %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrate(knex);
      const [a, b] = [replica(knex, perHour(20)), replica(knex, perHour(20))];
      const first = await Promise.all([
        run(a, 'acme-a', T0 + 30 * MINUTE),
        run(b, 'acme-b', T0 + 30 * MINUTE),
      ]);
      expect(first.map(s => s.stoppedBy)).toEqual(['deadline', 'deadline']);
      expect(apiCalls()).toBe(20);
      // Some went to the registry host (the image graphs), with their docker credentials.
      expect(emulator.registryRequests.count('manifest_get')).toBeGreaterThan(
        0,
      );
      expect(
        emulator.requests.count('registries_get_dockerCredentials'),
      ).toBeGreaterThan(0);

      // Restarted within the hour: nothing is left to spend.
      const [a2, b2] = [replica(knex, perHour(20)), replica(knex, perHour(20))];
      clock = T0 + 40 * MINUTE;
      await Promise.all([
        run(a2, 'acme-a', T0 + 50 * MINUTE),
        run(b2, 'acme-b', T0 + 50 * MINUTE),
      ]);
      expect(apiCalls()).toBe(20);

      // An hour after the first calls their room is free again, for 20 more.
      clock = T0 + HOUR;
      await Promise.all([
        run(a2, 'acme-a', T0 + HOUR + 30 * MINUTE),
        run(b2, 'acme-b', T0 + HOUR + 30 * MINUTE),
      ]);
      expect(apiCalls()).toBe(40);
    },
  );

  it.each(databases.eachSupportedId())(
    "two replicas spend one hourly budget of the registry host's requests, apart from DigitalOcean's, %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrate(knex);
      const [a, b] = [
        replica(knex, UNLIMITED, perHour(10)),
        replica(knex, UNLIMITED, perHour(10)),
      ];
      const first = await Promise.all([
        run(a, 'acme-a', T0 + 30 * MINUTE),
        run(b, 'acme-b', T0 + 30 * MINUTE),
      ]);
      expect(first.map(s => s.stoppedBy)).toEqual(['deadline', 'deadline']);
      // Pings, tokens and manifests: ten in all; DigitalOcean's listings did not spend them.
      expect(emulator.registryRequests.count()).toBe(10);
      expect(
        emulator.requests.count('registries_get_dockerCredentials'),
      ).toBeGreaterThan(0);
      expect(apiCalls()).toBeGreaterThan(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'two replicas together make at most the calls per minute, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrate(knex);
      // 6 a minute: a call every 10 s, whoever makes it; two minutes of the clock.
      const sixAMinute = { callsPerMinute: 6, callsPerHour: Infinity };
      const [a, b] = [replica(knex, sixAMinute), replica(knex, sixAMinute)];
      await Promise.all([
        run(a, 'acme-a', T0 + 2 * MINUTE),
        run(b, 'acme-b', T0 + 2 * MINUTE),
      ]);
      // At most one at 0 s, 10 s, … 120 s; the clock moves only while a replica waits its turn.
      expect(apiCalls()).toBeGreaterThanOrEqual(6);
      expect(apiCalls()).toBeLessThanOrEqual(13);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts every page of a listing, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrate(knex);
      // 1 page of repositories, 2 of tags, 2 of manifests: the five calls of the hour.
      const summary = await run(
        replica(knex, perHour(5)),
        'acme-b',
        T0 + 30 * MINUTE,
      );
      expect(summary.stoppedBy).toBe('deadline');
      expect(apiCalls()).toBe(5);
      expect(emulator.requests.count('registries_delete_repositoryTag')).toBe(
        0,
      );
    },
  );
});
