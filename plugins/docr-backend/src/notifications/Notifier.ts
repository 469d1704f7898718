import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { type DocrNotification, ONE_OFF_EVENT_PREFIXES } from './events';
import type { NotificationLedger } from './NotificationLedger';
import type { NotificationsConfig } from './notificationsConfig';

const HOUR_MS = 3_600_000;

export type NotifyOutcome =
  'sent' | 'already sent' | 'topic off' | 'over the hourly limit' | 'failed';

/**
 * Sends each event once to the owners of its entities: the event is claimed in the ledger first
 * (one replica wins), then sent with the event's key as the notification's scope. A topic
 * switched off sends nothing; a registry past its hourly limit has the event logged and claimed,
 * not sent; a failed send is released so a later tick tries again.
 */
export class Notifier {
  private lastWarningAt?: number;

  constructor(
    private readonly deps: {
      notifications: NotificationService;
      ledger: NotificationLedger;
      config: NotificationsConfig;
      logger: LoggerService;
    },
  ) {}

  async notify(
    account: string,
    event: DocrNotification,
    now: Date,
  ): Promise<NotifyOutcome> {
    const { notifications, ledger, config, logger } = this.deps;
    if (!config.enabled || !config.topics[event.topic]) return 'topic off';
    const overLimit =
      event.registryName !== undefined &&
      (await ledger.countSince(
        account,
        event.registryName,
        new Date(now.getTime() - HOUR_MS),
      )) >= config.maxPerRegistryPerHour;
    const claimed = await ledger.claim(
      {
        account,
        eventKey: event.key,
        registryName: event.registryName,
        topic: event.topic,
      },
      now,
    );
    if (!claimed) return 'already sent';
    if (overLimit) {
      logger.info(
        `Not notified (${event.registryName} had ${config.maxPerRegistryPerHour} notifications in the last hour, docr.notifications.maxPerRegistryPerHour): ${event.title}`,
      );
      return 'over the hourly limit';
    }
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: event.recipients },
        payload: {
          title: event.title,
          description: event.description,
          link: event.link,
          severity: event.severity,
          topic: event.topic,
          scope: `docr:${account}:${event.key}`,
        },
      });
      return 'sent';
    } catch (error) {
      await ledger.release(account, event.key);
      // Every tick tries again: a portal without the notifications backend is told once an hour.
      const quiet =
        this.lastWarningAt !== undefined &&
        now.getTime() - this.lastWarningAt < HOUR_MS;
      const log = `Could not send the notification "${event.title}" (a later tick tries again; docr.notifications.enabled: false sends none): ${error}`;
      if (quiet) {
        logger.debug(log);
      } else {
        this.lastWarningAt = now.getTime();
        logger.warn(log);
      }
      return 'failed';
    }
  }

  /** The events not notified yet, in their order (one read of the ledger). */
  async unsent(
    account: string,
    events: DocrNotification[],
  ): Promise<DocrNotification[]> {
    const known = await this.known(
      account,
      events.map(e => e.key),
    );
    return events.filter(e => !known.has(e.key));
  }

  /** Of these event keys, those notified (or held back) already. */
  known(account: string, eventKeys: string[]): Promise<Set<string>> {
    if (!eventKeys.length) return Promise.resolve(new Set());
    return this.deps.ledger.known(account, eventKeys);
  }

  /** Forgets the one-off events older than `before` (see `ONE_OFF_EVENT_PREFIXES`). */
  prune(before: Date): Promise<number> {
    return this.deps.ledger.prune(before, ONE_OFF_EVENT_PREFIXES);
  }

  /** A condition that ended (storage back under a threshold) notifies again when it returns. */
  rearm(account: string, keyPrefix: string): Promise<void> {
    return this.deps.ledger.rearm(account, keyPrefix);
  }
}
