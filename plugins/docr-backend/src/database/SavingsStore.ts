import type { StoragePoint } from '../savings/forecast';
import type { GcRun } from './gcRunRows';

/** What the savings reports read of one account's history. */
export interface SavingsStore {
  /** The account's (or one registry's) succeeded runs that ended in [from, to). */
  succeededRunsBetween(range: {
    from: Date;
    to: Date;
    registryName?: string;
  }): Promise<GcRun[]>;
  /** The account's storage at each full listing since `since`: every registry's sample, summed. */
  accountStorageSeries(since: Date): Promise<StoragePoint[]>;
}
