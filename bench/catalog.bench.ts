import { performance } from 'node:perf_hooks';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
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
  const connection: EntityProviderConnection = {
    async applyMutation(mutation) {
      emitted = mutation.type === 'full' ? mutation.entities.length : 0;
    },
    async refresh() {},
  };
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
  });
  await provider.connect(connection);

  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    emulator.requests.reset();
    const started = performance.now();
    await provider.refresh();
    times.push(performance.now() - started);
  }
  const calls = emulator.requests.summary();
  times.sort((a, b) => a - b);
  console.log(
    `Catalog refresh: ${REGISTRIES} registries, ${CLUSTERS} DOKS clusters, ${APPS} App Platform apps, ${LATENCY_MS} ms emulator latency, ${RUNS} runs`,
  );
  console.log(
    `DO calls per refresh        ${calls.total} (${Object.entries(
      calls.byOperation,
    )
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')})`,
  );
  console.log(`entities emitted            ${emitted}`);
  console.log(
    `wall time per refresh       median ${times[Math.floor(RUNS / 2)].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[RUNS - 1].toFixed(0)} ms`,
  );
  await emulator.stop();
}
