import { performance } from 'node:perf_hooks';
import Knex from 'knex';
import { createDocrStores } from '../plugins/docr-backend/src/database/createDocrStores';
import { DoEmulator, EmulatorSeed } from '@backstage-docr/do-emulator';
import {
  RetentionRule,
  gcPolicySchema,
} from '@backstage-docr/plugin-docr-common';
import { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { ServiceUnavailableError } from '@backstage/errors';
import { RepositoryCache } from '../plugins/docr-backend/src/repositories/RepositoryCache';
import {
  FIRST_LISTING_RETRY_MS,
  LISTING_RETRY_MS,
} from '../plugins/docr/src/hooks/useRetryWhileListing';
import { previewRetention } from '../plugins/docr-backend/src/retention/preview';
import {
  RetentionRunner,
  RetentionRunnerOptions,
  RetentionRunSummary,
} from '../plugins/docr-backend/src/retention/RetentionRunner';
import { DEFAULT_RETENTION_PACING } from '../plugins/docr-backend/src/retention/RunGuard';
import { runImageGraphBench } from './retentionGraph';
import { runImagesInUseBench } from './retentionInUse';

const REPOSITORIES = 50;
const COMMITS = 400;
const REGISTRY = 'acme-ci';
/** DigitalOcean's budget per token. */
const DO_PER_MINUTE = 250;
const DO_PER_HOUR = 5_000;
/** The compressed run: DigitalOcean's minute lasts a second, everything else scaled alike. */
const SCALE = 60;
const RULES: RetentionRule[] = [
  {
    deleteOlderThan: 'P30D',
    keepNewest: 20,
    protectSemver: true,
    protect: ['latest'],
  },
];

const silent = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => silent,
} as any;

const seed: EmulatorSeed = {
  account: { subscriptionTier: 'professional' },
  registries: [
    {
      name: REGISTRY,
      region: 'fra1',
      ciHistory: Array.from({ length: REPOSITORIES }, (_, i) => ({
        repository: `service-${String(i).padStart(2, '0')}`,
        commits: COMMITS,
        days: 90,
        releaseEvery: 25,
      })),
    },
  ],
};

const minutes = (calls: number, perMinute: number) => calls / perMinute;
const fmtMin = (min: number) =>
  min < 120 ? `${min.toFixed(1)} min` : `${(min / 60).toFixed(1)} h`;
