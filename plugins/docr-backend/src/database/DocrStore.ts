import { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  FINAL_RUN_STATUSES,
  GcPolicy,
  RUN_STATUS,
  describeValidationIssues,
  gcPolicySchema,
  isFinalRunStatus,
} from '@backstage-docr/plugin-docr-common';

const migrationsDir = resolvePackagePath(
  '@backstage-docr/plugin-docr-backend',
  'migrations',
);

const FINAL_STATUSES = [...FINAL_RUN_STATUSES];
const STARTING = RUN_STATUS.starting;
const RETRY_PENDING = RUN_STATUS.waitingToRetry;

/** A policy stored through the API; `problem` when the stored row no longer validates. */
export interface StoredPolicy {
  policy: GcPolicy;
  updatedBy: string;
  updatedAt: Date;
  /** Set while DigitalOcean has no registry of that name; the GC task skips it. */
  orphaned?: { since: Date; reason: string };
  /** Why the stored policy cannot be used (it fails validation). */
  problem?: string;
}

const toDate = (value: Date | string | number | null) =>
  value === null || value === undefined ? undefined : new Date(value);

function storedPolicyFromRow(row: any): StoredPolicy {
  let problem: string | undefined;
  let policy: GcPolicy;
  try {
    const parsed = gcPolicySchema.safeParse(JSON.parse(row.policy_json));
    if (parsed.success) {
      policy = parsed.data;
    } else {
      problem = describeValidationIssues(parsed.error).join('; ');
      policy = { ...gcPolicySchema.parse({}), enabled: false };
    }
  } catch (error) {
    problem = `not JSON: ${(error as Error).message}`;
    policy = { ...gcPolicySchema.parse({}), enabled: false };
  }
  return {
    policy,
    updatedBy: row.updated_by as string,
    updatedAt: toDate(row.updated_at)!,
    orphaned: row.orphaned_at
      ? { since: toDate(row.orphaned_at)!, reason: row.orphaned_reason ?? '' }
      : undefined,
    problem,
  };
}

export type RunTrigger = 'window' | 'manual' | 'external';

export interface GcRun {
  id: number;
  registryName: string;
  trigger: RunTrigger;
  occurrenceKey?: string;
  type?: string;
  doUuid?: string;
  status: string;
  /** Every status seen, in order. */
  statuses: string[];
  blobsDeleted?: number;
  freedBytes?: number;
  storageBefore?: number;
  storageAfter?: number;
  requestedBy?: string;
  reason?: string;
  contentFingerprint?: string;
  windowEnd?: Date;
  createdAt: Date;
  startedAt?: Date;
  cancelRequestedAt?: Date;
  finishedAt?: Date;
}

export interface StorageSample {
  registryName: string;
  storageBytes: number;
  sampledAt: Date;
  /** Taken from a listing of every registry (the hourly sample) rather than one registry. */
  fullListing?: boolean;
}

type RunRow = {
  id: number;
  registry_name: string;
  trigger: RunTrigger;
  occurrence_key: string | null;
  gc_type: string | null;
  do_uuid: string | null;
  status: string;
  statuses_json: string;
  blobs_deleted: number | string | null;
  freed_bytes: number | string | null;
  storage_before: number | string | null;
  storage_after: number | string | null;
  requested_by: string | null;
  reason: string | null;
  content_fingerprint: string | null;
  window_end: Date | string | number | null;
  created_at: Date | string | number;
  started_at: Date | string | number | null;
  cancel_requested_at: Date | string | number | null;
  finished_at: Date | string | number | null;
};

// SQLite hands back numbers (ms), PostgreSQL Date objects and bigint columns as strings.
const toNumber = (value: number | string | null) =>
  value === null || value === undefined ? undefined : Number(value);
const orUndefined = <T>(value: T | null) =>
  value === null ? undefined : value;

function fromRow(row: RunRow): GcRun {
  return {
    id: Number(row.id),
    registryName: row.registry_name,
    trigger: row.trigger,
    occurrenceKey: orUndefined(row.occurrence_key),
    type: orUndefined(row.gc_type),
    doUuid: orUndefined(row.do_uuid),
    status: row.status,
    statuses: JSON.parse(row.statuses_json),
    blobsDeleted: toNumber(row.blobs_deleted),
    freedBytes: toNumber(row.freed_bytes),
    storageBefore: toNumber(row.storage_before),
    storageAfter: toNumber(row.storage_after),
    requestedBy: orUndefined(row.requested_by),
    reason: orUndefined(row.reason),
    contentFingerprint: orUndefined(row.content_fingerprint),
    windowEnd: toDate(row.window_end),
    createdAt: toDate(row.created_at)!,
    startedAt: toDate(row.started_at),
    cancelRequestedAt: toDate(row.cancel_requested_at),
    finishedAt: toDate(row.finished_at),
  };
}

