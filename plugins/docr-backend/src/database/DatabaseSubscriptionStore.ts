import type { Knex } from 'knex';
import type { SubscriptionTier } from '@backstage-docr/digitalocean-openapi';
import type {
  StoredSubscription,
  SubscriptionStore,
} from '../subscription/SubscriptionStore';
import { toDate } from './rowValues';

const TABLE = 'docr_subscriptions';

/** The subscription store in the docr plugin's database (`docr_subscriptions`). */
export class DatabaseSubscriptionStore implements SubscriptionStore {
  constructor(private readonly db: Knex) {}

  async record(
    account: string,
    tier: SubscriptionTier,
    readAt: Date,
  ): Promise<void> {
    await this.db(TABLE)
      .insert({ account, tier_json: JSON.stringify(tier), read_at: readAt })
      .onConflict('account')
      .merge(['tier_json', 'read_at']);
  }

  async latest(account: string): Promise<StoredSubscription | undefined> {
    const row = await this.db(TABLE).where({ account }).first();
    if (!row) return undefined;
    return { tier: JSON.parse(row.tier_json), readAt: toDate(row.read_at)! };
  }
}
