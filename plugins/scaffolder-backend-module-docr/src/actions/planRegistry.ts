import type {
  KubernetesCluster,
  SubscriptionTier,
} from '@backstage-docr/digitalocean-openapi';
import {
  GIB,
  GcPolicy,
  MonthlyCostEstimate,
  describeValidationIssues,
  estimateMonthlyCost,
  gcPolicySchema,
  registryLimitForTier,
  registryNameProblem,
} from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { describeUnknownClusters, resolveClusters } from './clusters';

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

/** What the account pays a month: the tier's price plus storage above what the tier includes. */
export interface MonthlyCost extends MonthlyCostEstimate {
  tier: string;
  storageBytes: number;
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

export class RegistryPlanError extends Error {
  constructor(readonly problems: string[]) {
    super(`Nothing was created or changed:\n- ${problems.join('\n- ')}`);
    this.name = 'InputError';
  }
}

/**
 * The tiers from the options endpoint, cheapest first (then by included storage): "higher" means
 * later in this list. Never a constant list: DigitalOcean's catalogue decides.
 */
export function tiersInOrder(tiers: SubscriptionTier[]): SubscriptionTier[] {
  return [...tiers].sort(
    (a, b) =>
      (a.monthly_price_in_cents ?? 0) - (b.monthly_price_in_cents ?? 0) ||
      (a.included_storage_bytes ?? 0) - (b.included_storage_bytes ?? 0),
  );
}

/** "$20.00/month" from cents. */
export function formatMonthly(cents: number): string {
  return `$${(cents / 100).toFixed(2)}/month`;
}

/** "$20.00/month (professional) + $0.40 for 20.0 GiB above the 100 GiB included". */
export function describeCost(cost: MonthlyCost): string {
  const base = `${formatMonthly(cost.baseCents)} (${cost.tier})`;
  if (!cost.overageBytes) return base;
  return `${base} + about ${formatMonthly(cost.overageCents)} for ${(cost.overageBytes / GIB).toFixed(1)} GiB of storage above the tier's included storage = ${formatMonthly(cost.totalCents)}`;
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

/**
 * Checks everything before the first call that changes anything: name rules, GC policy, tier
 * and region against the options endpoint, the name free (or already ours, in the same region),
 * the registries planned with it, the tier the account needs for all of them and the consent to
 * raise it, and the DOKS clusters. Only reads DigitalOcean.
 *
 * The tier in the input is a minimum: an account already on it or higher keeps its tier; one
 * below it, or one whose tier allows fewer registries than it will have, is raised to the lowest
 * tier that fits (only with `allowTierRaise`). Nothing here ever lowers an account's tier.
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
  const tiers = tiersInOrder(options.subscription_tiers);
  const rank = (slug: string | undefined) =>
    tiers.findIndex(t => t.slug === slug);

  // The minimum tier: `minimumTier` or its old name `subscriptionTier`; none means the cheapest.
  const tierField =
    input.minimumTier !== undefined ? 'minimumTier' : 'subscriptionTier';
  if (
    input.minimumTier !== undefined &&
    input.subscriptionTier !== undefined &&
    input.minimumTier !== input.subscriptionTier
  ) {
    problems.push(
      `minimumTier: "${input.minimumTier}" and subscriptionTier "${input.subscriptionTier}" are the same input under two names; give one`,
    );
  }
  const asked = input.minimumTier ?? input.subscriptionTier;
  let minimum: SubscriptionTier | undefined = tiers[0];
  if (asked !== undefined) {
    minimum = tiers.find(t => t.slug === asked);
    if (!minimum) {
      problems.push(
        `${tierField}: "${asked}" is not a tier DigitalOcean offers (${options.subscription_tiers.map(t => t.slug).join(', ')})`,
      );
    }
  }
  const regionProblem = (field: string, region: string) =>
    options.available_regions.includes(region)
      ? undefined
      : `${field}: "${region}" is not a region for container registries (${options.available_regions.join(', ')})`;
  const ownRegionProblem = regionProblem('region', input.region);
  if (ownRegionProblem) problems.push(ownRegionProblem);
  const { found, unknown } = resolveClusters(
    input.doksClusters ?? [],
    clusters,
    input.account,
  );
  if (unknown.length) problems.push(describeUnknownClusters(unknown, clusters));

  // This registry and the ones later steps create: each its own name and region.
  const planned = [
    {
      name: input.name,
      region: input.region,
      nameField: 'name',
      regionField: 'region',
      nameOk: !nameProblem,
    },
    ...(input.alsoCreating ?? []).map((other, i) => {
      const nameField = `alsoCreating.${i}.name`;
      const regionField = other.regionParameter
        ? `${other.regionParameter} (alsoCreating.${i}.region)`
        : `alsoCreating.${i}.region`;
      const otherNameProblem = registryNameProblem(other.name);
      if (otherNameProblem) problems.push(`${nameField}: ${otherNameProblem}`);
      const otherRegionProblem = regionProblem(regionField, other.region);
      if (otherRegionProblem) problems.push(otherRegionProblem);
      return { ...other, nameField, regionField, nameOk: !otherNameProblem };
    }),
  ];
  for (let i = 1; i < planned.length; i++) {
    const other = planned[i];
    const before = planned.slice(0, i);
    const sameRegion = before.find(p => p.region === other.region);
    const sameName = before.find(p => p.name === other.name);
    if (sameRegion) {
      problems.push(
        `${other.regionField}: "${other.region}" is also the region of ${sameRegion.name}; the registries of this template need different regions (in one region they would be one registry)`,
      );
    } else if (sameName) {
      problems.push(
        `${other.nameField}: "${other.name}" is also the name of the registry in ${sameName.region}; each registry needs its own name`,
      );
    }
  }

  const existing = registries.find(r => r.name === input.name);
  for (const p of planned) {
    const found2 = registries.find(r => r.name === p.name);
    if (found2 && found2.region !== p.region) {
      problems.push(
        `${p.regionField}: registry "${p.name}" already exists in ${found2.region}, not ${p.region}; a registry cannot move, so use region ${found2.region} or another name`,
      );
    }
  }
  const toCreate = [
    ...new Map(
      planned
        .filter(p => p.nameOk && !registries.some(r => r.name === p.name))
        .map(p => [p.name, p]),
    ).values(),
  ];
  const availability = await Promise.all(
    toCreate.map(p => client.isRegistryNameAvailable(p.name)),
  );
  toCreate.forEach((p, i) => {
    if (!availability[i]) {
      problems.push(
        `${p.nameField}: "${p.name}" is taken by another DigitalOcean account; registry names are global, choose another`,
      );
    }
  });

  // The tier: the minimum asked, or the lowest that allows as many registries as the account
  // will have, whichever is higher; the account's own tier when that is higher still.
  const accountTier = subscription?.tier?.slug;
  const registryCount = registries.length + toCreate.length;
  const fitting = tiers.find(
    t => registryLimitForTier(t.slug!) >= registryCount,
  );
  let needed = minimum;
  let reason =
    minimum && asked !== undefined
      ? `${tierField} is ${minimum.slug}`
      : undefined;
  if (!fitting) {
    const largest = tiers[tiers.length - 1];
    problems.push(
      `name: the account has ${registries.length} registries and DigitalOcean allows at most ${registryLimitForTier(largest?.slug ?? '')} per account; delete one first`,
    );
  } else if (needed && rank(fitting.slug) > rank(needed.slug)) {
    needed = fitting;
    reason = `the account will have ${registryCount} registries (${[
      ...registries.map(r => r.name),
      ...toCreate.map(p => p.name),
    ].join(', ')}) and only ${fitting.slug} allows more than one`;
  }
  const current = tiers.find(t => t.slug === accountTier);
  let target = needed;
  let upgradeFrom: string | undefined;
  if (needed && current && rank(current.slug) >= rank(needed.slug)) {
    target = current;
  } else if (needed && accountTier) {
    upgradeFrom = accountTier;
  }

  const storageBytes = registries.reduce(
    (sum, r) => sum + (r.storage_usage_bytes ?? 0),
    0,
  );
  const cost = (tier: SubscriptionTier): MonthlyCost => ({
    tier: tier.slug!,
    storageBytes,
    ...estimateMonthlyCost(tier, storageBytes),
  });
  if (upgradeFrom && target) {
    const shared = registries.length
      ? `its ${registries.length} ${registries.length === 1 ? 'registry' : 'registries'}`
      : 'every registry it will have';
    if (target.eligible === false) {
      problems.push(
        `${tierField}: the account is not eligible for ${target.slug} (${(target.eligibility_reasons ?? []).join(', ') || 'no reason given'})`,
      );
    } else if (!input.allowTierRaise) {
      problems.push(
        `allowTierRaise: registry ${input.name} needs the ${target.slug} tier (${reason}) and the account is on ${upgradeFrom}, a tier shared by ${shared}. Raising it would make the account pay ${describeCost(cost(target))} instead of ${current ? describeCost(cost(current)) : upgradeFrom}; set allowTierRaise to true to allow that, or raise the tier in DigitalOcean first`,
      );
    }
  }

  if (problems.length) throw new RegistryPlanError(problems);
  const integrated = (c: KubernetesCluster) =>
    Boolean(c.registry_enabled && c.registries?.includes(input.name));
  return {
    name: input.name,
    region: input.region,
    tier: target!.slug!,
    requestedTier: minimum!.slug!,
    minimumTier: needed!.slug!,
    policy,
    exists: Boolean(existing),
    upgradeFrom,
    tierReason: reason,
    startsSubscription: !accountTier && !existing,
    costBefore: current ? cost(current) : undefined,
    costAfter: cost(target!),
    clustersToIntegrate: found.filter(c => !integrated(c)),
    clustersAlreadyIntegrated: found.filter(integrated),
  };
}
