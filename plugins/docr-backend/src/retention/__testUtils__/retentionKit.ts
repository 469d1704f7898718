import { mockServices } from '@backstage/backend-test-utils';
import {
  DoEmulator,
  ManualClock,
  ciHistorySeedPath,
  loadSeedFile,
} from '@backstage-docr/do-emulator';
import type { RetentionRule } from '@backstage-docr/plugin-docr-common';
import { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import type { Knex } from 'knex';
import type { RepositoryContents } from '../../repositories/RepositoryCache';
import { RetentionRunner, RetentionRunnerOptions } from '../RetentionRunner';
import { retentionStores } from './retentionStores';

export { migrate } from './migrate';

export const NOW = Date.parse('2026-11-23T12:00:00Z');
export const DAY = 86_400_000;
export const REGISTRY = 'acme-ci';
export const SEMVER_OR_LATEST = /^(v1\.\d+\.0|latest)$/;

/** The preview test's rules: 30 days and 20 newest, releases and latest protected; workers 50. */
export const CI_RULES: RetentionRule[] = [
  {
    deleteOlderThan: 'P30D',
    keepNewest: 20,
    protectSemver: true,
    protect: ['latest'],
  },
  { repositories: ['work*'], keepNewest: 50 },
];

/** No pacing and short rate-limit pauses: tests measure behaviour, not DigitalOcean's clock. */
export const FAST: RetentionRunnerOptions = {
  pacing: {
    callsPerMinute: Infinity,
    callsPerHour: Infinity,
    registryHost: { callsPerMinute: Infinity, callsPerHour: Infinity },
    minRateLimitPauseMs: 10,
    maxRateLimitPauseMs: 200,
  },
};

/**
 * A client of the emulator; `onRequest` sees each request before it is sent; its waits run on
 * `clock` when given.
 */
export function emulatorClient(
  emulator: DoEmulator,
  onRequest?: (request: Request) => void | Promise<void>,
  clock?: ManualClock,
) {
  return new DigitalOceanClient({
    token: 'test',
    apiUrl: emulator.url,
    baseBackoffMs: 1,
    maxRateLimitWaitMs: 5_000,
    clock,
    fetch: async (input, init) => {
      await onRequest?.(new Request(input as string, init));
      return fetch(input, init);
    },
  });
}

export function makeRunner(
  knex: Knex,
  client: DigitalOceanClient,
  options: RetentionRunnerOptions = FAST,
) {
  const logger = mockServices.logger.mock();
  return {
    runner: new RetentionRunner({
      client,
      ...retentionStores(knex),
      logger,
      options,
    }),
    logger,
  };
}

/** The registry's repositories, tags and manifests listed now, as the runner lists them. */
export async function listNow(
  client: DigitalOceanClient,
  registry = REGISTRY,
): Promise<RepositoryContents[]> {
  const repositories = await client.listRepositories(registry);
  return Promise.all(
    repositories.map(async ({ name = '' }) => ({
      name,
      tags: await client.listTags(registry, name),
      manifests: await client.listManifests(registry, name),
    })),
  );
}

/** The tags the emulator holds, as `repository:tag`. */
export function heldTags(emulator: DoEmulator, registry = REGISTRY) {
  const held = new Set<string>();
  for (const repo of emulator.account
    .getRegistry(registry)
    .storage.repositories.values())
    for (const tag of repo.tags.keys()) held.add(`${repo.name}:${tag}`);
  return held;
}

/** The DELETE requests the emulator served, by path, with their statuses. */
export function deleteRequests(emulator: DoEmulator) {
  return emulator.requests
    .all()
    .filter(e => e.method === 'DELETE')
    .map(e => ({ path: decodeURIComponent(e.path), status: e.status }));
}

export const request = (
  occurrenceKey: string,
  rules: RetentionRule[] | undefined,
  extra: { deadline?: Date; now?: () => Date; signal?: AbortSignal } = {},
) => ({
  account: 'default',
  registryName: REGISTRY,
  occurrenceKey,
  retention: rules && { rules },
  deadline: extra.deadline ?? new Date(NOW + 2 * 3_600_000),
  now: extra.now ?? (() => new Date(NOW)),
  signal: extra.signal,
});

/**
 * The emulator with the CI-history seed on the tests' fixed clock, no rate limits, reset before
 * each test and stopped after the suite; called inside a `describe`.
 */
export function ciHistoryEmulator(): { readonly current: DoEmulator } {
  let emulator: DoEmulator | undefined;
  beforeAll(async () => {
    emulator = await DoEmulator.start({
      seed: loadSeedFile(ciHistorySeedPath),
      clock: () => NOW,
      validateResponses: true,
      rateLimitPerMinute: 1e9,
      rateLimitPerHour: 1e9,
    });
  });
  beforeEach(() => emulator!.reset());
  afterAll(() => emulator?.stop());
  return {
    get current() {
      return emulator!;
    },
  };
}
