import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  startDocrBackend,
  weeklySundayWindow,
} from './backend';

const seed: EmulatorSeed = {
  account: { subscriptionTier: 'professional' },
  registries: [
    {
      name: 'acme-dev',
      images: [{ repository: 'web', tag: 'latest', sizeMiB: 20, pushes: 3 }],
    },
    {
      name: 'acme-prod',
      images: [{ repository: 'api', tag: 'latest', sizeMiB: 10, pushes: 2 }],
    },
  ],
};

export const sundayWindow = {
  windows: [
    { days: ['sun'], start: '03:00', duration: 'PT2H', timezone: 'UTC' },
  ],
};

export interface RobustnessStartOptions {
  gcStepMs?: number;
  docr?: object;
  digitalocean?: object;
  databaseId?: Parameters<TestDatabases['init']>[0];
  emulatorSkewMs?: number;
  skipFirstTick?: boolean;
}

/**
 * The robustness tests' setup: two registries on an emulator, a clock on a Saturday, and the
 * docr backend on the given test database (SQLite unless named).
 */
export async function startRobustnessBackend(
  databases: TestDatabases,
  options: RobustnessStartOptions = {},
) {
  const clock = new TestClock(Date.parse('2026-11-21T12:00:00Z')); // a Saturday
  const emulator = await DoEmulator.start({
    seed,
    clock: () => clock.ms - (options.emulatorSkewMs ?? 0),
    gcStepMs: options.gcStepMs ?? MINUTE,
    validateResponses: true,
  });
  let docr: DocrTestBackend | undefined;
  try {
    const knex = await databases.init(options.databaseId ?? 'SQLITE_3');
    docr = await startDocrBackend({
      emulatorUrl: emulator.url,
      clock,
      knex,
      docr: options.docr ?? weeklySundayWindow('UTC', '03:00', 'PT2H'),
      digitalocean: options.digitalocean,
    });
    if (!options.skipFirstTick) await docr.tick(); // the first storage sample
    return { clock, emulator, docr, knex };
  } catch (error) {
    await docr?.stop();
    await emulator.stop();
    throw error;
  }
}