export type RunPatch = Partial<
  Pick<
    GcRun,
    | 'doUuid'
    | 'status'
    | 'blobsDeleted'
    | 'freedBytes'
    | 'storageAfter'
    | 'reason'
    | 'contentFingerprint'
    | 'startedAt'
    | 'cancelRequestedAt'
    | 'finishedAt'
    | 'createdAt'
  >
>;

const COLUMNS: Record<keyof RunPatch, string> = {
  doUuid: 'do_uuid',
  status: 'status',
  blobsDeleted: 'blobs_deleted',
  freedBytes: 'freed_bytes',
  storageAfter: 'storage_after',
  reason: 'reason',
  contentFingerprint: 'content_fingerprint',
  startedAt: 'started_at',
  cancelRequestedAt: 'cancel_requested_at',
  finishedAt: 'finished_at',
  createdAt: 'created_at',
};

/** The docr plugin's own tables: GC policies, GC runs and storage samples. */
export class DocrStore {
  /** Database queries made, for the tick benchmark. */
  queries = 0;

  private constructor(private readonly db: Knex) {
    db.on('query', () => {
      this.queries++;
    });
  }

  static async create(
    db: Knex,
    options: { skipMigrations?: boolean } = {},
  ): Promise<DocrStore> {
    if (!options.skipMigrations) {
      await db.migrate.latest({
        directory: migrationsDir,
        tableName: 'docr_knex_migrations',
      });
    }
    return new DocrStore(db);
  }

  // Policies

  async allStoredPolicies(): Promise<Map<string, StoredPolicy>> {
    const rows = await this.db('docr_gc_policies').select();
    return new Map(
      rows.map(row => [row.registry_name as string, storedPolicyFromRow(row)]),
    );
  }

  async allStoredPolicyNames(): Promise<string[]> {
    return [...(await this.allStoredPolicies()).keys()];
  }

  async getStoredPolicy(
    registryName: string,
  ): Promise<StoredPolicy | undefined> {
    const row = await this.db('docr_gc_policies')
      .where({ registry_name: registryName })
      .first();
    return row ? storedPolicyFromRow(row) : undefined;
  }

  /** Marks the stored policies of registries DigitalOcean no longer has; returns those newly marked. */
  async markOrphaned(
    registryNames: string[],
    reason: string,
    now: Date,
  ): Promise<string[]> {
    if (!registryNames.length) return [];
    const rows = await this.db('docr_gc_policies')
      .whereIn('registry_name', registryNames)
      .whereNull('orphaned_at')
      .select('registry_name');
    const names = rows.map(r => r.registry_name as string);
    if (names.length) {
      await this.db('docr_gc_policies')
        .whereIn('registry_name', names)
        .whereNull('orphaned_at')
        .update({ orphaned_at: now, orphaned_reason: reason });
    }
    return names;
  }

  /** Clears the mark of registries DigitalOcean has again; returns those cleared. */
  async clearOrphaned(registryNames: string[]): Promise<string[]> {
    if (!registryNames.length) return [];
    const rows = await this.db('docr_gc_policies')
      .whereIn('registry_name', registryNames)
      .whereNotNull('orphaned_at')
      .select('registry_name');
    const names = rows.map(r => r.registry_name as string);
    if (names.length) {
      await this.db('docr_gc_policies')
        .whereIn('registry_name', names)
        .update({ orphaned_at: null, orphaned_reason: null });
    }
    return names;
  }

  async putStoredPolicy(
    registryName: string,
    policy: GcPolicy,
    updatedBy: string,
    now: Date,
  ) {
    await this.db('docr_gc_policies')
      .insert({
        registry_name: registryName,
        policy_json: JSON.stringify(policy),
        updated_by: updatedBy,
        updated_at: now,
        orphaned_at: null,
        orphaned_reason: null,
      })
      .onConflict('registry_name')
      .merge();
  }

  // Runs

  /**
   * Records the intent to run before DigitalOcean is called. Returns undefined when the window
   * occurrence already has a run (another replica, or an earlier tick): the unique key on
   * (registry, occurrence) is what guarantees one run per occurrence.
   */
  async claimRun(input: {
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
  }): Promise<GcRun | undefined> {
    const status = input.status ?? STARTING;
    const rows = await this.db('docr_gc_runs')
      .insert({
        registry_name: input.registryName,
        trigger: input.trigger,
        occurrence_key: input.occurrenceKey ?? null,
        gc_type: input.type ?? null,
        do_uuid: input.doUuid ?? null,
        status,
        statuses_json: JSON.stringify([status]),
        storage_before: input.storageBefore ?? null,
        requested_by: input.requestedBy ?? null,
        window_end: input.windowEnd ?? null,
        created_at: input.now,
      })
      .onConflict(
        input.occurrenceKey ? ['registry_name', 'occurrence_key'] : ['do_uuid'],
      )
      .ignore()
      .returning('id');
    if (!rows.length) return undefined;
    const id = typeof rows[0] === 'object' ? rows[0].id : rows[0];
    return this.runById(Number(id));
  }

