import type {
  KubernetesCluster,
  Registry,
  SubscriptionTier,
} from '@backstage-docr/digitalocean-openapi';
import {
  GcPolicy,
  describeValidationIssues,
  gcPolicySchema,
  registryLimitForTier,
  registryNameProblem,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { describeUnknownClusters, resolveClusters } from './clusters';

export interface CreateRegistryInput {
  name: string;
  subscriptionTier: string;
  region: string;
  garbageCollection?: Record<string, unknown>;
  doksClusters?: string[];
}

/** What the action will do; everything in it was checked before anything changes. */
export interface RegistryPlan {
  name: string;
  region: string;
  tier: string;
  policy: GcPolicy;
  /** The registry already exists in the account with these settings. */
  exists: boolean;
  /** The account's (shared) tier changes from this one to `tier` first. */
  upgradeFrom?: string;
  clustersToIntegrate: KubernetesCluster[];
  clustersAlreadyIntegrated: KubernetesCluster[];
}

export class RegistryPlanError extends Error {
  constructor(readonly problems: string[]) {
    super(`Nothing was created or changed:\n- ${problems.join('\n- ')}`);
    this.name = 'InputError';
  }
}

const TIER_ORDER = ['starter', 'basic', 'professional'];

/** Turns the action's GC input (`window` or `windows`) into a policy, naming bad fields. */
export function policyFromInput(input: Record<string, unknown> | undefined): {
  policy?: GcPolicy;
  problems: string[];
} {
  const { window, ...rest } = input ?? {};
  const candidate = window
    ? { ...rest, windows: [window, ...((rest.windows as unknown[]) ?? [])] }
    : rest;
  const parsed = gcPolicySchema.safeParse(candidate);
  if (parsed.success) return { policy: parsed.data, problems: [] };
  const problems = describeValidationIssues(
    parsed.error,
    'garbageCollection',
  ).map(p =>
    window
      ? p.replace('garbageCollection.windows.0.', 'garbageCollection.window.')
      : p,
  );
  return { problems };
}

/**
 * Checks everything before the first call that changes anything: name rules, GC policy, tier
 * and region against the options endpoint, the name free (or already ours, with the same
 * settings), the tier's registry cap, and the DOKS clusters. Only reads DigitalOcean.
 */
export async function planRegistry(
  client: DigitalOceanClient,
  input: CreateRegistryInput,
): Promise<RegistryPlan> {
  const problems: string[] = [];
  const nameProblem = registryNameProblem(input.name);
  if (nameProblem) problems.push(`name: ${nameProblem}`);
  const { policy, problems: policyProblems } = policyFromInput(
    input.garbageCollection,
  );
  problems.push(...policyProblems);

  const [options, subscription, registries, clusters] = await Promise.all([
    client.getOptions(),
    client.getSubscription(),
    client.listRegistries(),
    input.doksClusters?.length
      ? client.listClusters()
      : Promise.resolve([] as KubernetesCluster[]),
  ]);

  const tier = options.subscription_tiers.find(
    t => t.slug === input.subscriptionTier,
  );
  if (!tier) {
    problems.push(
      `subscriptionTier: "${input.subscriptionTier}" is not a tier DigitalOcean offers (${options.subscription_tiers.map(t => t.slug).join(', ')})`,
    );
  }
  if (!options.available_regions.includes(input.region)) {
    problems.push(
      `region: "${input.region}" is not a region for container registries (${options.available_regions.join(', ')})`,
    );
  }
  const { found, unknown } = resolveClusters(
    input.doksClusters ?? [],
    clusters,
  );
  if (unknown.length) problems.push(describeUnknownClusters(unknown, clusters));

  const accountTier = subscription?.tier?.slug;
  const existing = registries.find(r => r.name === input.name);
  let upgradeFrom: string | undefined;
  if (!nameProblem && existing) {
    problems.push(...differences(existing, input, accountTier));
  } else if (!nameProblem && tier) {
    if (!(await client.isRegistryNameAvailable(input.name))) {
      problems.push(
        `name: "${input.name}" is taken by another DigitalOcean account; registry names are global, choose another`,
      );
    }
    problems.push(...tierProblems(tier, accountTier, registries));
    if (accountTier && accountTier !== tier.slug) upgradeFrom = accountTier;
  }

  if (problems.length) throw new RegistryPlanError(problems);
  const integrated = (c: KubernetesCluster) =>
    Boolean(c.registry_enabled && c.registries?.includes(input.name));
  return {
    name: input.name,
    region: input.region,
    tier: input.subscriptionTier,
    policy: policy!,
    exists: Boolean(existing),
    upgradeFrom,
    clustersToIntegrate: found.filter(c => !integrated(c)),
    clustersAlreadyIntegrated: found.filter(integrated),
  };
}

function differences(
  existing: Registry,
  input: CreateRegistryInput,
  accountTier: string | undefined,
): string[] {
  const problems: string[] = [];
  if (existing.region !== input.region) {
    problems.push(
      `region: registry "${input.name}" already exists in ${existing.region}, not ${input.region}; a registry cannot move, so use region ${existing.region} or another name`,
    );
  }
  if (accountTier && accountTier !== input.subscriptionTier) {
    problems.push(
      `subscriptionTier: registry "${input.name}" already exists and the account is on the ${accountTier} tier, not ${input.subscriptionTier}; use ${accountTier}, or change the tier in DigitalOcean first`,
    );
  }
  return problems;
}

function tierProblems(
  tier: SubscriptionTier,
  accountTier: string | undefined,
  registries: Registry[],
): string[] {
  const slug = tier.slug!;
  const limit = registryLimitForTier(slug);
  const problems: string[] = [];
  if (registries.length + 1 > limit) {
    problems.push(
      `subscriptionTier: the ${slug} tier allows ${limit} ${limit === 1 ? 'registry' : 'registries'} per account and the account has ${registries.length} (${registries.map(r => r.name).join(', ')}); use professional (up to 10) or delete a registry`,
    );
  }
  if (accountTier && accountTier !== slug && registries.length > 0) {
    // The tier is the account's, shared by every registry: only ever raise it here.
    if (TIER_ORDER.indexOf(slug) < TIER_ORDER.indexOf(accountTier)) {
      problems.push(
        `subscriptionTier: the account's ${accountTier} tier is shared by its ${registries.length} registries; asking for ${slug} would downgrade them all. Use ${accountTier}`,
      );
    } else if (tier.eligible === false) {
      problems.push(
        `subscriptionTier: the account is not eligible for ${slug} (${(tier.eligibility_reasons ?? []).join(', ') || 'no reason given'})`,
      );
    }
  }
  return problems;
}
