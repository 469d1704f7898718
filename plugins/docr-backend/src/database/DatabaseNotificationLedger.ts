import type { Knex } from 'knex';
import type {
  LedgerEntry,
  NotificationLedger,
} from '../notifications/NotificationLedger';

const TABLE = 'docr_notifications_sent';

/** The notification ledger in the docr plugin's database (`docr_notifications_sent`). */
export class DatabaseNotificationLedger implements NotificationLedger {
  constructor(private readonly db: Knex) {}

  async claim(entry: LedgerEntry, now: Date): Promise<boolean> {
    const rows = await this.db(TABLE)
      .insert({
        account: entry.account,
        event_key: entry.eventKey,
        registry_name: entry.registryName ?? null,
        topic: entry.topic,
        sent_at: now,
      })
      .onConflict(['account', 'event_key'])
      .ignore()
      .returning('id');
    return rows.length > 0;
  }

  async release(account: string, eventKey: string): Promise<void> {
    await this.db(TABLE).where({ account, event_key: eventKey }).delete();
  }

  async rearm(account: string, prefix: string): Promise<void> {
    await this.db(TABLE)
      .where({ account })
      // substr, not LIKE: no wildcard in a registry name can widen the match.
      .andWhereRaw('substr(event_key, 1, ?) = ?', [prefix.length, prefix])
      .delete();
  }

  async countSince(
    account: string,
    registryName: string,
    since: Date,
  ): Promise<number> {
    const [{ count }] = await this.db(TABLE)
      .where({ account, registry_name: registryName })
      .andWhere('sent_at', '>=', since)
      .count({ count: '*' });
    return Number(count);
  }
}
