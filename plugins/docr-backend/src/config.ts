import { toError } from '@backstage/errors';
import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import {
  GcPolicy,
  describeValidationIssues,
  gcPolicySchema,
} from '@backstage-docr/plugin-docr-common';
import { DEFAULT_ACCOUNT_ID } from '@backstage-docr/plugin-docr-node';
import type { RetentionRunnerOptions } from './retention/RetentionRunner';
import {
  DEFAULT_RETENTION_PACING,
  type RetentionPacing,
} from './retention/RunGuard';

export interface DocrBackendConfig {
  /** The accounts whose registries are collected (`docr.accounts`; all configured when absent). */
  accounts?: string[];
  /** The account of the routes that name none (`/registries/...`). */
  defaultAccount?: string;
  defaultPolicy: GcPolicy;
  /**
   * Per-registry policies from app-config, of the account this config is for (see
   * `forAccount`): they win over anything stored through the API.
   */
  configPolicies: Map<string, GcPolicy>;
  /** The config key of a registry's policy in `configPolicies`. */
  configPolicyKey: (registryName: string) => string;
  /** Every account's per-registry policies from app-config. */
  accountPolicies: Map<string, Map<string, GcPolicy>>;
  tickFrequency: HumanDuration;
  storageSampleIntervalMs: number;
  /** A window run does not start with less than this left of its window. */
  minimumRemainingWindowMs: number;
  runRetentionMs: number;
  sampleRetentionMs: number;
  repositories: RepositoryCacheConfig;
  /** How the retention run spends the account's DigitalOcean budget (`docr.tagRetention`). */
  retentionRunner: RetentionRunnerOptions;
  /** How long one GC tick spends deleting one registry's tags before it moves on. */
  retentionTickBudgetMs: number;
  /** Whether retention rules delete (`docr.tagRetention.enabled`); otherwise they are previewed. */
  tagRetentionEnabled: boolean;
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
      `${fullKey} is not a valid duration: ${toError(error).message}`,
    );
  }
}

/**
 * The per-registry policies of config, by account: the default account's under
 * `registries`, another's under `accounts.<id>.registries`. Each inherits what it does not say
 * from the default policy.
 */
function readAccountPolicies(
  gc: Config | undefined,
  defaultPolicy: GcPolicy,
): Map<string, Map<string, GcPolicy>> {
  const accountPolicies = new Map<string, Map<string, GcPolicy>>();
  const readRegistries = (account: string, key: string) => {
    const policies = new Map<string, GcPolicy>();
    const registries = gc?.getOptionalConfig(key);
    for (const name of registries?.keys() ?? []) {
      policies.set(
        name,
        readPolicy(
          registries!.getConfig(name),
          `${BASE}.${key}.${name}`,
          defaultPolicy,
        ),
      );
    }
    accountPolicies.set(account, policies);
  };
  readRegistries(DEFAULT_ACCOUNT_ID, 'registries');
  for (const account of gc?.getOptionalConfig('accounts')?.keys() ?? []) {
    if (account === DEFAULT_ACCOUNT_ID)
      throw new Error(
        `${BASE}.accounts.${account}: put the default account's registries under ${BASE}.registries`,
      );
    readRegistries(account, `accounts.${account}.registries`);
  }
  return accountPolicies;
}

/** Reads the `docr` block; a bad window, zone or duration fails naming its key. */
export function readDocrConfig(config: Config): DocrBackendConfig {
  const gc = config.getOptionalConfig(BASE);
  const defaultPolicy = readPolicy(
    gc?.getOptionalConfig('default'),
    `${BASE}.default`,
  );
  const accountPolicies = readAccountPolicies(gc, defaultPolicy);
  const retention = gc?.getOptionalConfig('retention');
  return {
    accounts: config.getOptionalStringArray('docr.accounts'),
    defaultAccount: config.getOptionalString('docr.account'),
    defaultPolicy,
    configPolicies: accountPolicies.get(DEFAULT_ACCOUNT_ID)!,
    configPolicyKey: name => `${BASE}.registries.${name}`,
    accountPolicies,
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
    retentionRunner: readRetentionRunnerConfig(config),
    tagRetentionEnabled:
      config.getOptionalBoolean('docr.tagRetention.enabled') ?? false,
    retentionTickBudgetMs: durationToMilliseconds(
      duration(
        config.getOptionalConfig('docr.tagRetention'),
        'tickBudget',
        { seconds: 40 },
        'docr.tagRetention.tickBudget',
      ),
    ),
  };
}

/** The config as one account's registries see it: that account's per-registry policies. */
export function configForAccount(
  config: DocrBackendConfig,
  account: string,
): DocrBackendConfig {
  return {
    ...config,
    configPolicies: config.accountPolicies.get(account) ?? new Map(),
    configPolicyKey: name =>
      account === DEFAULT_ACCOUNT_ID
        ? `${BASE}.registries.${name}`
        : `${BASE}.accounts.${account}.registries.${name}`,
  };
}

/**
 * The accounts the docr backend collects (`docr.accounts`, else every configured account) and
 * the one of routes that name none (`docr.account`, else `default` or the first collected).
 */
export function collectedAccounts(
  config: DocrBackendConfig,
  configured: string[],
): { accounts: string[]; defaultAccount: string } {
  const accounts = config.accounts ?? configured;
  for (const account of [
    ...accounts,
    ...config.accountPolicies.keys(),
    ...(config.defaultAccount ? [config.defaultAccount] : []),
  ]) {
    if (account !== DEFAULT_ACCOUNT_ID && !configured.includes(account))
      throw new Error(
        `docr: "${account}" is not an account under digitalocean.accounts (${configured.join(', ')})`,
      );
  }
  if (!accounts.length)
    throw new Error('docr.accounts: name at least one account');
  const defaultAccount =
    config.defaultAccount ??
    (accounts.includes(DEFAULT_ACCOUNT_ID) ? DEFAULT_ACCOUNT_ID : accounts[0]);
  if (!accounts.includes(defaultAccount))
    throw new Error(
      `docr.account "${defaultAccount}" is not among docr.accounts (${accounts.join(', ')})`,
    );
  return { accounts, defaultAccount };
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

function readRetentionRunnerConfig(config: Config): RetentionRunnerOptions {
  const block = config.getOptionalConfig('docr.tagRetention');
  const pacing: Partial<RetentionPacing> = {};
  const positive = (key: string) => {
    const value = block?.getOptionalNumber(key);
    if (value !== undefined && !(value > 0))
      throw new Error(`docr.tagRetention.${key} must be a positive number`);
    return value;
  };
  for (const key of ['callsPerMinute', 'callsPerHour'] as const) {
    const value = positive(key);
    if (value !== undefined) pacing[key] = value;
  }
  const registryHost = DEFAULT_RETENTION_PACING.registryHost;
  pacing.registryHost = {
    callsPerMinute:
      positive('registryHost.callsPerMinute') ?? registryHost.callsPerMinute,
    callsPerHour:
      positive('registryHost.callsPerHour') ?? registryHost.callsPerHour,
  };
  return { pacing };
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
