import type { SubscriptionTier } from '@backstage-docr/digitalocean-openapi';

/** An account's subscription tier as DigitalOcean last reported it. */
export interface StoredSubscription {
  tier: SubscriptionTier;
  readAt: Date;
}

/** Each account's subscription tier, read with the hourly listing and served without a call. */
export interface SubscriptionStore {
  record(account: string, tier: SubscriptionTier, readAt: Date): Promise<void>;
  latest(account: string): Promise<StoredSubscription | undefined>;
}
