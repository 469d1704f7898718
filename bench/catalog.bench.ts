import { performance } from 'node:perf_hooks';
import {
  DoEmulator,
  EmulatorSeed,
  ManualClock,
} from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { DigitalOceanEntityProvider } from '../plugins/catalog-backend-module-docr/src/DigitalOceanEntityProvider';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';

const REGISTRIES = 10;
const CLUSTERS = 500;
const APPS = 50;
const LATENCY_MS = 100;
const RUNS = 5;

const silent = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silent,
} as any;

export async function run() {
  const seed: EmulatorSeed = {
    account: { subscriptionTier: 'professional' },
    registries: Array.from({ length: REGISTRIES }, (_, i) => ({
      name: `registry-${i}`,
      images: [{ repository: 'web', tag: 'latest', sizeMiB: 50, pushes: 3 }],
    })),
    clusters: Array.from({ length: CLUSTERS }, (_, i) => ({
      name: `cluster-${String(i).padStart(3, '0')}`,
      registries: [`registry-${i % REGISTRIES}`],
    })),
    apps: Array.from({ length: APPS }, (_, i) => ({
      spec: {
        name: `app-${String(i).padStart(2, '0')}`,
        region: i % 2 ? 'fra' : 'ams',
        services: [
          {
            name: 'web',
            image: {
              registry_type: 'DOCR' as const,
              registry: `registry-${i % REGISTRIES}`,
              repository: 'web',
              tag: 'latest',
              deploy_on_push: { enabled: true },
            },
          },
        ],
      },
    })),
  };
  const emulator = await DoEmulator.start({
    seed,
    latencyMs: LATENCY_MS,
    rateLimitPerMinute: 1e9,
    rateLimitPerHour: 1e9,
  });
  let emitted = 0;
  let emittedAt = 0;
  let deltas = 0;
  let clustersWithCa = 0;
  const connection: EntityProviderConnection = {
    async applyMutation(mutation) {
      if (mutation.type === 'full') {
        emitted = mutation.entities.length;
        emittedAt = performance.now();
      } else {
        deltas++;
        clustersWithCa += mutation.added.length;
      }
    },
    async refresh() {},
  };
  // The CA reads' pacing (2 a second after 10) waits on this clock, moved as soon as they wait:
  // the bench measures the calls, and states what the pacing adds.
  const paceClock = new ManualClock();
  const provider = new DigitalOceanEntityProvider({
    id: 'bench',
    client: new DigitalOceanClient({ token: 'bench', apiUrl: emulator.url }),
    context: {
      account: 'default',
      owner: 'group:default/platform',
      lifecycle: 'production',
    },
    taskRunner: { run: async () => {} },
    logger: silent,
    clock: paceClock,
  });
  await provider.connect(connection);

  // The first refresh: nothing held, every cluster's CA to read.
  emulator.requests.reset();
  let started = performance.now();
  await provider.refresh();
  const firstEmitMs = emittedAt - started;
  const firstRefreshMs = performance.now() - started;
  const firstCalls = emulator.requests.summary();
  const pacedFrom = paceClock.now();
  await paceClock.passTimeUntil(provider.clusterCasSettled());
  const casMs = performance.now() - started;
  const pacedMs = paceClock.now() - pacedFrom;
  const caCalls = emulator.requests.count('kubernetes_get_credentials');

  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    emulator.requests.reset();
    started = performance.now();
    await provider.refresh();
    times.push(performance.now() - started);
  }
  const calls = emulator.requests.summary();
  times.sort((a, b) => a - b);
  console.log(
    `Catalog refresh: ${REGISTRIES} registries, ${CLUSTERS} DOKS clusters, ${APPS} App Platform apps, ${LATENCY_MS} ms emulator latency`,
  );
  console.log(
    `first refresh               entities emitted after ${firstEmitMs.toFixed(0)} ms (${emitted} entities, ${firstCalls.total} DO calls), refresh over after ${firstRefreshMs.toFixed(0)} ms`,
  );
  console.log(
    `  its CAs, in the background ${caCalls} credentials calls, ${clustersWithCa} clusters emitted again in ${deltas} delta mutations, done ${(casMs / 1000).toFixed(1)} s after the start with the pacing's waits skipped; the pacing adds ${(pacedMs / 1000).toFixed(0)} s of waits in production`,
  );
  console.log(
    `later refreshes (CAs held)  ${calls.total} DO calls (${Object.entries(
      calls.byOperation,
    )
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')}), ${emitted} entities`,
  );
  console.log(
    `  wall time per refresh      median ${times[Math.floor(RUNS / 2)].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[RUNS - 1].toFixed(0)} ms (${RUNS} runs)`,
  );
  await emulator.stop();
}
