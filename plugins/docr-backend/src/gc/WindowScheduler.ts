import { toError } from '@backstage/errors';
import {
  DEFAULT_GC_TYPE,
  GcPolicy,
  GcType,
  RUN_STATUS,
  WindowOccurrence,
} from '@backstage-docr/plugin-docr-common';
import { isConflictError } from '@backstage-docr/plugin-docr-node';
import { GcRun } from '../database/DocrStore';
import {
  GcContext,
  TickReport,
  isRateLimited,
  isRegistryGone,
} from './context';
import { RetentionPhase, auditRetention } from './RetentionPhase';
import { RunReconciler, contentFingerprint } from './RunReconciler';

type CallOptions = { signal?: AbortSignal };

/**
 * Starts a registry's collection once per window occurrence: the intent is claimed in the
 * database first, then DigitalOcean is asked, unless a collection is already running, nothing
 * changed since the last one, or too little of the window is left.
 */
export class WindowScheduler {
  private readonly retention: RetentionPhase;

  constructor(
    private readonly ctx: GcContext,
    private readonly runs: RunReconciler,
  ) {
    this.retention = new RetentionPhase(ctx);
  }

  async startInWindow(
    registryName: string,
    policy: GcPolicy,
    occurrence: WindowOccurrence,
    storageBefore: number | undefined,
    now: Date,
    report: TickReport,
    options: CallOptions = {},
  ) {
    const { store, client, config, logger } = this.ctx;
    const existing = await store.runForOccurrence(registryName, occurrence.key);
    const deletingTags = existing?.status === RUN_STATUS.deletingTags;
    if (
      existing &&
      !deletingTags &&
      existing.status !== RUN_STATUS.waitingToRetry
    )
      return;

    const remainingMs = occurrence.end.toMillis() - now.getTime();
    const tooLate =
      remainingMs < config.minimumRemainingWindowMs
        ? `Only ${Math.round(remainingMs / 60_000)} min of the window left, less than docr.garbageCollection.minimumRemainingWindow (${Math.round(config.minimumRemainingWindowMs / 60_000)} min): not started so the registry is not read-only past its window`
        : undefined;

    let run: GcRun | undefined;
    if (existing && deletingTags) {
      // Its tags are being deleted over several ticks; the GC starts once that is done.
      if (tooLate) {
        await this.skip(
          existing,
          `The window is ending while deleting tags: ${tooLate}`,
          now,
          report,
        );
        return;
      }
      run = existing;
    } else if (existing) {
      if (tooLate) {
        await store.updateRun(existing, {
          status: RUN_STATUS.failed,
          reason: `${existing.reason ?? 'Could not start'}; ${tooLate}`,
          finishedAt: now,
        });
        return;
      }
      // Only one replica takes it back (compare and set on the status).
      run = await store.reclaimRun(existing, now);
    } else {
      // The intent is written first; the unique (registry, occurrence) key makes this the only
      // run of the occurrence, even if another replica's tick gets here at the same time.
      run = await store.claimRun({
        registryName,
        trigger: 'window',
        occurrenceKey: occurrence.key,
        type: policy.type,
        storageBefore,
        windowEnd: occurrence.end.toJSDate(),
        now,
      });
      if (run && tooLate) {
        await this.skip(run, tooLate, now, report);
        return;
      }
    }
    if (!run) return;

    let startSent = false;
    try {
      // Collections started from the console or doctl since the last window join the history.
      await this.runs.importExternalRuns(registryName, {
        ...options,
        notAnswering: run.id,
      });
      const active = await client.getActiveGarbageCollection(
        registryName,
        options,
      );
      if (active) {
        await this.runs.recordExternal(registryName, active, run.id);
        await this.skip(
          run,
          `DigitalOcean was already running garbage collection ${active.uuid} (${active.status}), started outside the portal`,
          now,
          report,
        );
        return;
      }
      const retention = await this.retention.step(
        run,
        policy,
        occurrence,
        report,
        options,
      );
      run = retention.run;
      if (!retention.done) return;
      const type = retention.type;
      const unchanged = await this.nothingChangedSince(
        registryName,
        type,
        options,
      );
      if (unchanged) {
        await this.skip(run, unchanged, now, report);
        return;
      }
      if (options.signal?.aborted) throw options.signal.reason;
      startSent = true;
      const gc = await client.startGarbageCollection(
        registryName,
        type,
        options,
      );
      await store.updateRun(run, {
        doUuid: gc.uuid,
        status: gc.status ?? RUN_STATUS.requested,
        startedAt: now,
      });
      report.started.push(registryName);
      logger.info(
        `Started garbage collection ${gc.uuid} of ${registryName} (${type}) in window ${occurrence.key}`,
      );
    } catch (error) {
      if (isConflictError(error)) {
        await this.skip(
          run,
          `DigitalOcean refused to start: ${toError(error).message}`,
          now,
          report,
        );
        return;
      }
      if (isRegistryGone(error)) {
        await this.runs.registryGone(
          [registryName],
          `DigitalOcean answered 404 for the registry: ${toError(error).message}`,
          now,
          report,
        );
        return;
      }
      if (!startSent || isRateLimited(error)) {
        // Nothing was started: a later tick tries again while the window is open.
        await store.updateRun(run, {
          status: RUN_STATUS.waitingToRetry,
          reason: `Could not start: ${toError(error).message}`,
        });
        logger.warn(
          `Garbage collection of ${registryName} not started, will retry within the window: ${error}`,
        );
      } else {
        // The request may or may not have reached DigitalOcean; the next ticks find out.
        await store.updateRun(run, {
          reason: `Start request failed: ${toError(error).message}`,
        });
        logger.warn(
          `Starting garbage collection of ${registryName} failed: ${error}`,
        );
      }
      report.errors.push(`${registryName}: ${toError(error).message}`);
    }
  }

  /**
   * A reason to skip when DigitalOcean can tell cheaply that there is nothing to collect: the
   * repositories (tags, manifests, latest digests) are exactly as right after the last
   * successful collection of a type that covers this one. Costs one repository listing.
   */
  private async nothingChangedSince(
    registryName: string,
    type: GcType,
    options: CallOptions,
  ): Promise<string | undefined> {
    const last = await this.ctx.store.lastSucceeded(registryName);
    if (!last?.contentFingerprint || !last.finishedAt) return undefined;
    if (last.type !== type && last.type !== DEFAULT_GC_TYPE) return undefined;
    const repositories = await this.ctx.client.listRepositories(
      registryName,
      options,
    );
    if (contentFingerprint(repositories) !== last.contentFingerprint)
      return undefined;
    return `Nothing to collect: no image was pushed, tagged or deleted since the collection of ${last.finishedAt.toISOString()} (run ${last.id})`;
  }

  private async skip(
    run: GcRun,
    reason: string,
    now: Date,
    report: TickReport,
  ) {
    await this.ctx.store.updateRun(run, {
      status: RUN_STATUS.skipped,
      reason,
      finishedAt: now,
    });
    report.skipped.push(run.registryName);
    this.ctx.logger.info(
      `Skipped garbage collection of ${run.registryName}: ${reason}`,
    );
    if (run.status === RUN_STATUS.deletingTags)
      await auditRetention(this.ctx, run, `closed: ${reason}`);
  }
}
