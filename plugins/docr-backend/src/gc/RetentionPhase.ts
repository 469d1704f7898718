import {
  GcPolicy,
  GcType,
  RUN_STATUS,
  WindowOccurrence,
} from '@backstage-docr/plugin-docr-common';
import type { GcRun } from '../database/DocrStore';
import type { GcContext, TickReport } from './context';
import type { RetentionRunSummary } from '../retention/RetentionRunner';

/**
 * How long the first call of an occurrence may take: it lists the whole registry before it plans
 * (1 + 2 calls per repository, paced), within the GC task's 10-minute timeout.
 */
export const RETENTION_PLANNING_BUDGET_MS = 8 * 60_000;
/** How often a run deleting tags looks whether it was cancelled meanwhile. */
export const RETENTION_STATUS_POLL_MS = 5_000;

export type RetentionStep =
  /** Deletions are left for the next ticks, or the run was cancelled: nothing more this tick. */
  | { done: false; run: GcRun }
  /**
   * Retention is over for this window: start the GC, of `type`. `checkedInUse`: its plan read what
   * runs and chose the type with it (else the scheduler's `ManifestsInUseGuard` checks).
   */
  | { done: true; run: GcRun; type: GcType; checkedInUse: boolean };

/** Whether the policy deletes tags before its collections. */
export function hasRetentionRules(policy: GcPolicy): boolean {
  return (policy.retention?.rules?.length ?? 0) > 0;
}

/** What the run says of its retention: held back, or deletions left for the next window. */
function retentionOutcome(summary: {
  heldBack?: string;
  gcNarrowed?: string;
  remaining: number;
  stoppedBy?: string;
}): string | undefined {
  if (summary.heldBack)
    return `Retention deleted nothing and the GC frees unreferenced blobs only: ${summary.heldBack}`;
  if (summary.gcNarrowed)
    return `The GC frees unreferenced blobs only: ${summary.gcNarrowed}`;
  if (summary.remaining > 0)
    return `Retention left ${summary.remaining} deletions for the next window (${summary.stoppedBy ?? 'the window is ending'})`;
  return undefined;
}

/** Whether this run's retention is over already (it went on to start its GC). */
function retentionOver(run: GcRun): boolean {
  const deleting = run.statuses.lastIndexOf(RUN_STATUS.deletingTags);
  return (
    deleting >= 0 && run.statuses.lastIndexOf(RUN_STATUS.starting) > deleting
  );
}

/**
 * One audit event for a window occurrence's retention when a run is done with it (on to its GC,
 * or closed: cancelled, window over, GC elsewhere): what the GC task deleted on its own, by rule.
 * Each deletion, with its digest and time, is in the retention journal.
 */
export async function auditRetention(
  ctx: GcContext,
  run: GcRun,
  outcome: string,
) {
  if (!ctx.auditor || !run.occurrenceKey) return;
  const summary = await ctx.store.retentionSummary(run);
  if (!summary) return;
  const event = await ctx.auditor.createEvent({
    eventId: 'retention-run',
    severityLevel: 'medium',
    meta: {
      account: ctx.store.account,
      registry: run.registryName,
      runId: run.id,
      window: run.occurrenceKey,
      actor: 'the docr GC task (retention rules)',
      outcome,
      deleted: summary.deleted,
      deletedTags: summary.deletedTags,
      deletedManifests: summary.deletedManifests,
      deletedByRule: summary.deletedByRule,
      skipped: summary.skipped,
      failed: summary.failed,
      remaining: summary.remaining,
    },
  });
  await event.success();
}

/**
 * The first part of a window run whose policy has retention rules: deletes what the rules select
 * (journaled, resumable, within the rate budget), a slice per tick, until nothing is left or too
 * little of the window would remain for the GC. Then the GC of the policy's type frees the
 * bytes, never a wider type than the policy chose: "unreferenced blobs only" keeps the untagged
 * manifests the deleted tags leave (people may still pull them by digest), and frees what no
 * manifest references. Nothing is deleted unless `docr.tagRetention.enabled`.
 */
export class RetentionPhase {
  constructor(private readonly ctx: GcContext) {}

