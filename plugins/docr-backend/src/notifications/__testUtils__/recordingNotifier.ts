import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DatabaseNotificationLedger } from '../../database/DatabaseNotificationLedger';
import { migrate } from '../../retention/__testUtils__/migrate';
import { Notifier } from '../Notifier';
import type { NotificationsConfig } from '../notificationsConfig';

/** A notification ledger over a migrated SQLite database. */
export async function migratedLedger(databases: TestDatabases) {
  const knex = await databases.init('SQLITE_3');
  await migrate(knex);
  return new DatabaseNotificationLedger(knex);
}

/** A notifier over a migrated SQLite ledger whose sends record their titles in `sent`. */
export async function recordingNotifier(
  databases: TestDatabases,
  config: NotificationsConfig,
) {
  const sent: string[] = [];
  const notifier = new Notifier({
    notifications: {
      send: async ({ payload }) => {
        sent.push(payload.title);
      },
    },
    ledger: await migratedLedger(databases),
    config,
    logger: mockServices.logger.mock(),
  });
  return { notifier, sent };
}