  async runById(id: number): Promise<GcRun | undefined> {
    const row = await this.db<RunRow>('docr_gc_runs').where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async runByUuid(uuid: string): Promise<GcRun | undefined> {
    const row = await this.db<RunRow>('docr_gc_runs')
      .where({ do_uuid: uuid })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async runForOccurrence(
    registryName: string,
    occurrenceKey: string,
  ): Promise<GcRun | undefined> {
    const row = await this.db<RunRow>('docr_gc_runs')
      .where({ registry_name: registryName, occurrence_key: occurrenceKey })
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** Applies a patch; a new status is appended to the statuses seen. */
  async updateRun(run: GcRun, patch: RunPatch): Promise<GcRun> {
    const update: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) update[COLUMNS[key as keyof RunPatch]] = value;
    }
    if (patch.status && patch.status !== run.status) {
      update.statuses_json = JSON.stringify([...run.statuses, patch.status]);
    }
    if (Object.keys(update).length) {
      await this.db('docr_gc_runs').where({ id: run.id }).update(update);
    }
    return (await this.runById(run.id))!;
  }

  /**
   * Takes a run waiting to retry back to `starting`. Only one caller wins (compare and set on the
   * status), so two replicas never both start it.
   */
  async reclaimRun(run: GcRun, now: Date): Promise<GcRun | undefined> {
    const updated = await this.db('docr_gc_runs')
      .where({ id: run.id, status: RETRY_PENDING })
      .update({
        status: STARTING,
        statuses_json: JSON.stringify([...run.statuses, STARTING]),
        created_at: now,
      });
    return updated ? this.runById(run.id) : undefined;
  }

  async runsInFlight(): Promise<GcRun[]> {
    const rows = await this.db<RunRow>('docr_gc_runs')
      .whereNotIn('status', FINAL_STATUSES)
      .orderBy('id');
    return rows.map(fromRow);
  }

  async listRuns(
    registryName: string,
    page: { limit: number; offset: number },
  ) {
    const [rows, count] = await Promise.all([
      this.db<RunRow>('docr_gc_runs')
        .where({ registry_name: registryName })
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(page.limit)
        .offset(page.offset),
      this.db('docr_gc_runs')
        .where({ registry_name: registryName })
        .count({ count: '*' })
        .first(),
    ]);
    return { items: rows.map(fromRow), totalCount: Number(count?.count ?? 0) };
  }

  /** For each registry: the newest run, and the one in flight if any. */
  async runSummaries(): Promise<Map<string, { last?: GcRun; active?: GcRun }>> {
    const newest = this.db('docr_gc_runs')
      .max({ id: 'id' })
      .groupBy('registry_name');
    const rows = await this.db<RunRow>('docr_gc_runs')
      .whereIn('id', newest)
      .orWhereNotIn('status', FINAL_STATUSES);
    const result = new Map<string, { last?: GcRun; active?: GcRun }>();
    for (const run of rows.map(fromRow).sort((a, b) => a.id - b.id)) {
      const entry = result.get(run.registryName) ?? {};
      if (!isFinalRunStatus(run.status)) entry.active = run;
      if (!entry.last || entry.last.id < run.id) entry.last = run;
      result.set(run.registryName, entry);
    }
    return result;
  }

  async lastSucceeded(registryName: string): Promise<GcRun | undefined> {
    const row = await this.db<RunRow>('docr_gc_runs')
      .where({ registry_name: registryName, status: 'succeeded' })
      .orderBy('id', 'desc')
      .first();
    return row ? fromRow(row) : undefined;
  }

  async knownUuids(registryName: string): Promise<Set<string>> {
    const rows = await this.db('docr_gc_runs')
      .where({ registry_name: registryName })
      .whereNotNull('do_uuid')
      .select('do_uuid');
    return new Set(rows.map(r => r.do_uuid));
  }

  // Storage samples

  async insertSamples(samples: StorageSample[]): Promise<void> {
    if (!samples.length) return;
    await this.db('docr_storage_samples').insert(
      samples.map(s => ({
        registry_name: s.registryName,
        storage_bytes: s.storageBytes,
        sampled_at: s.sampledAt,
        full_listing: s.fullListing ?? false,
      })),
    );
  }

  /** Records a full listing of the account, with its samples (none when it has no registry). */
  async recordListing(samples: StorageSample[], listedAt: Date) {
    await this.insertSamples(samples.map(s => ({ ...s, fullListing: true })));
    await this.db('docr_account_listings').insert({
      listed_at: listedAt,
      registry_count: samples.length,
    });
  }

  /**
   * The account's registries as far as we know: those of the newest listing, and those sampled
   * since (created through the portal after it), so the account's figures count a new registry
   * at once instead of after the next listing.
   */
  async currentRegistryNames(): Promise<string[]> {
    const [listedAt, listing] = await Promise.all([
      this.lastListingAt(),
      this.latestListing(),
    ]);
    const names = new Set(listing.map(s => s.registryName));
    if (listedAt) {
      const since = await this.db('docr_storage_samples')
        .where('sampled_at', '>', listedAt)
        .distinct('registry_name');
      for (const row of since) names.add(row.registry_name);
    }
    return [...names].sort();
  }

  /** When the account was last listed in full. */
  async lastListingAt(): Promise<Date | undefined> {
    const row = await this.db('docr_account_listings')
      .max({ at: 'listed_at' })
      .first();
    return toDate(row?.at ?? null);
  }

  /** The registries of the newest full listing: the registry set the tick works on. */
  async latestListing(): Promise<StorageSample[]> {
    const listedAt = this.db('docr_account_listings').max('listed_at');
    const rows = await this.db('docr_storage_samples')
      .where({ full_listing: true })
      .where('sampled_at', '=', listedAt)
      .orderBy('registry_name');
    return rows.map(r => ({
      registryName: r.registry_name,
      storageBytes: Number(r.storage_bytes),
      sampledAt: toDate(r.sampled_at)!,
    }));
  }

  /**
   * The newest sample of each named registry, from a full listing or not (one after a GC is
   * newer than the hourly listing), in one query.
   */
  async newestSamples(names: string[]): Promise<Map<string, StorageSample>> {
    if (!names.length) return new Map();
    const newest = this.db('docr_storage_samples')
      .whereIn('registry_name', names)
      .groupBy('registry_name')
      .select('registry_name')
      .max({ newest_at: 'sampled_at' })
      .as('n');
    const rows = await this.db('docr_storage_samples as s')
      .join(newest, join =>
        join
          .on('s.registry_name', '=', 'n.registry_name')
          .andOn('s.sampled_at', '=', 'n.newest_at'),
      )
      .select('s.*')
      .orderBy('s.id'); // of two samples taken at the same instant, the later insert wins
    return new Map(
      rows.map(row => [
        row.registry_name,
        {
          registryName: row.registry_name,
          storageBytes: Number(row.storage_bytes),
          sampledAt: toDate(row.sampled_at)!,
        },
      ]),
    );
  }

  /** The newest sample of one registry, from a full listing or not. */
  async latestSample(registryName: string): Promise<StorageSample | undefined> {
    const row = await this.db('docr_storage_samples')
      .where({ registry_name: registryName })
      .orderBy([
        { column: 'sampled_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row
      ? {
          registryName: row.registry_name,
          storageBytes: Number(row.storage_bytes),
          sampledAt: toDate(row.sampled_at)!,
          fullListing: Boolean(row.full_listing),
        }
      : undefined;
  }

  async listSamples(
    registryName: string,
    since: Date,
  ): Promise<StorageSample[]> {
    const rows = await this.db('docr_storage_samples')
      .where({ registry_name: registryName })
      .where('sampled_at', '>=', since)
      .orderBy('sampled_at');
    return rows.map(r => ({
      registryName: r.registry_name,
      storageBytes: Number(r.storage_bytes),
      sampledAt: toDate(r.sampled_at)!,
    }));
  }

  // Retention

  async prune(options: {
    runsBefore: Date;
    samplesBefore: Date;
  }): Promise<{ runs: number; samples: number }> {
    const runs = await this.db('docr_gc_runs')
      .whereIn('status', FINAL_STATUSES)
      .where('created_at', '<', options.runsBefore)
      .delete();
    const samples = await this.db('docr_storage_samples')
      .where('sampled_at', '<', options.samplesBefore)
      .delete();
    // Keep the newest listing whatever its age: it says which registries exist.
    const newest = await this.lastListingAt();
    await this.db('docr_account_listings')
      .where('listed_at', '<', options.samplesBefore)
      .modify(q => {
        if (newest) q.whereNot('listed_at', newest);
      })
      .delete();
    return { runs, samples };
  }
}
