import type { GcPolicy } from '@backstage-docr/plugin-docr-common';
import type {
  DeletionJournal,
  RetentionJournalSummary,
} from '../retention/DeletionJournal';
import type { RetentionBudgetStore } from '../retention/RetentionBudgetStore';
import type { GcRun, RunPatch } from './gcRunRows';
import type { PolicyStore } from './PolicyStore';
import type { ClaimRunInput, RunStore } from './RunStore';
import type { SavingsStore } from './SavingsStore';
import type { StorageSample, StorageStore } from './StorageStore';

export type { StoredPolicy } from './PolicyStore';
export type { GcRun, RunPatch, RunTrigger } from './gcRunRows';
export type { ClaimRunInput } from './RunStore';
export type { StorageSample } from './StorageStore';

/** The stores keyed by account, as one account sees them. */
export interface AccountStores {
  policies: PolicyStore;
  runs: RunStore;
  storage: StorageStore;
  savings: SavingsStore;
}

/** The stores of every account (their keys name the account). */
export interface SharedStores {
  /** The retention journal. */
  journal: DeletionJournal;
  /** The retention call budget. */
  retentionBudget: RetentionBudgetStore;
}

/**
 * One DigitalOcean account's view of the docr plugin's stores (`forAccount` gives another's):
 * its GC policies, GC runs and storage samples, and the retention journal and budget every
 * account shares. It holds no database of its own: `createDocrStores` builds it over the
 * database implementations, anything else implementing the store interfaces will do.
 */
export class DocrStore {
  private readonly policies: PolicyStore;
  private readonly runs: RunStore;
  private readonly storage: StorageStore;
  /** What the savings reports read of the account's runs and samples. */
  readonly savings: SavingsStore;
  /** The retention journal (every account's: its keys name the account). */
  readonly journal: DeletionJournal;
  /** The retention call budget (every account's). */
  readonly retentionBudget: RetentionBudgetStore;

  constructor(
    /** The DigitalOcean account whose rows this store reads and writes. */
    readonly account: string,
    private readonly storesOf: (account: string) => AccountStores,
    private readonly shared: SharedStores,
  ) {
    const stores = storesOf(account);
    this.policies = stores.policies;
    this.runs = stores.runs;
    this.storage = stores.storage;
    this.savings = stores.savings;
    this.journal = shared.journal;
    this.retentionBudget = shared.retentionBudget;
  }

  /** The same stores, for another account's rows. */
  forAccount(account: string): DocrStore {
    return account === this.account
      ? this
      : new DocrStore(account, this.storesOf, this.shared);
  }

  // Policies

  allStoredPolicies() {
    return this.policies.allStoredPolicies();
  }

  allStoredPolicyNames() {
    return this.policies.allStoredPolicyNames();
  }

  getStoredPolicy(registryName: string) {
    return this.policies.getStoredPolicy(registryName);
  }

  markOrphaned(registryNames: string[], reason: string, now: Date) {
    return this.policies.markOrphaned(registryNames, reason, now);
  }

  clearOrphaned(registryNames: string[]) {
    return this.policies.clearOrphaned(registryNames);
  }

  putStoredPolicy(
    registryName: string,
    policy: GcPolicy,
    updatedBy: string,
    now: Date,
  ) {
    return this.policies.putStoredPolicy(registryName, policy, updatedBy, now);
  }

  // Runs

  claimRun(input: ClaimRunInput) {
    return this.runs.claimRun(input);
  }

  runById(id: number) {
    return this.runs.runById(id);
  }

  runByUuid(uuid: string) {
    return this.runs.runByUuid(uuid);
  }

  runForOccurrence(registryName: string, occurrenceKey: string) {
    return this.runs.runForOccurrence(registryName, occurrenceKey);
  }

  updateRun(run: GcRun, patch: RunPatch) {
    return this.runs.updateRun(run, patch);
  }

  updateRunIf(run: GcRun, patch: RunPatch) {
    return this.runs.updateRunIf(run, patch);
  }

  reclaimRun(run: GcRun, now: Date) {
    return this.runs.reclaimRun(run, now);
  }

  runsInFlight() {
    return this.runs.runsInFlight();
  }

  runsAwaitingStorage(since: Date) {
    return this.runs.runsAwaitingStorage(since);
  }

  runsEndedSince(since: Date) {
    return this.runs.runsEndedSince(since);
  }

  listRuns(registryName: string, page: { limit: number; offset: number }) {
    return this.runs.listRuns(registryName, page);
  }

  runSummaries() {
    return this.runs.runSummaries();
  }

  lastSucceeded(registryName: string) {
    return this.runs.lastSucceeded(registryName);
  }

  knownUuids(registryName: string) {
    return this.runs.knownUuids(registryName);
  }

  /** What retention deleted in a window run's occurrence, where it planned any. */
  retentionSummary(
    run: Pick<GcRun, 'registryName' | 'occurrenceKey'>,
  ): Promise<RetentionJournalSummary | undefined> {
    if (!run.occurrenceKey) return Promise.resolve(undefined);
    return this.journal.summary({
      account: this.account,
      registryName: run.registryName,
      occurrenceKey: run.occurrenceKey,
    });
  }

  /** What retention deleted in each window run's occurrence (by run id), where it planned any. */
  async retentionSummaries(
    runs: GcRun[],
  ): Promise<Map<number, RetentionJournalSummary>> {
    const result = new Map<number, RetentionJournalSummary>();
    for (const run of runs) {
      if (run.trigger !== 'window') continue;
      const summary = await this.retentionSummary(run);
      if (summary) result.set(run.id, summary);
    }
    return result;
  }

  // Storage samples and listings

  insertSamples(samples: StorageSample[]) {
    return this.storage.insertSamples(samples);
  }

  recordListing(samples: StorageSample[], listedAt: Date) {
    return this.storage.recordListing(samples, listedAt);
  }

  currentRegistryNames() {
    return this.storage.currentRegistryNames();
  }

  lastListingAt() {
    return this.storage.lastListingAt();
  }

  latestListing() {
    return this.storage.latestListing();
  }

  newestSamples(names: string[]) {
    return this.storage.newestSamples(names);
  }

  latestSample(registryName: string) {
    return this.storage.latestSample(registryName);
  }

  listSamples(registryName: string, since: Date) {
    return this.storage.listSamples(registryName, since);
  }

  // Retention of the history

  /** Deletes finished runs (with their retention journal) and samples older than the retention allows. */
  async prune(options: {
    runsBefore: Date;
    samplesBefore: Date;
  }): Promise<{ runs: number; samples: number }> {
    const runs = await this.runs.pruneFinished(options.runsBefore);
    const samples = await this.storage.prune(options.samplesBefore);
    // The retention journal goes with the runs it belongs to.
    await this.journal.prune(this.account, options.runsBefore);
    return { runs, samples };
  }
}
