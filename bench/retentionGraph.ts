import { performance } from 'node:perf_hooks';
import Knex from 'knex';
import { createDocrStores } from '../plugins/docr-backend/src/database/createDocrStores';
import { DoEmulator, registryPusher } from '@backstage-docr/do-emulator';
import type { RetentionRule } from '@backstage-docr/plugin-docr-common';
import {
  DigitalOceanClient,
  RegistryHostClient,
} from '@backstage-docr/plugin-docr-node';
import { RepositoryGraphs } from '../plugins/docr-backend/src/retention/graph';
import { RetentionRunner } from '../plugins/docr-backend/src/retention/RetentionRunner';

const REGISTRY = 'acme-images';
const REPOSITORIES = 10;
const IMAGES = 40;
const DAY = 86_400_000;
/** DigitalOcean's API budget per token, and the registry host client's default pace. */
const DO_PER_MINUTE = 250;
const HOST_PER_SECOND = 10;
const RULES: RetentionRule[] = [
  {
    deleteOlderThan: 'P14D',
    keepNewest: 10,
    untaggedManifestsOlderThan: 'P14D',
  },
];
const SIGNATURE_LAYER = 'application/vnd.dev.cosign.simplesigning.v1+json';

const silent = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silent,
} as any;

/** One image a day per repository, the older first; every other one multi-arch and signed. */
async function pushImages(emulator: DoEmulator, clock: { ms: number }) {
  const start = clock.ms;
  for (let day = 0; day < IMAGES; day++) {
    clock.ms = start - (IMAGES - day) * DAY;
    for (let r = 0; r < REPOSITORIES; r++) {
      const push = registryPusher(emulator, REGISTRY, `service-${r}`);
      const tag = `build-${day}`;
      if (day % 2) {
        await push.image(`service-${r} ${tag}`, { tag });
        continue;
      }
      const { index } = await push.multiArch(`service-${r} ${tag}`, tag, [
        'linux/amd64',
        'linux/arm64',
      ]);
      await push.image(`service-${r} ${tag} signature`, {
        tag: `sha256-${index.digest.slice(7)}.sig`,
        layerType: SIGNATURE_LAYER,
      });
    }
  }
  clock.ms = start;
}

/** A database in memory, migrated, with the runner's stores over it. */
async function journal() {
  const knex = Knex({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const { docr } = await createDocrStores({
    database: { getClient: async () => knex },
  });
  return { knex, journal: docr.journal, budget: docr.retentionBudget };
}

/**
 * Retention on the image graph: a registry of 10 repositories × 40 images, every other one
 * multi-arch (2 platforms) and signed by cosign. One RetentionRunner run (read every manifest
 * through the registry host, plan, HEAD each tag before its DELETE), then a second run on a warm
 * facts cache: DigitalOcean calls, registry host calls, wall time, and the time at the limits.
 */
export async function runImageGraphBench() {
  const clock = { ms: Date.now() };
  const emulator = await DoEmulator.start({
    seed: {
      account: { subscriptionTier: 'professional' },
      registries: [{ name: REGISTRY }],
    },
    clock: () => clock.ms,
    rateLimitPerMinute: 1e9,
    rateLimitPerHour: 1e9,
  });
  await pushImages(emulator, clock);
  const client = new DigitalOceanClient({
    token: 'bench',
    apiUrl: emulator.url,
  });
  const registryHost = new RegistryHostClient({
    credentials: client,
    registryUrl: emulator.registryUrl,
    maxConcurrency: 8,
    requestsPerSecond: 100_000,
  });
  const graphs = new RepositoryGraphs({ registryHost: () => registryHost });
  for (const occurrence of ['cold', 'warm']) {
    const { knex, ...stores } = await journal();
    const runner = new RetentionRunner({
      client,
      ...stores,
      logger: silent,
      options: {
        pacing: {
          callsPerMinute: Infinity,
          callsPerHour: Infinity,
          registryHost: { callsPerMinute: Infinity, callsPerHour: Infinity },
        },
      },
      imageGraph: { graphs, registryHost: () => registryHost },
    });
    emulator.requests.reset();
    const hostBefore = registryHost.callCounts().total;
    const started = performance.now();
    const summary = await runner.run({
      account: 'default',
      registryName: REGISTRY,
      occurrenceKey: `bench-graph-${occurrence}`,
      retention: { rules: RULES },
      deadline: new Date(clock.ms + DAY),
      now: () => new Date(clock.ms),
    });
    const ms = performance.now() - started;
    const doCalls = emulator.requests.count();
    const hostCalls = registryHost.callCounts().total - hostBefore;
    // The listing and deletions at DigitalOcean's limit, the manifests and HEADs at the host's.
    const atLimits = doCalls / DO_PER_MINUTE + hostCalls / HOST_PER_SECOND / 60;
    console.log(
      `retention on the image graph (${occurrence} facts cache)  ${String(doCalls).padStart(5)} DO calls, ${String(hostCalls).padStart(5)} registry host calls, ${ms.toFixed(0).padStart(6)} ms; ${summary.deletedTags} tags and ${summary.deletedManifests} manifests deleted, ${summary.skipped} skipped; at ${DO_PER_MINUTE}/min and ${HOST_PER_SECOND}/s: ${atLimits.toFixed(1)} min`,
    );
    await knex.destroy();
    // The second run finds nothing more to delete: push the same again, a day later.
    if (occurrence === 'cold') {
      clock.ms += DAY;
      await pushImages(emulator, clock);
    }
  }
  await emulator.stop();
}
