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

  async known(account: string, eventKeys: string[]): Promise<Set<string>> {
    const known = new Set<string>();
    // In slices: a day of a busy demo's runs must not exceed a query's parameter limit.
    for (let i = 0; i < eventKeys.length; i += 500) {
      const rows = await this.db(TABLE)
        .where({ account })
        .whereIn('event_key', eventKeys.slice(i, i + 500))
        .select('event_key');
      for (const row of rows) known.add(row.event_key);
    }
    return known;
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

  async prune(before: Date, keyPrefixes: readonly string[]): Promise<number> {
    if (!keyPrefixes.length) return 0;
    return this.db(TABLE)
      .where('sent_at', '<', before)
      .andWhere(query => {
        for (const prefix of keyPrefixes)
          query.orWhereRaw('substr(event_key, 1, ?) = ?', [
            prefix.length,
            prefix,
          ]);
      })
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
