import type { SubscriptionTier } from '@backstage-docr/digitalocean-openapi';
import { preconditionFailed, unprocessable } from './errors';
import { registryLimit } from './tiers';

/** The account's registry subscription: one tier for all its registries. */
export interface SubscriptionState {
  tierSlug: string;
  createdAt: number;
  updatedAt: number;
}

export type EligibilityReason =
  'OverRepositoryLimit' | 'OverStorageLimit' | 'OverRegistryLimit';

/** What a tier's limits count; each figure is read only when the tier limits it. */
export interface TierUsage {
  readonly registries: ReadonlyMap<string, unknown>;
  readonly subscription?: SubscriptionState;
  repositoryCount(): number;
  storageBytes(): number;
  tier(slug: string | undefined): SubscriptionTier | undefined;
}

/** The limits of `tier` the account is over, in DigitalOcean's words; none when it may move to it. */
export function eligibilityReasons(
  tier: SubscriptionTier,
  usage: TierUsage,
): EligibilityReason[] {
  const reasons: EligibilityReason[] = [];
  const includedRepositories = tier.included_repositories ?? 0;
  if (
    includedRepositories > 0 &&
    usage.repositoryCount() > includedRepositories
  ) {
    reasons.push('OverRepositoryLimit');
  }
  if (
    !tier.allow_storage_overage &&
    usage.storageBytes() > (tier.included_storage_bytes ?? 0)
  ) {
    reasons.push('OverStorageLimit');
  }
  if (usage.registries.size > registryLimit(tier.slug)) {
    reasons.push('OverRegistryLimit');
  }
  return reasons;
}

/**
 * The tier the account is on once a registry asking for `requestedTier` is created. The
 * subscription is shared by all registries of an account: the first registry sets it, later ones
 * must use it (change it with POST /v2/registries/subscription).
 */
export function tierForNewRegistry(
  usage: TierUsage,
  requestedTier: string | undefined,
): string {
  const tierSlug = usage.subscription?.tierSlug ?? requestedTier ?? 'basic';
  if (
    requestedTier &&
    usage.registries.size > 0 &&
    requestedTier !== tierSlug
  ) {
    throw preconditionFailed(
      `The subscription tier is shared by all registries of the account and is "${tierSlug}"; change it with POST /v2/registries/subscription before creating a "${requestedTier}" registry`,
    );
  }
  const effectiveTier =
    usage.registries.size === 0 ? (requestedTier ?? tierSlug) : tierSlug;
  if (!usage.tier(effectiveTier)) {
    throw unprocessable(`Unknown subscription tier "${effectiveTier}"`);
  }
  if (usage.registries.size + 1 > registryLimit(effectiveTier)) {
    throw preconditionFailed(
      'registry is not eligible for tier because: [OverRegistryLimit]',
    );
  }
  return effectiveTier;
}

/** The subscription on `tierSlug`: started now, or moved (`updatedAt` only when it changes). */
export function subscriptionOnTier(
  subscription: SubscriptionState | undefined,
  tierSlug: string,
  now: number,
): SubscriptionState {
  if (!subscription) return { tierSlug, createdAt: now, updatedAt: now };
  if (subscription.tierSlug !== tierSlug) {
    subscription.tierSlug = tierSlug;
    subscription.updatedAt = now;
  }
  return subscription;
}

/** Refuses a push that would create a repository over the tier's repository limit. */
export function assertRepositoryAllowed(
  tier: SubscriptionTier | undefined,
  usage: TierUsage,
): void {
  const includedRepositories = tier?.included_repositories ?? 0;
  if (
    includedRepositories > 0 &&
    usage.repositoryCount() + 1 > includedRepositories
  ) {
    throw preconditionFailed(
      `repository limit of the "${tier?.slug}" tier reached (${includedRepositories}): [OverRepositoryLimit]`,
    );
  }
}

/** Refuses a push that would take storage over the tier's when it allows no overage. */
export function assertStorageAllowed(
  tier: SubscriptionTier | undefined,
  usage: TierUsage,
  addedBytes: number,
): void {
  if (
    tier &&
    !tier.allow_storage_overage &&
    usage.storageBytes() + addedBytes > (tier.included_storage_bytes ?? 0)
  ) {
    throw preconditionFailed(
      `storage limit of the "${tier.slug}" tier reached (${tier.included_storage_bytes} bytes): [OverStorageLimit]`,
    );
  }
}
