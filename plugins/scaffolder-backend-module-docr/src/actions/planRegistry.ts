import { InputError } from '@backstage/errors';
import type {
  KubernetesCluster,
  Registry,
  RegistryOptions,
  SubscriptionTier,
} from '@backstage-docr/digitalocean-openapi';
import {
  GcPolicy,
  describeValidationIssues,
  gcPolicySchema,
  registryNameProblem,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { describeUnknownClusters, resolveClusters } from './clusters';
import { checkPlannedRegistries, regionProblem } from './plannedRegistries';
import {
  MonthlyCost,
  checkTierRaise,
  estimateCost,
  resolveMinimumTier,
  resolveTier,
  tierSlug,
  tiersInOrder,
} from './planTier';

export interface CreateRegistryInput {
  name: string;
  /** The tier this registry needs at least (kept under its old name for compatibility). */
  subscriptionTier?: string;
  /** Alias of `subscriptionTier`. */
  minimumTier?: string;
  region: string;
  garbageCollection?: Record<string, unknown>;
  doksClusters?: string[];
  /** Consent to raise the account's (shared, billed) tier when the registry needs more. */
  allowTierRaise?: boolean;
  /** Registries later steps of the same template create: checked with this one. */
  alsoCreating?: PlannedRegistry[];
  /** The account under digitalocean.accounts (its clusters' entities are in its namespace). */
  account?: string;
}

/** A registry a later step of the template creates, checked together with this one. */
export interface PlannedRegistry {
  name: string;
  region: string;
  /** The template parameter its region comes from, named in messages (e.g. secondaryRegion). */
  regionParameter?: string;
}

/** What the action will do; everything in it was checked before anything changes. */
export interface RegistryPlan {
  name: string;
  region: string;
  /** The account's tier once this registry exists (never lower than it was). */
  tier: string;
  /** The minimum tier the input asked for (the cheapest tier when it asked for none). */
  requestedTier: string;
  /** The lowest tier the registry (and the registries planned with it) needs. */
  minimumTier: string;
  /** Undefined: no policy in the input, the docr backend's configured default applies. */
  policy?: GcPolicy;
  /** The registry already exists in the account with these settings. */
  exists: boolean;
  /** The account's (shared) tier changes from this one to `tier` first. */
  upgradeFrom?: string;
  /** Why the tier is raised (or the first subscription chosen), for the log. */
  tierReason?: string;
  /** The account has no subscription yet: the create starts it on `tier`. */
  startsSubscription: boolean;
  /** What the account pays a month before (undefined without a subscription) and after. */
  costBefore?: MonthlyCost;
  costAfter: MonthlyCost;
  clustersToIntegrate: KubernetesCluster[];
  clustersAlreadyIntegrated: KubernetesCluster[];
}

/**
 * Turns the action's GC input (`window` or `windows`) into a policy, naming bad fields. No input
 * gives no policy: the docr backend's configured default applies (nothing is stored).
 */
export function policyFromInput(input: Record<string, unknown> | undefined): {
  policy?: GcPolicy;
  problems: string[];
} {
  if (input === undefined || input === null) return { problems: [] };
  const { window, ...rest } = input;
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

/** What DigitalOcean says of the account, read once for the whole plan. */
export interface AccountFacts {
  options: Required<RegistryOptions>;
  /** The tiers DigitalOcean offers, cheapest first. */
  tiers: SubscriptionTier[];
  /** The account's tier; undefined: no subscription yet. */
  tierSlug?: string;
  registries: Registry[];
  /** The account's DOKS clusters (read only when the input names some). */
  clusters: KubernetesCluster[];
}

/**
 * Checks everything before the first call that changes anything: name rules, GC policy, tier
 * and region against the options endpoint, the name free (or already ours, in the same region),
 * the registries planned with it, the tier the account needs for all of them and the consent to
 * raise it, and the DOKS clusters. Only reads DigitalOcean; every problem found is in the one
 * `InputError` it throws.
 *
 * The tier in the input is a minimum: an account already on it or higher keeps its tier; one
 * below it, or one whose tier allows fewer registries than it will have, is raised to the lowest
 * tier that fits (only with `allowTierRaise`). Nothing here ever lowers an account's tier.
 */
export async function planRegistry(
  client: DigitalOceanClient,
  input: CreateRegistryInput,
): Promise<RegistryPlan> {
  const { policy, problems: inputProblems } = validateInput(input);
  const account = await readAccount(client, input);
  const minimum = resolveMinimumTier(input, account);
  const ownRegionProblem = regionProblem(account, 'region', input.region);
  const clusters = resolveClusters(
    input.doksClusters ?? [],
    account.clusters,
    input.account,
  );
  const registries = await checkPlannedRegistries(client, input, account);
  const tier = resolveTier(account, minimum, registries.toCreate);
  const problems = [
    ...inputProblems,
    ...minimum.problems,
    ...(ownRegionProblem ? [ownRegionProblem] : []),
    ...(clusters.unknown.length
      ? [describeUnknownClusters(clusters.unknown, account.clusters)]
      : []),
    ...registries.problems,
    ...tier.problems,
    ...checkTierRaise(input, account, minimum, tier),
  ];
  // Without problems every tier is known (DigitalOcean offering none is a problem).
  if (problems.length || !minimum.tier || !tier.needed || !tier.target) {
    throw new InputError(
      `Nothing was created or changed:\n- ${problems.join('\n- ')}`,
    );
  }
  const exists = account.registries.some(r => r.name === input.name);
  const integrated = (c: KubernetesCluster) =>
    Boolean(c.registry_enabled && c.registries?.includes(input.name));
  return {
    name: input.name,
    region: input.region,
    tier: tierSlug(tier.target),
    requestedTier: tierSlug(minimum.tier),
    minimumTier: tierSlug(tier.needed),
    policy,
    exists,
    upgradeFrom: tier.upgradeFrom,
    tierReason: tier.reason,
    startsSubscription: !account.tierSlug && !exists,
    costBefore: tier.current ? estimateCost(account, tier.current) : undefined,
    costAfter: estimateCost(account, tier.target),
    clustersToIntegrate: clusters.found.filter(c => !integrated(c)),
    clustersAlreadyIntegrated: clusters.found.filter(integrated),
  };
}

/** What needs no call to DigitalOcean: the name's rules, the GC policy, the tier fields. */
function validateInput(input: CreateRegistryInput): {
  policy?: GcPolicy;
  problems: string[];
} {
  const problems: string[] = [];
  const nameProblem = registryNameProblem(input.name);
  if (nameProblem) problems.push(`name: ${nameProblem}`);
  const { policy, problems: policyProblems } = policyFromInput(
    input.garbageCollection,
  );
  problems.push(...policyProblems);
  const { minimumTier, subscriptionTier } = input;
  if (
    minimumTier !== undefined &&
    subscriptionTier !== undefined &&
    minimumTier !== subscriptionTier
  ) {
    problems.push(
      `minimumTier: "${minimumTier}" and subscriptionTier "${subscriptionTier}" are the same input under two names; give one`,
    );
  }
  return { policy, problems };
}

async function readAccount(
  client: DigitalOceanClient,
  input: CreateRegistryInput,
): Promise<AccountFacts> {
  const [options, subscription, registries, clusters] = await Promise.all([
    client.getOptions(),
    client.getSubscription(),
    client.listRegistries(),
    input.doksClusters?.length
      ? client.listClusters()
      : Promise.resolve([] as KubernetesCluster[]),
  ]);
  return {
    options,
    tiers: tiersInOrder(options.subscription_tiers),
    tierSlug: subscription?.tier?.slug,
    registries,
    clusters,
  };
}
