import { performance } from 'node:perf_hooks';
import Knex from 'knex';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { createDocrStores } from '../plugins/docr-backend/src/database/createDocrStores';
import { GarbageCollector } from '../plugins/docr-backend/src/gc/GarbageCollector';
import { PolicyResolver } from '../plugins/docr-backend/src/PolicyResolver';
import { readDocrConfig } from '../plugins/docr-backend/src/config';
import { ConfigReader } from '@backstage/config';

const REGISTRIES = 10;
const silent = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silent,
} as any;

async function measure(
  label: string,
  run: () => Promise<unknown>,
  counted: { queries: number },
  emulator: DoEmulator,
  repeat = 20,
) {
  const before = {
    queries: counted.queries,
    calls: emulator.requests.count(),
  };
  const started = performance.now();
  for (let i = 0; i < repeat; i++) await run();
  const ms = (performance.now() - started) / repeat;
  const queries = (counted.queries - before.queries) / repeat;
  const calls = (emulator.requests.count() - before.calls) / repeat;
  console.log(
    `${label.padEnd(52)} ${queries.toFixed(1).padStart(5)} DB queries   ${calls.toFixed(1).padStart(5)} DO calls   ${ms.toFixed(1).padStart(6)} ms`,
  );
}

export async function run() {
  let now = Date.parse('2026-11-21T12:00:00Z');
  const seed: EmulatorSeed = {
    account: { subscriptionTier: 'professional' },
    registries: Array.from({ length: REGISTRIES }, (_, i) => ({
      name: `registry-${i}`,
      images: [{ repository: 'web', tag: 'latest', sizeMiB: 20, pushes: 3 }],
    })),
  };
  const emulator = await DoEmulator.start({
    seed,
    clock: () => now,
    gcStepMs: 3_600_000,
    rateLimitPerMinute: 1e9,
    rateLimitPerHour: 1e9,
  });
  const knex = Knex({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const { docr: store } = await createDocrStores({
    database: { getClient: async () => knex },
  });
  // The queries the plugin makes, counted here: the stores do not count.
  const counted = { queries: 0 };
  knex.on('query', () => {
    counted.queries++;
  });
  const config = readDocrConfig(
    new ConfigReader({
      docr: {
        garbageCollection: {
          default: {
            windows: [
              {
                days: ['sun'],
                start: '03:00',
                duration: 'PT2H',
                timezone: 'UTC',
              },
            ],
          },
        },
      },
    }),
  );
  const collector = new GarbageCollector({
    store,
    policies: new PolicyResolver(config, store),
    client: new DigitalOceanClient({ token: 'bench', apiUrl: emulator.url }),
    config,
    now: () => new Date(now),
    logger: silent,
  });

  console.log(
    `GC tick cost, ${REGISTRIES} registries, SQLite in memory, emulator on loopback (mean of 20 ticks):`,
  );
  await measure(
    'first tick (hourly storage sample)',
    () => collector.tick(),
    counted,
    emulator,
    1,
  );
  await measure(
    'tick, no window open',
    () => collector.tick(),
    counted,
    emulator,
  );
  now = Date.parse('2026-11-22T03:00:00Z');
  await measure(
    'tick, all windows opening (starts 10 GCs)',
    () => collector.tick(),
    counted,
    emulator,
    1,
  );
  now += 60_000;
  await measure(
    'tick, all windows open, 10 GCs in flight',
    () => collector.tick(),
    counted,
    emulator,
  );
  await emulator.stop();
  await knex.destroy();
}
