import { z } from 'zod';

/**
 * Subscription tier slugs DigitalOcean offers. The tiers' limits and prices are not constants:
 * read them from the options endpoint (`GET /v2/registries/options`).
 *
 * @public
 */
export const subscriptionTierSlugSchema = z.enum([
  'starter',
  'basic',
  'professional',
]);
/** @public */
export type SubscriptionTierSlug = z.infer<typeof subscriptionTierSlugSchema>;

/**
 * Region slugs look like `fra1`; which ones are offered comes from the options endpoint.
 *
 * @public
 */
export const regionSlugSchema = z
  .string()
  .regex(
    /^[a-z]{3}[0-9]$/,
    'Region must be a DigitalOcean region slug such as "fra1"',
  );

/**
 * Registries an account may have on a tier, as DigitalOcean documents it: Professional allows up
 * to 10 (storage is shared among them), the other tiers one. The options endpoint does not say.
 *
 * @public
 */
export function registryLimitForTier(tierSlug: string): number {
  return tierSlug === 'professional' ? 10 : 1;
}

/** @public */
export const GIB = 1024 ** 3;
/** @public */
export const MIB = 1024 ** 2;

/**
 * The parts of a subscription tier (from the options endpoint) that cost and limits depend on.
 *
 * @public
 */
export interface TierPricing {
  slug?: string;
  included_storage_bytes?: number;
  included_repositories?: number;
  allow_storage_overage?: boolean;
  monthly_price_in_cents?: number;
  storage_overage_price_in_cents?: number;
}

/** @public */
export interface MonthlyCostEstimate {
  /** The tier's monthly price, in cents. */
  baseCents: number;
  /** Storage above the tier's included storage, in bytes. */
  overageBytes: number;
  /** The price of that overage, in cents, at the tier's price per GiB. */
  overageCents: number;
  totalCents: number;
}

/**
 * Estimates a month's cost for an account's registry storage: the tier price plus overage per GiB
 * above the included storage. Storage is shared by all registries of an account.
 *
 * @public
 */
export function estimateMonthlyCost(
  tier: TierPricing,
  storageUsageBytes: number,
): MonthlyCostEstimate {
  const baseCents = tier.monthly_price_in_cents ?? 0;
  const included = tier.included_storage_bytes ?? 0;
  const overageBytes = Math.max(0, storageUsageBytes - included);
  const overageCents =
    Math.round(
      (overageBytes / GIB) * (tier.storage_overage_price_in_cents ?? 0) * 100,
    ) / 100;
  return {
    baseCents,
    overageBytes,
    overageCents,
    totalCents: Math.round((baseCents + overageCents) * 100) / 100,
  };
}

/**
 * Share of the tier's included storage in use, as a fraction (1 = full); undefined if unknown.
 *
 * @public
 */
export function storageUsageRatio(
  tier: TierPricing,
  storageUsageBytes: number,
): number | undefined {
  if (!tier.included_storage_bytes) {
    return undefined;
  }
  return storageUsageBytes / tier.included_storage_bytes;
}
