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

/** What one tick's start of a registry's window run works with. */
interface WindowTick {
  registryName: string;
  policy: GcPolicy;
  occurrence: WindowOccurrence;
  now: Date;
  report: TickReport;
  options: CallOptions;
}

/** The run being started (retention may replace the record) and whether the start was sent. */
interface StartAttempt {
  run: GcRun;
  startSent: boolean;
}

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

  /** Claims the registry's run of the window occurrence (or takes it back) and starts it. */
  async startInWindow(
    registryName: string,
    policy: GcPolicy,
    occurrence: WindowOccurrence,
    storageBefore: number | undefined,
    now: Date,
    report: TickReport,
    options: CallOptions = {},
  ) {
    const tick: WindowTick = {
      registryName,
      policy,
      occurrence,
      now,
      report,
      options,
    };
    const run = await this.claim(tick, storageBefore);
    if (!run) return;
    const attempt: StartAttempt = { run, startSent: false };
    try {
      await this.start(tick, attempt);
    } catch (error) {
      await this.startFailed(tick, attempt, error);
    }
  }

  /**
   * The occurrence's run this tick carries on: a new claim, a start to retry, or tags still being
   * deleted; none when another replica has it or it is over. Too late in the window, it is closed.
   */
  private async claim(
    tick: WindowTick,
    storageBefore: number | undefined,
  ): Promise<GcRun | undefined> {
    const { store } = this.ctx;
    const { registryName, occurrence, now, report } = tick;
    const existing = await store.runForOccurrence(registryName, occurrence.key);
    const tooLate = this.tooLate(occurrence, now);
    if (existing?.status === RUN_STATUS.deletingTags) {
      // Its tags are being deleted over several ticks; the GC starts once that is done.
      if (!tooLate) return existing;
      await this.skip(
        existing,
        `The window is ending while deleting tags: ${tooLate}`,
        now,
        report,
      );
      return undefined;
    }
    if (existing?.status === RUN_STATUS.waitingToRetry) {
      if (!tooLate) {
        // Only one replica takes it back (compare and set on the status).
        return store.reclaimRun(existing, now);
      }
      await store.updateRun(existing, {
        status: RUN_STATUS.failed,
        reason: `${existing.reason ?? 'Could not start'}; ${tooLate}`,
        finishedAt: now,
      });
      return undefined;
    }
    if (existing) return undefined;
    // The intent is written first; the unique (registry, occurrence) key makes this the only
    // run of the occurrence, even if another replica's tick gets here at the same time.
    const run = await store.claimRun({
      registryName,
      trigger: 'window',
      occurrenceKey: occurrence.key,
      type: tick.policy.type,
      storageBefore,
      windowEnd: occurrence.end.toJSDate(),
      now,
    });
    if (run && tooLate) {
      await this.skip(run, tooLate, now, report);
      return undefined;
    }
    return run;
  }

  /** Why it is too late to start in this window, if it is. */
  private tooLate(occurrence: WindowOccurrence, now: Date): string | undefined {
    const { minimumRemainingWindowMs } = this.ctx.config;
    const remainingMs = occurrence.end.toMillis() - now.getTime();
    if (remainingMs >= minimumRemainingWindowMs) return undefined;
    return `Only ${Math.round(remainingMs / 60_000)} min of the window left, less than docr.garbageCollection.minimumRemainingWindow (${Math.round(minimumRemainingWindowMs / 60_000)} min): not started so the registry is not read-only past its window`;
  }

  /**
   * Skips when DigitalOcean already collects or nothing changed; otherwise deletes the tags the
   * retention rules select (over as many ticks as it takes), then asks DigitalOcean to start.
   */
  private async start(tick: WindowTick, attempt: StartAttempt) {
    const { store, client, logger } = this.ctx;
    const { registryName, occurrence, now, report, options } = tick;
    // Collections started from the console or doctl since the last window join the history.
    await this.runs.importExternalRuns(registryName, {
      ...options,
      notAnswering: attempt.run.id,
    });
    const active = await client.getActiveGarbageCollection(
      registryName,
      options,
    );
    if (active) {
      await this.runs.recordExternal(registryName, active, attempt.run.id);
      await this.skip(
        attempt.run,
        `DigitalOcean was already running garbage collection ${active.uuid} (${active.status}), started outside the portal`,
        now,
        report,
      );
      return;
    }
    const retention = await this.retention.step(
      attempt.run,
      tick.policy,
      occurrence,
      report,
      options,
    );
    attempt.run = retention.run;
    if (!retention.done) return;
    const type = retention.checkedInUse
      ? retention.type
      : await this.typeSafeForInUse(tick, attempt, retention.type);
    const unchanged = await this.nothingChangedSince(
      registryName,
      type,
      options,
    );
    if (unchanged) {
      await this.skip(attempt.run, unchanged, now, report);
      return;
    }
    if (options.signal?.aborted) throw options.signal.reason;
    attempt.startSent = true;
    const gc = await client.startGarbageCollection(registryName, type, options);
    await store.updateRun(attempt.run, {
      doUuid: gc.uuid,
      status: gc.status ?? RUN_STATUS.requested,
      startedAt: now,
    });
    report.started.push(registryName);
    logger.info(
      `Started garbage collection ${gc.uuid} of ${registryName} (${type}) in window ${occurrence.key}`,
    );
  }

  /**
   * The policy's type, or unreferenced blobs only when it would delete a manifest that runs
   * (recorded on the run, with why).
   */
  private async typeSafeForInUse(
    tick: WindowTick,
    attempt: StartAttempt,
    type: GcType,
  ): Promise<GcType> {
    const guard = this.ctx.manifestsInUse;
    if (!guard) return type;
    const safe = await guard.safeType(
      tick.registryName,
      tick.policy,
      type,
      tick.options.signal,
    );
    if (!safe.narrowed) return type;
    attempt.run = await this.ctx.store.updateRun(attempt.run, {
      type: safe.type,
      reason: `The GC frees unreferenced blobs only: ${safe.narrowed}`,
    });
    return safe.type;
  }

  /**
   * A refusal skips the run, a registry gone closes it; otherwise a start never sent is retried
   * by a later tick in the window, and one that may have reached DigitalOcean is found out by the
   * next ticks.
   */
  private async startFailed(
    tick: WindowTick,
    attempt: StartAttempt,
    error: unknown,
  ) {
    const { store, logger } = this.ctx;
    const { registryName, now, report } = tick;
    const { run } = attempt;
    const reason = toError(error).message;
    if (isConflictError(error)) {
      await this.skip(
        run,
        `DigitalOcean refused to start: ${reason}`,
        now,
        report,
      );
      return;
    }
    if (isRegistryGone(error)) {
      await this.runs.registryGone(
        [registryName],
        `DigitalOcean answered 404 for the registry: ${reason}`,
        now,
        report,
      );
      return;
    }
    if (!attempt.startSent || isRateLimited(error)) {
      // Nothing was started: a later tick tries again while the window is open.
      await store.updateRun(run, {
        status: RUN_STATUS.waitingToRetry,
        reason: `Could not start: ${reason}`,
      });
      logger.warn(
        `Garbage collection of ${registryName} not started, will retry within the window: ${error}`,
      );
    } else {
      // The request may or may not have reached DigitalOcean; the next ticks find out.
      await store.updateRun(run, { reason: `Start request failed: ${reason}` });
      logger.warn(
        `Starting garbage collection of ${registryName} failed: ${error}`,
      );
    }
    report.errors.push(`${registryName}: ${reason}`);
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
