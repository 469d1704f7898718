import type { LoggerService } from '@backstage/backend-plugin-api';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import type { TickReport } from '../gc/context';
import type { SubscriptionStore } from './SubscriptionStore';

/**
 * Reads each account's subscription when its tick listed the registries (hourly), so savings,
 * notifications and maturity know the tier's included storage and prices without a call. An
 * account without a subscription keeps what was stored; a failed read waits for the next listing.
 */
export async function sampleSubscriptions(deps: {
  scopes: {
    account: string;
    client: Pick<DigitalOceanClient, 'getSubscription'>;
  }[];
  reports: Map<string, TickReport>;
  store: SubscriptionStore;
  now: Date;
  logger: LoggerService;
  signal?: AbortSignal;
}): Promise<void> {
  for (const { account, client } of deps.scopes) {
    if (!deps.reports.get(account)?.sampled || deps.signal?.aborted) continue;
    try {
      const subscription = await client.getSubscription({
        signal: deps.signal,
      });
      if (subscription?.tier?.slug)
        await deps.store.record(account, subscription.tier, deps.now);
    } catch (error) {
      deps.logger.warn(
        `Could not read the registry subscription of account ${account}: ${error}`,
      );
    }
  }
}