  async step(
    run: GcRun,
    policy: GcPolicy,
    occurrence: WindowOccurrence,
    report: TickReport,
    options: { signal?: AbortSignal } = {},
  ): Promise<RetentionStep> {
    const { store, config, retention, now } = this.ctx;
    if (!retention || !config.tagRetentionEnabled || !hasRetentionRules(policy))
      return { done: true, run, type: policy.type, checkedInUse: false };
    if (retentionOver(run))
      return {
        done: true,
        run,
        type: (run.type as GcType) ?? policy.type,
        checkedInUse: true,
      };
    let current = run;
    if (current.status !== RUN_STATUS.deletingTags)
      current = await store.updateRun(current, {
        status: RUN_STATUS.deletingTags,
      });
    const key = {
      account: store.account,
      registryName: run.registryName,
      occurrenceKey: occurrence.key,
    };
    // The GC needs what minimumRemainingWindow says is left of the window to start.
    const lastDeletion =
      occurrence.end.toMillis() - config.minimumRemainingWindowMs;
    const until = (ms: number) =>
      new Date(Math.min(lastDeletion, now().getTime() + ms));

    const cancelled = this.watchForCancel(current);
    const signal = options.signal
      ? AbortSignal.any([options.signal, cancelled.signal])
      : cancelled.signal;
    const request = { ...key, retention: policy.retention, now, signal };
    let summary;
    try {
      // Listing the registry for the plan may take longer than a slice: it gets its own budget.
      if (!(await retention.planned(key)))
        await retention.run({
          ...request,
          deadline: until(RETENTION_PLANNING_BUDGET_MS),
          planOnly: true,
        });
      // Then a slice of deletions per registry per tick.
      summary = await retention.run({
        ...request,
        deadline: until(config.retentionTickBudgetMs),
      });
    } finally {
      cancelled.stop();
    }
    report.deletingTags.push(run.registryName);
    if (options.signal?.aborted) return { done: false, run: current };
    // Carried on next tick: stopped by the tick's slice with window left for it. Over:
    // everything planned is settled, deletions keep failing, or the window's time is up (what is
    // left is selected again next window).
    const windowLeft = now().getTime() < lastDeletion;
    const over =
      summary.stoppedBy === undefined ||
      summary.stoppedBy === 'errors' ||
      (summary.stoppedBy === 'deadline' && !windowLeft);
    if (!over) return { done: false, run: current };
    return this.onToTheGc(current, policy, summary);
  }

  /**
   * Retention is over: the run goes on to its GC (of blobs only when held back or when untagged
   * manifests are in use), unless somebody cancelled it meanwhile.
   */
  private async onToTheGc(
    current: GcRun,
    policy: GcPolicy,
    summary: RetentionRunSummary,
  ): Promise<RetentionStep> {
    const { store } = this.ctx;
    // Only while nobody cancelled it meanwhile (compare and set on the status).
    const next = await store.updateRunIf(current, {
      status: RUN_STATUS.starting,
      // Held back (what runs is unknown) or with untagged manifests in use, the GC deletes no
      // manifest: an untagged one may be what a pod or an app pinned by digest runs.
      type:
        summary.heldBack || summary.gcNarrowed
          ? 'unreferenced blobs only'
          : policy.type,
      reason: retentionOutcome(summary),
    });
    if (!next) return { done: false, run: (await store.runById(current.id))! };
    await auditRetention(this.ctx, next, 'deleted; the GC starts');
    return {
      done: true,
      run: next,
      type: next.type as GcType,
      checkedInUse: true,
    };
  }

  /** Aborts the deletions when the run stops being `deleting tags` (cancelled from the API). */
  private watchForCancel(run: GcRun) {
    const controller = new AbortController();
    const timer = setInterval(async () => {
      const current = await this.ctx.store.runById(run.id).catch(() => run);
      if (current?.status !== RUN_STATUS.deletingTags)
        controller.abort('cancelled');
    }, RETENTION_STATUS_POLL_MS);
    timer.unref();
    return { signal: controller.signal, stop: () => clearInterval(timer) };
  }
}
