import type { Knex } from 'knex';
import type {
  BudgetAnswer,
  RetentionBudgetLimits,
  RetentionBudgetStore,
} from '../retention/RetentionBudgetStore';
import { toNumber } from './rowValues';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const BUDGETS = 'docr_retention_budgets';
const CALLS = 'docr_retention_calls';

const isLimit = (limit: number) => Number.isFinite(limit) && limit > 0;

/**
 * How long `calls` hold up the account's next call, in whole milliseconds rounded down (a
 * limit of 1e9 a minute never makes anyone wait).
 */
const spacing = (limits: RetentionBudgetLimits, calls: number) =>
  isLimit(limits.callsPerMinute)
    ? Math.floor((calls * MINUTE_MS) / limits.callsPerMinute)
    : 0;

/**
 * The retention budget in the plugin's database (`docr_retention_budgets`, `docr_retention_calls`,
 * migrated with the plugin's other tables): a row per call of the last hour, and per account
 * the earliest time of its next call (calls spaced evenly over every replica). A taker locks its
 * account's row for its transaction (an UPDATE: a row lock on PostgreSQL, the write lock on
 * SQLite), so counting and taking is one step for every replica.
 */
export class DatabaseRetentionBudgetStore implements RetentionBudgetStore {
  constructor(private readonly db: Knex) {}

  async take(
    account: string,
    now: Date,
    limits: RetentionBudgetLimits,
  ): Promise<BudgetAnswer> {
    const at = now.getTime();
    return this.db.transaction(async trx => {
      const nextCallAt = await this.lock(trx, account);
      const retryAt = Math.max(
        nextCallAt > at ? nextCallAt : 0,
        (await this.hourFullUntil(trx, account, at, limits.callsPerHour)) ?? 0,
      );
      if (retryAt > 0) return { taken: false, retryAt: new Date(retryAt) };
      await this.record(trx, account, at, 1, at + spacing(limits, 1));
      return { taken: true };
    });
  }

  async spend(
    account: string,
    now: Date,
    calls: number,
    limits: RetentionBudgetLimits,
  ): Promise<void> {
    if (calls <= 0) return;
    const at = now.getTime();
    await this.db.transaction(async trx => {
      const nextCallAt = await this.lock(trx, account);
      // Calls made back to back push the next one back, as if they had been spaced.
      const next = Math.max(nextCallAt, at) + spacing(limits, calls);
      await this.record(trx, account, at, calls, next);
    });
  }

  /**
   * Holds the account's row until the transaction ends, so the account's takers go one at a
   * time; answers when its next call may start.
   */
  private async lock(trx: Knex.Transaction, account: string): Promise<number> {
    await trx(BUDGETS)
      .insert({ account, calls: 0, next_call_at: 0 })
      .onConflict('account')
      .ignore();
    await trx(BUDGETS).where({ account }).increment('calls', 0);
    const row = await trx(BUDGETS).where({ account }).first('next_call_at');
    return toNumber(row.next_call_at) ?? 0;
  }

  /** When the hour that is full frees room for one more call; undefined when it has room. */
  private async hourFullUntil(
    trx: Knex.Transaction,
    account: string,
    at: number,
    callsPerHour: number,
  ): Promise<number | undefined> {
    if (!isLimit(callsPerHour)) return undefined;
    const lastHour = () =>
      trx(CALLS)
        .where({ account })
        .where('at', '>', at - HOUR_MS);
    const [{ count }] = await lastHour().count({ count: '*' });
    const over = Number(count) - callsPerHour;
    if (over < 0) return undefined;
    // Room comes when the oldest calls that fill the hour leave it.
    const row = await lastHour().orderBy('at').offset(over).first('at');
    return toNumber(row.at)! + HOUR_MS;
  }

  private async record(
    trx: Knex.Transaction,
    account: string,
    at: number,
    calls: number,
    nextCallAt: number,
  ) {
    await trx(CALLS).insert(
      Array.from({ length: calls }, () => ({ account, at })),
    );
    await trx(BUDGETS)
      .where({ account })
      .update({
        next_call_at: nextCallAt,
        calls: trx.raw('calls + ?', [calls]),
      });
    // What no hour counts any more.
    await trx(CALLS)
      .where({ account })
      .where('at', '<=', at - HOUR_MS)
      .delete();
  }
}
