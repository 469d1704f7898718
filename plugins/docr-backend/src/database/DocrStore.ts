import { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  DEFAULT_ACCOUNT_ID,
  GcPolicy,
} from '@backstage-docr/plugin-docr-common';
import { GcRun, RunPatch } from './gcRunRows';
import { PolicyStore } from './PolicyStore';
import { ClaimRunInput, RunStore } from './RunStore';
import { StorageSample, StorageStore } from './StorageStore';
import { pruneHistory } from './retention';
import {
  RetentionJournalSummary,
  readRetentionSummary,
} from '../retention/DeletionJournal';

export type { StoredPolicy } from './PolicyStore';
export type { GcRun, RunPatch, RunTrigger } from './gcRunRows';
export type { ClaimRunInput } from './RunStore';
export type { StorageSample } from './StorageStore';

const migrationsDir = resolvePackagePath(
  '@backstage-docr/plugin-docr-backend',
  'migrations',
);

/**
 * The docr plugin's own tables: GC policies, GC runs and storage samples, of one DigitalOcean
 * account (`forAccount` gives another's).
 */
export class DocrStore {
  /** Database queries made, for the tick benchmark. */
  queries = 0;

  private readonly policies: PolicyStore;
  private readonly runs: RunStore;
  private readonly storage: StorageStore;

  private constructor(
    private readonly db: Knex,
    /** The DigitalOcean account whose rows this store reads and writes. */
    readonly account: string,
    /** Only the store `create` returns counts (one listener on the shared knex, not one per account). */
    countQueries = true,
  ) {
    if (countQueries)
      db.on('query', () => {
        this.queries++;
      });
    this.policies = new PolicyStore(db, account);
    this.runs = new RunStore(db, account);
    this.storage = new StorageStore(db, account);
  }

  /** Migrates the tables; the store returned reads and writes the given account's rows. */
  static async create(
    db: Knex,
    options: { skipMigrations?: boolean; account?: string } = {},
  ): Promise<DocrStore> {
    if (!options.skipMigrations) {
      await db.migrate.latest({
        directory: migrationsDir,
        tableName: 'docr_knex_migrations',
      });
    }
    return new DocrStore(db, options.account ?? DEFAULT_ACCOUNT_ID);
  }

  /** The database, for the retention journal's own tables (account-keyed by its callers). */
  get database(): Knex {
    return this.db;
  }

  /** The same tables, for another account's rows. */
  forAccount(account: string): DocrStore {
    return account === this.account
      ? this
      : new DocrStore(this.db, account, false);
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

  /** What retention deleted in each window run's occurrence (by run id), where it planned any. */
  async retentionSummaries(
    runs: GcRun[],
  ): Promise<Map<number, RetentionJournalSummary>> {
    const result = new Map<number, RetentionJournalSummary>();
    for (const run of runs) {
      if (run.trigger !== 'window' || !run.occurrenceKey) continue;
      const summary = await readRetentionSummary(this.db, {
        account: this.account,
        registryName: run.registryName,
        occurrenceKey: run.occurrenceKey,
      });
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

  // Retention

  prune(options: { runsBefore: Date; samplesBefore: Date }) {
    return pruneHistory(this.db, this.account, this.storage, options);
  }
}
