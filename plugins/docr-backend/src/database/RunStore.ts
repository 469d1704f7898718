import type { GcRun, RunPatch, RunTrigger } from './gcRunRows';

export interface ClaimRunInput {
  registryName: string;
  trigger: RunTrigger;
  occurrenceKey?: string;
  type?: string;
  status?: string;
  doUuid?: string;
  storageBefore?: number;
  requestedBy?: string;
  windowEnd?: Date;
  now: Date;
}

/** One account's GC runs: claimed before DigitalOcean is called, then followed to a final status. */
export interface RunStore {
  /**
   * Records the intent to run before DigitalOcean is called. Returns undefined when the window
   * occurrence already has a run (another replica, or an earlier tick): the unique key on
   * (registry, occurrence) is what guarantees one run per occurrence.
   */
  claimRun(input: ClaimRunInput): Promise<GcRun | undefined>;
  runById(id: number): Promise<GcRun | undefined>;
  runByUuid(uuid: string): Promise<GcRun | undefined>;
  runForOccurrence(
    registryName: string,
    occurrenceKey: string,
  ): Promise<GcRun | undefined>;
  /** Applies a patch; a new status is appended to the statuses seen. */
  updateRun(run: GcRun, patch: RunPatch): Promise<GcRun>;
  /**
   * Applies a patch only while the run still has the status it was read with (compare and set):
   * undefined when something else changed it meanwhile (a cancel, another replica).
   */
  updateRunIf(run: GcRun, patch: RunPatch): Promise<GcRun | undefined>;
  /**
   * Takes a run waiting to retry back to `starting`. Only one caller wins (compare and set on the
   * status), so two replicas never both start it.
   */
  reclaimRun(run: GcRun, now: Date): Promise<GcRun | undefined>;
  runsInFlight(): Promise<GcRun[]>;
  /**
   * Collections that ended on DigitalOcean since `since` whose storage after is not recorded yet:
   * DigitalOcean updates a registry's storage some time after a collection ends.
   */
  runsAwaitingStorage(since: Date): Promise<GcRun[]>;
  /** Runs that reached a final status at or after `since`, oldest first. */
  runsEndedSince(since: Date): Promise<GcRun[]>;
  /** A registry's runs, newest first, and how many it has. */
  listRuns(
    registryName: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: GcRun[]; totalCount: number }>;
  /** For each registry: the newest run, and the one in flight if any. */
  runSummaries(): Promise<Map<string, { last?: GcRun; active?: GcRun }>>;
  lastSucceeded(registryName: string): Promise<GcRun | undefined>;
  knownUuids(registryName: string): Promise<Set<string>>;
  /** Deletes the runs in a final status created before `before`; returns how many. */
  pruneFinished(before: Date): Promise<number>;
}
