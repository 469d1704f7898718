import { TestDatabases } from '@backstage/backend-test-utils';
import { DoEmulator } from '@backstage-docr/do-emulator';
import {
  DocrTestBackend,
  MINUTE,
  TestClock,
  acmeSeed,
  SetUpHarness,
  startDocrBackend,
  weeklySundayWindow,
} from './backend';

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

/** What {@link startRobustnessBackend} starts. */
type RobustnessSetUp = Awaited<ReturnType<typeof startRobustnessBackend>>;

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
    seed: acmeSeed(2),
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

/** The robustness tests' harness: see {@link robustnessHarness}. */
class RobustnessHarness extends SetUpHarness<RobustnessSetUp> {
  readonly databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
  });

  /** Starts the emulator and the backend; returns the database the backend uses. */
  readonly start = async (options: RobustnessStartOptions = {}) => {
    this.current = await startRobustnessBackend(this.databases, options);
    return this.current.knex;
  };

  /** The registry's GC runs as the API lists them, newest first. */
  readonly runs = async (registry: string) =>
    (await this.current.docr.api('get', `/registries/${registry}/gc-runs`)).body
      .items;

  /** GC starts DigitalOcean was asked for. */
  readonly starts = () =>
    this.current.emulator.requests.count('registries_run_garbageCollection');
}

/**
 * The robustness tests' harness, called inside a `describe`: PostgreSQL and SQLite test
 * databases, a `start` that brings up the emulator and the backend, their clean-up after each
 * test, and reads every test uses. `clock`, `emulator` and `docr` are those of the last start.
 */
export function robustnessHarness(): RobustnessHarness {
  const harness = new RobustnessHarness();
  afterEach(harness.stop);
  return harness;
}
