import type { Config } from '@backstage/config';

/** What a notification is about; each can be switched off under `docr.notifications.topics`. */
export const NOTIFICATION_TOPICS = [
  'storage',
  'registryLimit',
  'windowSoon',
  'gcProblem',
  'policyInvalid',
  'registryGone',
  'retentionReport',
] as const;
export type NotificationTopic = (typeof NOTIFICATION_TOPICS)[number];

export interface NotificationsConfig {
  enabled: boolean;
  topics: Record<NotificationTopic, boolean>;
  maxPerRegistryPerHour: number;
}

const KEY = 'docr.notifications';

/** Reads `docr.notifications`; an unknown topic or a bad limit fails naming its key. */
export function readNotificationsConfig(config: Config): NotificationsConfig {
  const block = config.getOptionalConfig(KEY);
  const topicsBlock = block?.getOptionalConfig('topics');
  for (const key of topicsBlock?.keys() ?? []) {
    if (!(NOTIFICATION_TOPICS as readonly string[]).includes(key))
      throw new Error(
        `${KEY}.topics.${key} is not a topic (${NOTIFICATION_TOPICS.join(', ')})`,
      );
  }
  const topics = Object.fromEntries(
    NOTIFICATION_TOPICS.map(t => [
      t,
      topicsBlock?.getOptionalBoolean(t) ?? true,
    ]),
  ) as Record<NotificationTopic, boolean>;
  const max = block?.getOptionalNumber('maxPerRegistryPerHour') ?? 6;
  if (!Number.isInteger(max) || max < 1)
    throw new Error(`${KEY}.maxPerRegistryPerHour must be a positive integer`);
  return {
    enabled: block?.getOptionalBoolean('enabled') ?? true,
    topics,
    maxPerRegistryPerHour: max,
  };
}
