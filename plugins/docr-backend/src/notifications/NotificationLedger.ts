/** An event about to be notified, as the ledger records it. */
export interface LedgerEntry {
  account: string;
  /** Names the event: the same event always has the same key. */
  eventKey: string;
  registryName?: string;
  topic: string;
}

/**
 * Which events have been notified. Claiming an event before sending it is what makes it sent
 * once: over replicas, restarts and the ticks that see the same state again.
 */
export interface NotificationLedger {
  /** Records the event; false when it was recorded before (by this replica or another). */
  claim(entry: LedgerEntry, now: Date): Promise<boolean>;
  /** Of these event keys, those recorded already (one read, so a tick skips them cheaply). */
  known(account: string, eventKeys: string[]): Promise<Set<string>>;
  /** Forgets a claim whose send failed, so a later tick sends it. */
  release(account: string, eventKey: string): Promise<void>;
  /**
   * Forgets the events whose key starts with `prefix`: a condition that ended (storage back
   * under a threshold) notifies again when it comes back.
   */
  rearm(account: string, prefix: string): Promise<void>;
  /**
   * Forgets the events recorded before `before` whose key starts with one of `keyPrefixes`
   * (events that can never be derived again); how many.
   */
  prune(before: Date, keyPrefixes: readonly string[]): Promise<number>;
  /** Events notified about a registry since `since`, for the hourly limit. */
  countSince(
    account: string,
    registryName: string,
    since: Date,
  ): Promise<number>;
}
