import type { DocrTestBackend } from './backend';

/**
 * The emulator's DigitalOcean rate limits out of the way (spread into `DoEmulator.start`'s
 * options): the retention and in-use tests measure what is deleted, not DigitalOcean's pace.
 */
export const NO_RATE_LIMITS = {
  rateLimitPerMinute: 1e9,
  rateLimitPerHour: 1e9,
} as const;

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
