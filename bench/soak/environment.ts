import Knex from 'knex';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import { createDocrStores } from '../../plugins/docr-backend/src/database/createDocrStores';
import {
  TestClock,
  startDocrBackend,
} from '../../plugins/docr-backend/src/__testUtils__/backend';
import { AccountSpec } from './scenario';
import { BUDGET_PER_HOUR, BUDGET_PER_MINUTE, MINUTE } from './settings';

/**
 * An account's emulator (Professional tier, its registries seeded) and its docr backend on an
 * in-memory SQLite database, sharing one controlled clock.
 */
export async function startAccount(
  spec: AccountSpec,
  names: string[],
  clock: TestClock,
) {
  const seed: EmulatorSeed = {
    account: { subscriptionTier: 'professional' },
    registries: names.map(name => ({
      name,
      images: [{ repository: 'web', tag: 'latest', sizeMiB: 25, pushes: 2 }],
    })),
  };
  const emulator = await DoEmulator.start({
    seed,
    clock: clock.now,
    gcStepMs: spec.gcStepMin * MINUTE,
    rateLimitPerMinute: BUDGET_PER_MINUTE,
    rateLimitPerHour: BUDGET_PER_HOUR,
  });
  const knex = Knex({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const docr = await startDocrBackend({
    emulatorUrl: emulator.url,
    clock,
    knex,
    docr: {
      garbageCollection: {
        default: spec.defaultPolicy,
        ...(spec.configPolicies ? { registries: spec.configPolicies } : {}),
        ...(spec.retention ? { retention: spec.retention } : {}),
      },
    },
    digitalocean: { maxRetries: 3, maxRateLimitWait: { milliseconds: 500 } },
  });
  // A second view of the plugin's tables, for the tick rule and the figures.
  const { docr: store } = await createDocrStores({
    database: { getClient: async () => knex },
    skipMigrations: true,
  });
  const stop = async () => {
    await docr.stop();
    await emulator.stop();
    await knex.destroy();
  };
  return { emulator, knex, docr, store, stop };
}
