import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { AccountScope } from '../accountScopes';
import type { NotificationLedger } from './NotificationLedger';
import type { SubscriptionStore } from '../subscription/SubscriptionStore';
import type { TickReport } from '../gc/context';
import { AccountNotifications } from './AccountNotifications';
import { Notifier } from './Notifier';
import { readNotificationsConfig } from './notificationsConfig';

/** Notifies what each account's GC tick left to tell; nothing when `docr.notifications.enabled` is false. */
export type NotifyAfterTick = (
  reports: Map<string, TickReport>,
  now: Date,
  signal?: AbortSignal,
) => Promise<void>;

export function createNotifyAfterTick(deps: {
  config: Config;
  scopes: AccountScope[];
  notifications: NotificationService;
  ledger: NotificationLedger;
  subscriptions: SubscriptionStore;
  logger: LoggerService;
}): NotifyAfterTick {
  const config = readNotificationsConfig(deps.config);
  if (!config.enabled) return async () => {};
  const notifier = new Notifier({
    notifications: deps.notifications,
    ledger: deps.ledger,
    config,
    logger: deps.logger,
  });
  const accounts = deps.scopes.map(scope => ({
    account: scope.account,
    notifications: new AccountNotifications({
      ...scope,
      subscriptions: deps.subscriptions,
      notifier,
    }),
  }));
  return async (reports, now, signal) => {
    for (const { account, notifications } of accounts) {
      const report = reports.get(account);
      if (!report || signal?.aborted) continue;
      try {
        await notifications.afterTick(report, now);
      } catch (error) {
        // The next tick reads the same state and notifies what this one could not.
        deps.logger.warn(
          `Notifications of account ${account} failed: ${error}`,
        );
      }
    }
  };
}
