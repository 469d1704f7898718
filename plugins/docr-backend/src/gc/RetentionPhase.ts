import {
  DEFAULT_GC_TYPE,
  GcPolicy,
  GcType,
  RUN_STATUS,
  WindowOccurrence,
} from '@backstage-docr/plugin-docr-common';
import type { GcRun } from '../database/DocrStore';
import type { RetentionRunSummary } from '../retention/RetentionRunner';
import type { GcContext, TickReport } from './context';

export type RetentionStep =
  /** Deletions are left for the next ticks; nothing else to do this tick. */
  | { done: false; run: GcRun }
  /** Retention is over for this window: start the GC, of `type`. */
  | { done: true; run: GcRun; type: GcType };

/** Whether the policy deletes tags before its collections. */
export function hasRetentionRules(policy: GcPolicy): boolean {
  return (policy.retention?.rules?.length ?? 0) > 0;
}

/**
 * The first part of a window run whose policy has retention rules: deletes what the rules select
 * (journaled, resumable, within the rate budget), a slice per tick, until nothing is left or too
 * little of the window would remain for the GC. Then the GC frees the bytes: of type "untagged
 * manifests and unreferenced blobs" when tags were deleted, since only that type frees what the
 * deleted tags pointed at.
 */
export class RetentionPhase {
  constructor(private readonly ctx: GcContext) {}

  async step(
    run: GcRun,
    policy: GcPolicy,
    occurrence: WindowOccurrence,
    until: Date,
    report: TickReport,
    options: { signal?: AbortSignal } = {},
  ): Promise<RetentionStep> {
    const { store, config, retention, now } = this.ctx;
    if (!retention || !hasRetentionRules(policy))
      return { done: true, run, type: policy.type };
    let current = run;
    if (current.status !== RUN_STATUS.deletingTags)
      current = await store.updateRun(current, {
        status: RUN_STATUS.deletingTags,
      });
    // The GC needs what minimumRemainingWindow says is left of the window to start.
    const lastDeletion = new Date(
      occurrence.end.toMillis() - config.minimumRemainingWindowMs,
    );
    const deadline = new Date(
      Math.min(lastDeletion.getTime(), until.getTime()),
    );
    const summary = await retention.run({
      account: store.account,
      registryName: run.registryName,
      occurrenceKey: occurrence.key,
      retention: policy.retention,
      deadline,
      now,
      signal: options.signal,
    });
    report.deletingTags.push(run.registryName);
    // Carried on next tick: stopped by the tick's slice or an abort, with window left for it.
    // Over: everything planned is settled, deletions keep failing, or the window's time for
    // deleting is up (what is left is selected again next window).
    const windowLeft = now().getTime() < lastDeletion.getTime();
    const over =
      summary.stoppedBy === undefined ||
      summary.stoppedBy === 'errors' ||
      (summary.stoppedBy === 'deadline' && !windowLeft);
    if (!over || options.signal?.aborted) return { done: false, run: current };
    if (summary.plannedAt) await this.audit(run, occurrence, summary);
    current = await store.updateRun(current, {
      status: RUN_STATUS.starting,
      type: summary.deleted > 0 ? DEFAULT_GC_TYPE : policy.type,
      reason:
        summary.remaining > 0
          ? `Retention left ${summary.remaining} deletions for the next window (${summary.stoppedBy ?? 'the window is ending'})`
          : undefined,
    });
    return { done: true, run: current, type: current.type as GcType };
  }

  /**
   * One audit event per window occurrence's retention, when it is over: what the GC task deleted
   * on its own, by rule (each deletion, with its digest and time, is in the retention journal).
   */
  private async audit(
    run: GcRun,
    occurrence: WindowOccurrence,
    summary: RetentionRunSummary,
  ) {
    const event = await this.ctx.auditor?.createEvent({
      eventId: 'retention-run',
      severityLevel: 'medium',
      meta: {
        account: this.ctx.store.account,
        registry: run.registryName,
        runId: run.id,
        window: occurrence.key,
        actor: 'the docr GC task (retention rules)',
        deleted: summary.deleted,
        deletedTags: summary.deletedTags,
        deletedManifests: summary.deletedManifests,
        deletedByRule: summary.deletedByRule,
        skipped: summary.skipped,
        failed: summary.failed,
        remaining: summary.remaining,
      },
    });
    await event?.success();
  }
}