/** Minutes for the calls under a per-minute and a per-hour budget (the hour's first burst included). */
function budgetMinutes(calls: number, perMinute: number, perHour: number) {
  const fullHours = Math.floor(calls / perHour);
  const rest = calls - fullHours * perHour;
  return fullHours * 60 + (rest ? minutes(rest, perMinute) : 0);
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

function callsByKind(emulator: DoEmulator) {
  const ops = emulator.requests.summary().byOperation as Record<string, number>;
  const of = (...ids: string[]) => ids.reduce((s, id) => s + (ops[id] ?? 0), 0);
  return {
    total: emulator.requests.count(),
    lists: of(
      'registries_list_repositoriesV2',
      'registries_list_repositoryTags',
      'registries_list_repositoryManifests',
    ),
    deletes: of(
      'registries_delete_repositoryTag',
      'registries_delete_repositoryManifest',
    ),
  };
}

async function runRetention(
  emulator: DoEmulator,
  options: RetentionRunnerOptions,
  occurrenceKey: string,
): Promise<{ summary: RetentionRunSummary; ms: number; limited: number }> {
  const { knex, ...stores } = await journal();
  const client = new DigitalOceanClient({
    token: 'bench',
    apiUrl: emulator.url,
  });
  const runner = new RetentionRunner({
    client,
    ...stores,
    logger: silent,
    options,
  });
  emulator.requests.reset();
  const started = performance.now();
  const summary = await runner.run({
    account: 'default',
    registryName: REGISTRY,
    occurrenceKey,
    retention: { rules: RULES },
    deadline: new Date(Date.now() + 24 * 3_600_000),
    now: () => new Date(),
  });
  const ms = performance.now() - started;
  const limited = emulator.requests.all().filter(e => e.status === 429).length;
  await knex.destroy();
  return { summary, ms, limited };
}

/** When the page asks again after a 503, from its first ask (useRetryWhileListing's schedule). */
function pageAsksAt(readyMs: number): number {
  let at = 0;
  for (let attempt = 0; at < readyMs; attempt++)
    at += Math.min(LISTING_RETRY_MS, FIRST_LISTING_RETRY_MS * 2 ** attempt);
  return at;
}

/** DO calls and the time until a fresh cache serves the read, and when the page shows it. */
async function firstRows(
  emulator: DoEmulator,
  read: (cache: RepositoryCache) => unknown,
): Promise<string> {
  const cache = new RepositoryCache({
    client: new DigitalOceanClient({ token: 'bench', apiUrl: emulator.url }),
    now: () => new Date(),
    config: { cacheTtlMs: 300_000, maxRegistries: 10, maxTags: 1_000_000 },
    logger: silent,
  });
  emulator.requests.reset();
  const started = performance.now();
  for (;;) {
    try {
      read(cache);
      break;
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      await new Promise(resolve => setTimeout(resolve, 5));
    }
  }
  const readyMs = performance.now() - started;
  return `${String(emulator.requests.count()).padStart(3)} DO calls, listed in ${readyMs.toFixed(0)} ms; the page shows them when it asks again, at ${pageAsksAt(readyMs)} ms (plus its own request and render)`;
}

export async function run() {
  let started = performance.now();
  const emulator = await DoEmulator.start({
    seed,
    rateLimitPerMinute: 1e9,
    rateLimitPerHour: 1e9,
  });
  console.log(
    `Retention of ${REPOSITORIES} repositories × ${COMMITS} CI commits (sha-<hex> tags over 90 days, a release every 25th, latest) in one registry; rules: older than 30 days and not among the 20 newest, releases and latest protected. Emulator on loopback, SQLite journal in memory. Seeded in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );

  // The Repositories tab: its first rows (the registry's repositories), then a repository's tags
  // on a click; both from the cache, which lists in the background while the page asks again.
  console.log(
    `the Repositories tab, first rows:  ${await firstRows(emulator, cache => cache.repositories(REGISTRY))}`,
  );
  console.log(
    `a repository's tags, first rows:   ${await firstRows(emulator, cache => cache.tags(REGISTRY, 'service-00'))}`,
  );

  // The preview: through the repository cache, as GET .../retention/preview reads it.
  const client = new DigitalOceanClient({
    token: 'bench',
    apiUrl: emulator.url,
  });
  const cache = new RepositoryCache({
    client,
    now: () => new Date(),
    config: { cacheTtlMs: 300_000, maxRegistries: 10, maxTags: 1_000_000 },
    logger: silent,
  });
  emulator.requests.reset();
  started = performance.now();
  let contents;
  for (;;) {
    try {
      contents = cache.registryContents(REGISTRY);
      break;
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      await new Promise(resolve => setTimeout(resolve, 5));
    }
  }
  const preview = previewRetention({
    registry: REGISTRY,
    contents,
    effective: {
      policy: gcPolicySchema.parse({ retention: { rules: RULES } }),
      source: 'api',
    },
    now: new Date(),
  });
  const previewMs = performance.now() - started;
  const previewCalls = emulator.requests.count();
  const tags = preview.tagsToDelete + preview.tagsToKeep;
  console.log(
    `preview (cold cache, listings in parallel)      ${String(previewCalls).padStart(6)} DO calls ${previewMs.toFixed(0).padStart(8)} ms   ${tags} tags: ${preview.tagsToDelete} to delete, ${preview.tagsToKeep} kept; a GC would free ${(preview.estimatedFreedBytes / 1024 ** 3).toFixed(1)} GiB`,
  );
  started = performance.now();
  cache.registryContents(REGISTRY);
  console.log(
    `preview (warm cache)                            ${String(0).padStart(6)} DO calls ${(performance.now() - started).toFixed(0).padStart(8)} ms`,
  );
  console.log(
    `  at DigitalOcean's ${DO_PER_MINUTE}/min the cold preview's calls take ${fmtMin(minutes(previewCalls, DO_PER_MINUTE))} of the budget (one listing per cache period, docr.repositories.cacheTtl)`,
  );

  // The run, rate limits off: our own cost per call (listing, journal, checks, deletions).
  const fast = await runRetention(
    emulator,
    {
      pacing: {
        callsPerMinute: Infinity,
        callsPerHour: Infinity,
        registryHost: { callsPerMinute: Infinity, callsPerHour: Infinity },
      },
    },
    'bench-fast',
  );
  const calls = callsByKind(emulator);
  if (fast.summary.deletedTags !== preview.tagsToDelete)
    throw new Error(
      `The run deleted ${fast.summary.deletedTags} tags, the preview said ${preview.tagsToDelete}`,
    );
  console.log(
    `retention run, no rate limit                    ${String(calls.total).padStart(6)} DO calls ${fast.ms.toFixed(0).padStart(8)} ms   ${calls.lists} listing pages + ${calls.deletes} deletions; ${fast.summary.deleted} deleted = the preview's ${preview.tagsToDelete}; ${(fast.ms / calls.total).toFixed(2)} ms per call in all (emulator, client, SQLite journal)`,
  );
  const pacing = DEFAULT_RETENTION_PACING;
  console.log(
    `  at DigitalOcean's ${DO_PER_MINUTE}/min alone: ${fmtMin(minutes(calls.total, DO_PER_MINUTE))}; with its ${DO_PER_HOUR}/h too: ${fmtMin(budgetMinutes(calls.total, DO_PER_MINUTE, DO_PER_HOUR))}; at retention's default pace (${pacing.callsPerMinute}/min, ${pacing.callsPerHour}/h): ${fmtMin(budgetMinutes(calls.total, pacing.callsPerMinute, pacing.callsPerHour))}, so a 2-hour window deletes about ${Math.min(calls.deletes, 2 * pacing.callsPerHour - calls.lists)}`,
  );
  await emulator.stop();

  // The run against DigitalOcean's per-minute limit, 60 times faster: a minute lasts a second,
  // retention's pace and listing age scaled alike (the hourly limits are not: they are computed).
  const limitedEmulator = await DoEmulator.start({
    seed,
    rateLimitPerMinute: DO_PER_MINUTE,
    rateLimitWindowMs: 60_000 / SCALE,
    rateLimitPerHour: 1e9,
  });
  const scaled = await runRetention(
    limitedEmulator,
    {
      pacing: {
        callsPerMinute: pacing.callsPerMinute * SCALE,
        callsPerHour: Infinity,
        registryHost: {
          callsPerMinute: pacing.registryHost.callsPerMinute * SCALE,
          callsPerHour: Infinity,
        },
      },
      listingMaxAgeMs: 60_000 / SCALE,
    },
    'bench-limited',
  );
  const limitedCalls = callsByKind(limitedEmulator);
  console.log(
    `retention run at ${DO_PER_MINUTE}/min, time ÷ ${SCALE}             ${String(limitedCalls.total).padStart(6)} DO calls ${scaled.ms.toFixed(0).padStart(8)} ms   ${limitedCalls.lists} listing pages (tags listed again when a minute old) + ${limitedCalls.deletes} deletions, ${scaled.limited} answered 429; ${scaled.summary.deleted} deleted; × ${SCALE}: ${fmtMin((scaled.ms * SCALE) / 60_000)} (per-minute limit only)`,
  );
  await limitedEmulator.stop();

  // Retention on the image graph: multi-arch and signed images read through the registry host.
  await runImageGraphBench();
  // What runs, read before each plan: DOKS clusters' pods and App Platform's deployments.
  await runImagesInUseBench();
}
