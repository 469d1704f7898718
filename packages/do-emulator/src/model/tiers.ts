import type { SubscriptionTier } from '@backstage-docr/digitalocean-openapi';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** The tier catalogue DigitalOcean publishes on its options endpoint (prices and limits as of 2026). */
export const DEFAULT_TIERS: SubscriptionTier[] = [
  {
    name: 'Starter',
    slug: 'starter',
    included_repositories: 1,
    included_storage_bytes: 500 * MIB,
    allow_storage_overage: false,
    included_bandwidth_bytes: 500 * MIB,
    monthly_price_in_cents: 0,
    storage_overage_price_in_cents: 0,
  },
  {
    name: 'Basic',
    slug: 'basic',
    included_repositories: 5,
    included_storage_bytes: 5 * GIB,
    allow_storage_overage: true,
    included_bandwidth_bytes: 5 * GIB,
    monthly_price_in_cents: 500,
    storage_overage_price_in_cents: 2,
  },
  {
    name: 'Professional',
    slug: 'professional',
    included_repositories: 0,
    included_storage_bytes: 100 * GIB,
    allow_storage_overage: true,
    included_bandwidth_bytes: 100 * GIB,
    monthly_price_in_cents: 2000,
    storage_overage_price_in_cents: 2,
  },
];

/** Regions offered for registries (the `region` enum of `multiregistry_create`). */
export const DEFAULT_REGIONS = [
  'nyc3',
  'sfo3',
  'sfo2',
  'ams3',
  'sgp1',
  'fra1',
  'blr1',
  'syd1',
];

/** How many registries an account may have on each tier: only Professional allows several. */
export function registryLimit(tierSlug: string | undefined): number {
  return tierSlug === 'professional' ? 10 : 1;
}
