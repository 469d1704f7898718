import type { Knex } from 'knex';
import {
  type DeletionJournal,
  type DeletionOutcome,
  type DeletionStatus,
  type JournalEntry,
  type PlannedDeletion,
  type RetentionJournalSummary,
  type RetentionPlan,
  type RetentionRunKey,
  type SubjectOutcome,
  noDeletionsYet,
} from '../retention/DeletionJournal';
import { toDate, toNumber } from './rowValues';

const PLANS = 'docr_retention_plans';
const DELETIONS = 'docr_retention_deletions';
/** Rows per insert: 13 values each, well under SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 500;

const keyColumns = (key: RetentionRunKey) => ({
  account: key.account,
  registry_name: key.registryName,
  occurrence_key: key.occurrenceKey,
});

/**
 * The retention journal in the plugin's database (`docr_retention_plans`,
 * `docr_retention_deletions`): the plan and its deletions are written in one transaction.
 */
export class DatabaseDeletionJournal implements DeletionJournal {
  constructor(private readonly db: Knex) {}

  async plan(key: RetentionRunKey): Promise<RetentionPlan | undefined> {
    const row = await this.db(PLANS).where(keyColumns(key)).first();
    if (!row) return undefined;
    return {
      rules: JSON.parse(row.rules_json),
      tagsListed: Number(row.tags_listed),
      estimatedFreedBytes: toNumber(row.estimated_freed_bytes) ?? 0,
      plannedAt: toDate(row.planned_at)!,
      ...(row.held_back ? { heldBack: row.held_back } : {}),
      ...(row.gc_narrowed ? { gcNarrowed: row.gc_narrowed } : {}),
    };
  }

  /**
   * Writes the plan and its deletions in one transaction. False when the occurrence already has
   * a plan (another runner made it first): that one stands, nothing is planned twice.
   */
  async createPlan(
    key: RetentionRunKey,
    plan: RetentionPlan,
    deletions: PlannedDeletion[],
  ): Promise<boolean> {
    try {
      await this.db.transaction(async trx => {
        await trx(PLANS).insert({
          ...keyColumns(key),
          rules_json: JSON.stringify(plan.rules),
          tags_listed: plan.tagsListed,
          estimated_freed_bytes: plan.estimatedFreedBytes,
          planned_at: plan.plannedAt,
          held_back: plan.heldBack ?? null,
          gc_narrowed: plan.gcNarrowed ?? null,
        });
        const rows = deletions.map(d => ({
          ...keyColumns(key),
          repository: d.repository,
          tag: d.tag ?? null,
          digest: d.digest,
          rule: d.rule,
          reason: d.reason,
          compressed_size_bytes: d.compressedSizeBytes,
          subject_digest: d.subjectDigest ?? null,
          status: 'planned',
          created_at: plan.plannedAt,
        }));
        for (let i = 0; i < rows.length; i += INSERT_CHUNK)
          await trx(DELETIONS).insert(rows.slice(i, i + INSERT_CHUNK));
      });
      return true;
    } catch (error) {
      // The unique key on the plan: another runner planned this occurrence meanwhile.
      if (await this.plan(key)) return false;
      throw error;
    }
  }

  /**
   * The deletions still planned, in the order they may go, oldest first: by repository, tags,
   * then untagged manifests, then the attachment tags of those manifests (cosign's tags of an
   * image whose tag was pushed again), which wait for their subject's deletion to be settled.
   */
  async pending(key: RetentionRunKey): Promise<JournalEntry[]> {
    const deletedByDigest = this.db(DELETIONS)
      .where(keyColumns(key))
      .whereNull('tag')
      .select('digest');
    const rows = await this.db(DELETIONS)
      .where({ ...keyColumns(key), status: 'planned' })
      .orderBy('repository')
      .orderByRaw(
        'case when tag is null then 1 when subject_digest in ? then 2 else 0 end',
        [deletedByDigest],
      )
      .orderBy('id');
    return rows.map(row => ({
      id: row.id,
      repository: row.repository,
      ...(row.tag === null ? {} : { tag: row.tag }),
      digest: row.digest,
      rule: Number(row.rule),
      reason: row.reason,
      compressedSizeBytes: toNumber(row.compressed_size_bytes) ?? 0,
      ...(row.subject_digest ? { subjectDigest: row.subject_digest } : {}),
      status: row.status,
    }));
  }

