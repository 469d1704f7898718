import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import {
  GcPolicy,
  describeValidationIssues,
  gcPolicySchema,
} from '@backstage-docr/plugin-docr-common';
import { DEFAULT_ACCOUNT_ID } from '@backstage-docr/plugin-docr-node';

export interface DocrBackendConfig {
  account: string;
  defaultPolicy: GcPolicy;
  /** Per-registry policies from app-config: they win over anything stored through the API. */
  configPolicies: Map<string, GcPolicy>;
  tickFrequency: HumanDuration;
  storageSampleIntervalMs: number;
  /** A window run does not start with less than this left of its window. */
  minimumRemainingWindowMs: number;
  runRetentionMs: number;
  sampleRetentionMs: number;
  repositories: RepositoryCacheConfig;
}

/** The cache of each registry's repositories and tags (`docr.repositories`). */
export interface RepositoryCacheConfig {
  /** A listing older than this is served once more while it is listed again. */
  cacheTtlMs: number;
  /** Registries whose listings are held; the least recently read go first. */
  maxRegistries: number;
  /** Tags held over all registries; the least recently read repositories' tags go first. */
  maxTags: number;
}

const BASE = 'docr.garbageCollection';

/** The default when config says nothing: weekly, Sunday 03:00–05:00 UTC. */
export const BUILT_IN_DEFAULT_POLICY: GcPolicy = gcPolicySchema.parse({
  windows: [
    { days: ['sun'], start: '03:00', duration: 'PT2H', timezone: 'UTC' },
  ],
});

function readPolicy(
  config: Config | undefined,
  key: string,
  fallback?: GcPolicy,
): GcPolicy {
  if (!config) return fallback ?? BUILT_IN_DEFAULT_POLICY;
  const raw = config.get();
  const merged = fallback ? { ...fallback, ...(raw as object) } : raw;
  const result = gcPolicySchema.safeParse(merged);
  if (!result.success) {
    throw new Error(
      `Invalid GC policy at ${describeValidationIssues(result.error, key).join('; ')}`,
    );
  }
  return result.data;
}

function duration(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
  fullKey: string,
) {
  if (!config?.has(key)) return fallback;
  try {
    return readDurationFromConfig(config, { key });
  } catch (error) {
    throw new Error(
      `${fullKey} is not a valid duration: ${(error as Error).message}`,
    );
  }
}

/** Reads the `docr` block; a bad window, zone or duration fails naming its key. */
export function readDocrConfig(config: Config): DocrBackendConfig {
  const gc = config.getOptionalConfig(BASE);
  const defaultPolicy = readPolicy(
    gc?.getOptionalConfig('default'),
    `${BASE}.default`,
  );
  const configPolicies = new Map<string, GcPolicy>();
  const registries = gc?.getOptionalConfig('registries');
  for (const name of registries?.keys() ?? []) {
    // A per-registry entry inherits what it does not say from the default policy.
    configPolicies.set(
      name,
      readPolicy(
        registries!.getConfig(name),
        `${BASE}.registries.${name}`,
        defaultPolicy,
      ),
    );
  }
  const retention = gc?.getOptionalConfig('retention');
  return {
    account: config.getOptionalString('docr.account') ?? DEFAULT_ACCOUNT_ID,
    defaultPolicy,
    configPolicies,
    tickFrequency: duration(
      gc,
      'tickFrequency',
      { minutes: 1 },
      `${BASE}.tickFrequency`,
    ),
    storageSampleIntervalMs: durationToMilliseconds(
      duration(
        gc,
        'storageSampleInterval',
        { hours: 1 },
        `${BASE}.storageSampleInterval`,
      ),
    ),
    minimumRemainingWindowMs: durationToMilliseconds(
      duration(
        gc,
        'minimumRemainingWindow',
        { minutes: 15 },
        `${BASE}.minimumRemainingWindow`,
      ),
    ),
    runRetentionMs: durationToMilliseconds(
      duration(retention, 'runs', { days: 400 }, `${BASE}.retention.runs`),
    ),
    sampleRetentionMs: durationToMilliseconds(
      duration(retention, 'samples', { days: 90 }, `${BASE}.retention.samples`),
    ),
    repositories: readRepositoryCacheConfig(config),
  };
}

function positiveInteger(
  config: Config | undefined,
  key: string,
  fallback: number,
): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`docr.repositories.${key} must be a positive integer`);
  return value;
}

function readRepositoryCacheConfig(config: Config): RepositoryCacheConfig {
  const repositories = config.getOptionalConfig('docr.repositories');
  return {
    cacheTtlMs: durationToMilliseconds(
      duration(
        repositories,
        'cacheTtl',
        { minutes: 5 },
        'docr.repositories.cacheTtl',
      ),
    ),
    maxRegistries: positiveInteger(repositories, 'maxRegistries', 50),
    maxTags: positiveInteger(repositories, 'maxTags', 100_000),
  };
}
