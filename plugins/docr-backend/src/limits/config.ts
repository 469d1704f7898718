import { toError } from '@backstage/errors';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { RateLimit } from '@backstage-docr/plugin-docr-node';

const KEY = 'docr.limits';

/** What users may spend of DigitalOcean's budget (`docr.limits`). */
export interface DocrLimitsConfig {
  /**
   * DigitalOcean calls a minute made to list what users' pages and previews ask for, per account
   * and replica; the GC task, retention and the catalog keep the rest.
   */
  interactive: RateLimit;
  /**
   * Name checks that ask DigitalOcean, per account and replica: more than one user's limit, so no
   * user alone spends them, and apart from the listings, so pages cannot spend them either.
   */
  accountNameChecks: RateLimit;
  /** Listings from DigitalOcean under way at once, per account and replica. */
  maxConcurrentListings: number;
  /** Name checks that ask DigitalOcean, per user (answers held for a minute cost nothing). */
  nameChecks: RateLimit;
  /** Previews of a registry whose listing is not held (so they list it), per user. */
  coldPreviews: RateLimit;
}

export const DEFAULT_LIMITS: DocrLimitsConfig = {
  interactive: { requests: 30, perMs: 60_000 },
  accountNameChecks: { requests: 20, perMs: 60_000 },
  maxConcurrentListings: 4,
  nameChecks: { requests: 10, perMs: 60_000 },
  coldPreviews: { requests: 3, perMs: 60_000 },
};

function positiveInteger(
  block: Config | undefined,
  key: string,
  fullKey = `${KEY}.${key}`,
) {
  const value = block?.getOptionalNumber(key);
  if (value !== undefined && (!Number.isInteger(value) || value < 1))
    throw new Error(`${fullKey} must be a positive integer`);
  return value;
}

/** `{ requests, per }` under `key`; what it leaves out is the default's. */
function readRateLimit(
  block: Config | undefined,
  key: string,
  fallback: RateLimit,
): RateLimit {
  const limit = block?.getOptionalConfig(key);
  const fullKey = `${KEY}.perUser.${key}`;
  const requests = positiveInteger(limit, 'requests', `${fullKey}.requests`);
  let perMs = fallback.perMs;
  if (limit?.has('per')) {
    try {
      perMs = durationToMilliseconds(
        readDurationFromConfig(limit, { key: 'per' }),
      );
    } catch (error) {
      throw new Error(
        `${fullKey}.per is not a valid duration: ${toError(error).message}`,
      );
    }
    if (!(perMs > 0)) throw new Error(`${fullKey}.per must be longer than 0`);
  }
  return { requests: requests ?? fallback.requests, perMs };
}

/** Reads `docr.limits`; a bad value fails naming its key. */
export function readLimitsConfig(config: Config): DocrLimitsConfig {
  const block = config.getOptionalConfig(KEY);
  const perUser = block?.getOptionalConfig('perUser');
  const interactivePerMinute = positiveInteger(
    block,
    'interactiveCallsPerMinute',
  );
  const nameChecksPerMinute = positiveInteger(block, 'nameCheckCallsPerMinute');
  return {
    interactive: interactivePerMinute
      ? { requests: interactivePerMinute, perMs: 60_000 }
      : DEFAULT_LIMITS.interactive,
    accountNameChecks: nameChecksPerMinute
      ? { requests: nameChecksPerMinute, perMs: 60_000 }
      : DEFAULT_LIMITS.accountNameChecks,
    maxConcurrentListings:
      positiveInteger(block, 'maxConcurrentListings') ??
      DEFAULT_LIMITS.maxConcurrentListings,
    nameChecks: readRateLimit(perUser, 'nameChecks', DEFAULT_LIMITS.nameChecks),
    coldPreviews: readRateLimit(
      perUser,
      'coldPreviews',
      DEFAULT_LIMITS.coldPreviews,
    ),
  };
}
