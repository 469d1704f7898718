import type { SubscriptionTier } from '@backstage-docr/digitalocean-openapi';
import {
  GIB,
  MonthlyCostEstimate,
  estimateMonthlyCost,
  registryLimitForTier,
} from '@backstage-docr/plugin-docr-common';
import type { AccountFacts, CreateRegistryInput } from './planRegistry';

/** What the account pays a month: the tier's price plus storage above what the tier includes. */
export interface MonthlyCost extends MonthlyCostEstimate {
  tier: string;
  storageBytes: number;
}

/** The tier the input asks for at least, and the input field that named it. */
export interface MinimumTier {
  field: 'minimumTier' | 'subscriptionTier';
  /** The slug in the input; undefined: none asked, the cheapest tier. */
  asked?: string;
  tier?: SubscriptionTier;
  problems: string[];
}

/** The account's tier once the registries exist, and why. */
export interface TierChoice {
  /** The lowest tier the registries need. */
  needed?: SubscriptionTier;
  /** The account's tier afterwards: `needed`, or the account's own when that is higher. */
  target?: SubscriptionTier;
  /** The account's tier today. */
  current?: SubscriptionTier;
  /** The account's tier today when it must be raised to `target`. */
  upgradeFrom?: string;
  reason?: string;
  problems: string[];
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

/** A tier's slug; DigitalOcean lists every tier with one. */
export function tierSlug(tier: SubscriptionTier): string {
  if (!tier.slug) throw new Error('DigitalOcean listed a tier without a slug');
  return tier.slug;
}

/** The minimum tier: `minimumTier` or its old name `subscriptionTier`; none means the cheapest. */
export function resolveMinimumTier(
  input: CreateRegistryInput,
  account: AccountFacts,
): MinimumTier {
  const field =
    input.minimumTier !== undefined ? 'minimumTier' : 'subscriptionTier';
  const asked = input.minimumTier ?? input.subscriptionTier;
  if (asked === undefined)
    return { field, tier: account.tiers[0], problems: [] };
  const tier = account.tiers.find(t => t.slug === asked);
  if (tier) return { field, asked, tier, problems: [] };
  const offered = account.options.subscription_tiers.map(t => t.slug);
  return {
    field,
    asked,
    problems: [
      `${field}: "${asked}" is not a tier DigitalOcean offers (${offered.join(', ')})`,
    ],
  };
}

/**
 * The tier: the minimum asked, or the lowest that allows as many registries as the account will
 * have, whichever is higher; the account's own tier when that is higher still. Never lower.
 */
export function resolveTier(
  account: AccountFacts,
  minimum: MinimumTier,
  toCreate: string[],
): TierChoice {
  const { tiers, registries } = account;
  const rank = (tier: SubscriptionTier) => tiers.indexOf(tier);
  const registryCount = registries.length + toCreate.length;
  const fitting = tiers.find(
    t => registryLimitForTier(t.slug ?? '') >= registryCount,
  );
  const current = tiers.find(t => t.slug === account.tierSlug);
  const choice: TierChoice = {
    needed: minimum.tier,
    current,
    reason:
      minimum.tier && minimum.asked !== undefined
        ? `${minimum.field} is ${minimum.tier.slug}`
        : undefined,
    problems: [],
  };
  if (!fitting) {
    const largest = tiers[tiers.length - 1];
    choice.problems.push(
      `name: the account has ${registries.length} registries and DigitalOcean allows at most ${registryLimitForTier(largest?.slug ?? '')} per account; delete one first`,
    );
  } else if (choice.needed && rank(fitting) > rank(choice.needed)) {
    choice.needed = fitting;
    choice.reason = `the account will have ${registryCount} registries (${[
      ...registries.map(r => r.name),
      ...toCreate,
    ].join(', ')}) and only ${fitting.slug} allows more than one`;
  }
  choice.target = choice.needed;
  if (choice.needed && current && rank(current) >= rank(choice.needed)) {
    choice.target = current;
  } else if (choice.needed && account.tierSlug) {
    choice.upgradeFrom = account.tierSlug;
  }
  return choice;
}

/** What the account would pay a month on `tier` at its storage today. */
export function estimateCost(
  account: AccountFacts,
  tier: SubscriptionTier,
): MonthlyCost {
  const storageBytes = account.registries.reduce(
    (sum, r) => sum + (r.storage_usage_bytes ?? 0),
    0,
  );
  return {
    tier: tierSlug(tier),
    storageBytes,
    ...estimateMonthlyCost(tier, storageBytes),
  };
}

/**
 * A raise of the account's (shared, billed) tier needs the account to be eligible and the
 * input's consent (`allowTierRaise`); the refusal names the price after the raise.
 */
export function checkTierRaise(
  input: CreateRegistryInput,
  account: AccountFacts,
  minimum: MinimumTier,
  choice: TierChoice,
): string[] {
  const { target, current, upgradeFrom } = choice;
  if (!upgradeFrom || !target) return [];
  if (target.eligible === false) {
    return [
      `${minimum.field}: the account is not eligible for ${target.slug} (${(target.eligibility_reasons ?? []).join(', ') || 'no reason given'})`,
    ];
  }
  if (input.allowTierRaise) return [];
  const count = account.registries.length;
  const shared = count
    ? `its ${count} ${count === 1 ? 'registry' : 'registries'}`
    : 'every registry it will have';
  const before = current
    ? describeCost(estimateCost(account, current))
    : upgradeFrom;
  return [
    `allowTierRaise: registry ${input.name} needs the ${target.slug} tier (${choice.reason}) and the account is on ${upgradeFrom}, a tier shared by ${shared}. Raising it would make the account pay ${describeCost(estimateCost(account, target))} instead of ${before}; set allowTierRaise to true to allow that, or raise the tier in DigitalOcean first`,
  ];
}
