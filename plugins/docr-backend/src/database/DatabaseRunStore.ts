import { Knex } from 'knex';
import {
  DO_TERMINAL_GC_STATUSES,
  RUN_STATUS,
  isFinalRunStatus,
} from '@backstage-docr/plugin-docr-common';
import {
  RUN_PATCH_COLUMNS,
  FINAL_STATUSES,
  GcRun,
  RunPatch,
  RunRow,
  runFromRow,
} from './gcRunRows';
import type { ClaimRunInput, RunStore } from './RunStore';

const STARTING = RUN_STATUS.starting;
const RETRY_PENDING = RUN_STATUS.waitingToRetry;

/** The columns a patch sets; a new status is appended to the statuses seen. */
function columnsOf(run: GcRun, patch: RunPatch): Record<string, unknown> {
  const update: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined)
      update[RUN_PATCH_COLUMNS[key as keyof RunPatch]] = value;
  }
  if (patch.status && patch.status !== run.status)
    update.statuses_json = JSON.stringify([...run.statuses, patch.status]);
  return update;
}

/** One account's GC runs in the plugin's database (`docr_gc_runs`). */
export class DatabaseRunStore implements RunStore {
  constructor(
    private readonly db: Knex,
    private readonly account: string,
  ) {}

  /** The account's runs. */
  private runs() {
    return this.db<RunRow>('docr_gc_runs').where({ account: this.account });
  }

  /**
   * Records the intent to run before DigitalOcean is called. Returns undefined when the window
   * occurrence already has a run (another replica, or an earlier tick): the unique key on
   * (registry, occurrence) is what guarantees one run per occurrence.
   */
  async claimRun(input: ClaimRunInput): Promise<GcRun | undefined> {
    const status = input.status ?? STARTING;
    const rows = await this.db('docr_gc_runs')
      .insert({
        account: this.account,
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
        input.occurrenceKey
          ? ['account', 'registry_name', 'occurrence_key']
          : ['do_uuid'],
      )
      .ignore()
      .returning('id');
    if (!rows.length) return undefined;
    const id = typeof rows[0] === 'object' ? rows[0].id : rows[0];
    return this.runById(Number(id));
  }

  async runById(id: number): Promise<GcRun | undefined> {
    const row = await this.runs().where({ id }).first();
    return row ? runFromRow(row) : undefined;
  }

  async runByUuid(uuid: string): Promise<GcRun | undefined> {
    const row = await this.runs().where({ do_uuid: uuid }).first();
    return row ? runFromRow(row) : undefined;
  }

  async runForOccurrence(
    registryName: string,
    occurrenceKey: string,
  ): Promise<GcRun | undefined> {
    const row = await this.runs()
      .where({ registry_name: registryName, occurrence_key: occurrenceKey })
      .first();
    return row ? runFromRow(row) : undefined;
  }

  /** Applies a patch; a new status is appended to the statuses seen. */
  async updateRun(run: GcRun, patch: RunPatch): Promise<GcRun> {
    const update = columnsOf(run, patch);
    if (Object.keys(update).length) {
      await this.runs().where({ id: run.id }).update(update);
    }
    return (await this.runById(run.id))!;
  }

  /**
   * Applies a patch only while the run still has the status it was read with (compare and set):
   * undefined when something else changed it meanwhile (a cancel, another replica).
   */
  async updateRunIf(run: GcRun, patch: RunPatch): Promise<GcRun | undefined> {
    const updated = await this.runs()
      .where({ id: run.id, status: run.status })
      .update(columnsOf(run, patch));
    return updated ? this.runById(run.id) : undefined;
  }

  /**
   * Takes a run waiting to retry back to `starting`. Only one caller wins (compare and set on the
   * status), so two replicas never both start it.
   */
  async reclaimRun(run: GcRun, now: Date): Promise<GcRun | undefined> {
    const updated = await this.runs()
      .where({ id: run.id, status: RETRY_PENDING })
      .update({
        status: STARTING,
        statuses_json: JSON.stringify([...run.statuses, STARTING]),
        created_at: now,
      });
    return updated ? this.runById(run.id) : undefined;
  }

  async runsInFlight(): Promise<GcRun[]> {
    const rows = await this.runs()
      .whereNotIn('status', FINAL_STATUSES)
      .orderBy('id');
    return rows.map(runFromRow);
  }

  /**
   * Collections that ended on DigitalOcean since `since` whose storage after is not recorded yet:
   * DigitalOcean updates a registry's storage some time after a collection ends.
   */
  async runsAwaitingStorage(since: Date): Promise<GcRun[]> {
    const rows = await this.runs()
      .whereIn('status', DO_TERMINAL_GC_STATUSES)
      .whereNotNull('do_uuid')
      .whereNull('storage_after')
      .where('finished_at', '>=', since)
      .orderBy('id');
    return rows.map(runFromRow);
  }

  async runsEndedSince(since: Date): Promise<GcRun[]> {
    const rows = await this.runs()
      .whereIn('status', FINAL_STATUSES)
      .andWhere('finished_at', '>=', since)
      .orderBy('finished_at')
      .orderBy('id');
    return rows.map(runFromRow);
  }

  async listRuns(
    registryName: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: GcRun[]; totalCount: number }> {
    const [rows, count] = await Promise.all([
      this.runs()
        .where({ registry_name: registryName })
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(page.limit)
        .offset(page.offset),
      this.runs()
        .where({ registry_name: registryName })
        .count({ count: '*' })
        .first(),
    ]);
    return {
      items: rows.map(runFromRow),
      totalCount: Number(count?.count ?? 0),
    };
  }

  /** For each registry: the newest run, and the one in flight if any. */
  async runSummaries(): Promise<Map<string, { last?: GcRun; active?: GcRun }>> {
    const newest = this.runs().max({ id: 'id' }).groupBy('registry_name');
    const rows = await this.runs().where(q =>
      q.whereIn('id', newest).orWhereNotIn('status', FINAL_STATUSES),
    );
    const result = new Map<string, { last?: GcRun; active?: GcRun }>();
    for (const run of rows.map(runFromRow).sort((a, b) => a.id - b.id)) {
      const entry = result.get(run.registryName) ?? {};
      if (!isFinalRunStatus(run.status)) entry.active = run;
      if (!entry.last || entry.last.id < run.id) entry.last = run;
      result.set(run.registryName, entry);
    }
    return result;
  }

  async lastSucceeded(registryName: string): Promise<GcRun | undefined> {
    const row = await this.runs()
      .where({ registry_name: registryName, status: RUN_STATUS.succeeded })
      .orderBy('id', 'desc')
      .first();
    return row ? runFromRow(row) : undefined;
  }

  async knownUuids(registryName: string): Promise<Set<string>> {
    const rows = await this.runs()
      .where({ registry_name: registryName })
      .whereNotNull('do_uuid')
      .select('do_uuid');
    return new Set(rows.map(r => r.do_uuid as string));
  }

  async pruneFinished(before: Date): Promise<number> {
    return this.runs()
      .whereIn('status', FINAL_STATUSES)
      .where('created_at', '<', before)
      .delete();
  }
}