  /**
   * What became of the deletions of a subject (the entries of its digest that follow no subject
   * themselves): `deleted` when there is one and every one is deleted, `planned` while one is
   * still planned, else `kept` (skipped, failed, or never planned).
   */
  async subjectOutcome(
    key: RetentionRunKey,
    repository: string,
    digest: string,
  ): Promise<SubjectOutcome> {
    const rows: Array<{ status: DeletionStatus }> = await this.db(DELETIONS)
      .where({ ...keyColumns(key), repository, digest })
      .whereNull('subject_digest')
      .select('status');
    if (rows.some(row => row.status === 'planned')) return 'planned';
    return rows.length > 0 && rows.every(row => row.status === 'deleted')
      ? 'deleted'
      : 'kept';
  }

  /** Skips every deletion still planned in the occurrence, saying why; returns how many. */
  async skipPending(key: RetentionRunKey, detail: string): Promise<number> {
    return this.db(DELETIONS)
      .where({ ...keyColumns(key), status: 'planned' })
      .update({ status: 'skipped', detail });
  }

  /** Settles a planned entry; false when it was settled already (by another runner). */
  async settle(id: number, outcome: DeletionOutcome): Promise<boolean> {
    const updated = await this.db(DELETIONS)
      .where({ id, status: 'planned' })
      .update({
        status: outcome.status,
        detail: 'detail' in outcome ? (outcome.detail ?? null) : null,
        error: outcome.status === 'failed' ? outcome.error : null,
        deleted_at: outcome.status === 'deleted' ? outcome.at : null,
      });
    return updated > 0;
  }

  /** The occurrence's plan and what became of it; undefined when retention never planned it. */
  async summary(
    key: RetentionRunKey,
  ): Promise<RetentionJournalSummary | undefined> {
    const plan = await this.plan(key);
    if (!plan) return undefined;
    const rows = await this.db(DELETIONS)
      .where(keyColumns(key))
      .select(
        'status',
        'rule',
        this.db.raw('case when tag is null then 1 else 0 end as is_manifest'),
      )
      .count({ n: '*' })
      .groupBy('status', 'rule', 'is_manifest');
    const summary: RetentionJournalSummary = {
      ...noDeletionsYet(),
      estimatedFreedBytes: plan.estimatedFreedBytes,
      tagsListed: plan.tagsListed,
      plannedAt: plan.plannedAt,
      ...(plan.heldBack ? { heldBack: plan.heldBack } : {}),
      ...(plan.gcNarrowed ? { gcNarrowed: plan.gcNarrowed } : {}),
    };
    for (const row of rows as Array<Record<string, unknown>>) {
      const n = Number(row.n);
      const status = row.status as DeletionStatus;
      if (status === 'deleted') {
        summary.deleted += n;
        if (Number(row.is_manifest)) summary.deletedManifests += n;
        else summary.deletedTags += n;
        const rule = String(row.rule);
        summary.deletedByRule[rule] = (summary.deletedByRule[rule] ?? 0) + n;
      } else if (status === 'skipped') summary.skipped += n;
      else if (status === 'failed') summary.failed += n;
      else summary.remaining += n;
    }
    return summary;
  }

  async prune(account: string, before: Date): Promise<void> {
    await this.db(DELETIONS)
      .where({ account })
      .where('created_at', '<', before)
      .delete();
    await this.db(PLANS)
      .where({ account })
      .where('planned_at', '<', before)
      .delete();
  }
}
