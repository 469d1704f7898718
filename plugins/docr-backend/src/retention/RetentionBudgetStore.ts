/** How many DigitalOcean calls retention may make per account (`docr.tagRetention`). */
export interface RetentionBudgetLimits {
  /** Calls in any rolling minute, at most. Infinity: no limit. */
  callsPerMinute: number;
  /** Calls in any rolling hour, at most. Infinity: no limit. */
  callsPerHour: number;
}

/** Whether a call was taken, or when there may be room for it. */
export type BudgetAnswer =
  | { taken: true }
  | {
      taken: false;
      /** When the oldest call that fills a window leaves it. */
      retryAt: Date;
    };

/**
 * The account's retention budget, shared by every replica and kept across restarts: each call
 * is taken before it is made, so two replicas never spend the same room twice.
 */
export interface RetentionBudgetStore {
  /**
   * Takes one call of the account's budget at `now` if the last minute and the last hour have
   * room for it (atomically: no other taker counts in between); otherwise says when to ask again.
   */
  take(
    account: string,
    now: Date,
    limits: RetentionBudgetLimits,
  ): Promise<BudgetAnswer>;
  /**
   * Counts calls made without taking them first (a listing's further pages); the account's next
   * call waits as if they had been spaced.
   */
  spend(
    account: string,
    now: Date,
    calls: number,
    limits: RetentionBudgetLimits,
  ): Promise<void>;
}
