import { DoEmulator } from '@backstage-docr/do-emulator';
import { DocrTestBackend, MINUTE, TestClock } from './backend';

/**
 * The emulator's DigitalOcean rate limits out of the way (spread into `DoEmulator.start`'s
 * options): the retention and in-use tests measure what is deleted, not DigitalOcean's pace.
 */
export const NO_RATE_LIMITS = {
  rateLimitPerMinute: 1e9,
  rateLimitPerHour: 1e9,
} as const;

/** The in-use tests' registry, its images' host name and the DOKS cluster that runs them. */
export const IN_USE = {
  registry: 'acme-prod',
  cluster: '0f3a7b52-8e44-4c1c-b2d5-6a9e8f7c3d02',
  host: 'registry.digitalocean.com/acme-prod',
} as const;

/**
 * The in-use tests' emulator on `clock`: {@link IN_USE}'s registry, empty, and its cluster
 * (prod-ams3) integrated with it, DigitalOcean's rate limits lifted.
 */
export function startInUseEmulator(clock: TestClock): Promise<DoEmulator> {
  return DoEmulator.start({
    seed: {
      account: { subscriptionTier: 'professional' },
      registries: [{ name: IN_USE.registry }],
      clusters: [
        {
          id: IN_USE.cluster,
          name: 'prod-ams3',
          registries: [IN_USE.registry],
        },
      ],
    },
    clock: clock.now,
    gcStepMs: MINUTE,
    validateResponses: true,
    ...NO_RATE_LIMITS,
  });
}

/**
 * `docr` config with tag retention on (or off, `enabled` false) and no pacing of its own.
 * `tickBudget` is the slice of real time a tick may spend deleting: the default outlasts any
 * test, so one tick deletes all a window's run has to.
 */
export function unpacedTagRetention(tickBudget = 'PT10M', enabled = true) {
  return {
    tagRetention: {
      enabled,
      callsPerMinute: 1e9,
      callsPerHour: 1e9,
      registryHost: { callsPerMinute: 1e9, callsPerHour: 1e9 },
      tickBudget,
    },
  };
}

/**
 * Runs the GC task once (the account's first listing), then stores `policy` for `registry`
 * through the API, which must answer 200.
 */
export async function listAndStorePolicy(
  docr: DocrTestBackend,
  registry: string,
  policy: object,
): Promise<void> {
  await docr.tick();
  const put = await docr.api('put', `/registries/${registry}/policy`, policy);
  expect(put.status).toBe(200);
}
