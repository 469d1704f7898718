import { performance } from 'node:perf_hooks';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { ImagesInUseReader } from '../plugins/docr-backend/src/inUse/ImagesInUseReader';
import { registryInUse } from '../plugins/docr-backend/src/retention/inUseSelection';
import { selectRetention } from '../plugins/docr-backend/src/retention/selection';

const CLUSTERS = 20;
/** Deployments per cluster, 10 pods each, 3 earlier releases kept: 500 pods a cluster. */
const DEPLOYMENTS = 50;
const APPS = 50;
const HOST = 'registry.digitalocean.com/acme-prod';

const silent = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silent,
} as any;

/**
 * What reading the account's images in use costs before a plan: 20 DOKS clusters of 500 pods
 * (50 Deployments of 10 pods, 3 earlier releases each) and 50 App Platform apps, with
 * DigitalOcean's API answering in 100 ms (the clusters' API servers at once).
 */
export async function runImagesInUseBench() {
  const seed: EmulatorSeed = {
    account: { subscriptionTier: 'professional' },
    registries: [
      {
        name: 'acme-prod',
        images: Array.from({ length: 40 }, (_, i) => ({
          repository: `svc-${i % 10}`,
          tag: `v${Math.floor(i / 10)}`,
          sizeMiB: 1,
          layerCount: 1,
        })),
      },
    ],
    clusters: Array.from({ length: CLUSTERS }, (_, c) => ({
      name: `cluster-${c}`,
      registries: ['acme-prod'],
      workloads: Array.from({ length: DEPLOYMENTS }, (_, d) => ({
        kind: 'Deployment' as const,
        namespace: `team-${d % 5}`,
        name: `app-${d}`,
        image: `${HOST}/svc-${d % 10}:v3`,
        history: [0, 1, 2].map(v => `${HOST}/svc-${d % 10}:v${v}`),
        replicas: 10,
      })),
    })),
    apps: Array.from({ length: APPS }, (_, a) => ({
      spec: {
        name: `app-${a}`,
        services: [
          {
            name: 'web',
            image: {
              registry_type: 'DOCR',
              repository: `svc-${a % 10}`,
              tag: 'v3',
            },
          },
        ],
      },
      previousDeployments: [{ images: { web: { tag: 'v2' } } }],
    })),
  };
  const emulator = await DoEmulator.start({
    seed,
    latencyMs: 100,
    rateLimitPerMinute: 1e9,
    rateLimitPerHour: 1e9,
  });
  try {
    const reader = new ImagesInUseReader({
      client: new DigitalOceanClient({ token: 'bench', apiUrl: emulator.url }),
      logger: silent,
      now: () => new Date(),
    });
    for (const label of ['first read', 'second read']) {
      const calls = emulator.requests.count();
      const kubernetes = [
        ...emulator.account.kubernetes.requestCounts.values(),
      ].reduce((a, b) => a + b, 0);
      const started = performance.now();
      const read = await reader.read();
      const ms = performance.now() - started;
      const doCalls = emulator.requests.count() - calls;
      const kubernetesCalls =
        [...emulator.account.kubernetes.requestCounts.values()].reduce(
          (a, b) => a + b,
          0,
        ) - kubernetes;
      const selectStarted = performance.now();
      const inUse = registryInUse(read, 'acme-prod');
      const selectMs = performance.now() - selectStarted;
      const client = new DigitalOceanClient({
        token: 'bench',
        apiUrl: emulator.url,
      });
      const repositories = await Promise.all(
        (await client.listRepositories('acme-prod')).map(async r => ({
          name: r.name ?? '',
          tags: await client.listTags('acme-prod', r.name ?? ''),
          manifests: await client.listManifests('acme-prod', r.name ?? ''),
        })),
      );
      const planStarted = performance.now();
      const selection = selectRetention(
        repositories,
        [{ deleteOlderThan: 'PT1S' }],
        new Date(Date.now() + 60_000),
        undefined,
        inUse,
      );
      const planMs = performance.now() - planStarted;
      console.log(
        `  selection of ${selection.decisions.length} tags with those uses: ${planMs.toFixed(0)} ms, ${
          selection.decisions.filter(d => d.action === 'keep').length
        } kept in use`,
      );
      console.log(
        `${label}: ${CLUSTERS} clusters × ${DEPLOYMENTS * 10} pods, ${APPS} apps: ${doCalls} DigitalOcean calls, ${kubernetesCalls} Kubernetes API calls, ${ms.toFixed(0)} ms; ${
          read.uses.length
        } uses (${inUse.uses.length} of acme-prod, taken in ${selectMs.toFixed(1)} ms), ${
          read.unreadable.length
        } unreadable`,
      );
    }
  } finally {
    await emulator.stop();
  }
}
