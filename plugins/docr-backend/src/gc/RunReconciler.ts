import { toError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import type {
  GarbageCollection,
  Registry,
  RepositoryV2,
} from '@backstage-docr/digitalocean-openapi';
import {
  RUN_STATUS,
  isTerminalGcStatus,
} from '@backstage-docr/plugin-docr-common';
import { GcRun } from '../database/DocrStore';
import { ExternalRuns, couldAnswer } from './ExternalRuns';
import { auditRetention } from './RetentionPhase';
import {
  GcContext,
  TickReport,
  UNCONFIRMED_START_GRACE_MS,
  isRegistryGone,
} from './context';

type CallOptions = { signal?: AbortSignal };

/** What a repository listing says about content, to tell cheaply that nothing changed. */
export function contentFingerprint(repositories: RepositoryV2[]): string {
  const summary = repositories
    .map(r => [
      r.name,
      r.tag_count,
      r.manifest_count,
      r.latest_manifest?.digest ?? null,
    ])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return createHash('sha256').update(JSON.stringify(summary)).digest('hex');
}

/**
 * Keeps our run records in step with what DigitalOcean reports: follows runs in flight to their
 * end, adopts starts whose answer was lost, imports collections started elsewhere, and closes the
 * runs of registries DigitalOcean no longer has.
 */
export class RunReconciler {
  private readonly external: ExternalRuns;

  constructor(private readonly ctx: GcContext) {
    this.external = new ExternalRuns(ctx);
  }

  /** Follows a run in flight one step: adopt, poll, cancel at window end, or record its end. */
  async watch(
    run: GcRun,
    now: Date,
    report: TickReport,
    options: CallOptions = {},
  ) {
    try {
      await this.step(run, now, report, options);
    } catch (error) {
      await this.stepFailed(run, error, now, report, options);
    }
  }

  /** The step a run's status calls for. */
  private async step(
    run: GcRun,
    now: Date,
    report: TickReport,
    options: CallOptions,
  ) {
    if (run.status === RUN_STATUS.waitingToRetry) {
      await this.watchWaitingToRetry(run, now);
    } else if (run.status === RUN_STATUS.deletingTags) {
      await this.watchDeletingTags(run, now, report);
    } else if (!run.doUuid) {
      await this.resolveUnconfirmedStart(run, now, options);
    } else {
      await this.watchCollection(run, run.doUuid, now, report, options);
    }
  }

  /** Nothing was started; the window scheduler retries it while the window is open. */
  private async watchWaitingToRetry(run: GcRun, now: Date) {
    if (!windowEnded(run, now)) return;
    await this.ctx.store.updateRun(run, {
      status: RUN_STATUS.failed,
      reason: `${run.reason ?? 'Could not start'}; the window ended before a retry succeeded`,
      finishedAt: now,
    });
  }

  /** The window scheduler carries it on while the window is open (retention, then GC). */
  private async watchDeletingTags(run: GcRun, now: Date, report: TickReport) {
    if (!windowEnded(run, now)) return;
    const reason = `The window ended while deleting tags, before the garbage collection could start; the next window selects the tags again`;
    await this.ctx.store.updateRun(run, {
      status: RUN_STATUS.skipped,
      reason,
      finishedAt: now,
    });
    report.skipped.push(run.registryName);
    await auditRetention(this.ctx, run, `closed: ${reason}`);
  }

  /** A collection DigitalOcean started for us: still active, or ended since the last tick. */
  private async watchCollection(
    run: GcRun,
    doUuid: string,
    now: Date,
    report: TickReport,
    options: CallOptions,
  ) {
    const active = await this.ctx.client.getActiveGarbageCollection(
      run.registryName,
      options,
    );
    if (active?.uuid === doUuid) {
      await this.watchActive(
        run,
        { ...active, uuid: doUuid },
        now,
        report,
        options,
      );
    } else {
      await this.watchEnded(run, doUuid, now, report, options);
    }
  }

  /** Records DigitalOcean's current status, and cancels the run if its window has ended. */
  private async watchActive(
    run: GcRun,
    active: GarbageCollection & { uuid: string },
    now: Date,
    report: TickReport,
    options: CallOptions,
  ) {
    const { store, client, logger } = this.ctx;
    const current = await store.updateRun(run, {
      status: active.status ?? run.status,
    });
    if (!(await this.shouldCancelAtWindowEnd(current, now))) return;
    const cancelled = await client.cancelGarbageCollection(
      run.registryName,
      active.uuid,
      options,
    );
    await store.updateRun(current, {
      status: cancelled.status ?? RUN_STATUS.cancelling,
      cancelRequestedAt: now,
      reason: `Cancelled at window end (${current.windowEnd!.toISOString()}) so the registry does not stay read-only`,
    });
    report.cancelling.push(run.registryName);
    logger.warn(
      `Cancelling garbage collection ${active.uuid} of ${run.registryName}: its window has ended`,
    );
  }

  /** No longer active: its entry in DigitalOcean's history says how it ended. */
  private async watchEnded(
    run: GcRun,
    doUuid: string,
    now: Date,
    report: TickReport,
    options: CallOptions,
  ) {
    const { store, client } = this.ctx;
    const history = await client.listGarbageCollections(run.registryName, {
      ...options,
      limit: 20,
    });
    const final = history.find(gc => gc.uuid === doUuid);
    if (!final) {
      await store.updateRun(run, {
        status: RUN_STATUS.failed,
        reason: 'DigitalOcean no longer reports this garbage collection',
        finishedAt: now,
      });
      return;
    }
    if (!isTerminalGcStatus(final.status)) {
      await store.updateRun(run, { status: final.status ?? run.status });
      return;
    }
    await this.finish(run, final, now, options);
    report.finished.push(run.registryName);
  }

  /** A registry DigitalOcean no longer has closes its runs; any other error waits for a later tick. */
  private async stepFailed(
    run: GcRun,
    error: unknown,
    now: Date,
    report: TickReport,
    options: CallOptions,
  ) {
    if (isRegistryGone(error)) {
      await this.registryGone(
        [run.registryName],
        `DigitalOcean answered 404 for the registry: ${toError(error).message}`,
        now,
        report,
      );
      return;
    }
    if (options.signal?.aborted) throw error;
    report.errors.push(`${run.registryName}: ${toError(error).message}`);
    this.ctx.logger.warn(
      `Could not follow garbage collection run ${run.id} of ${run.registryName}: ${error}`,
    );
  }

  /**
   * The registries are gone from DigitalOcean: their runs in flight are closed with the reason,
   * and their stored policies kept but marked orphaned, so no tick spends a call on them.
   */
  async registryGone(
    registryNames: string[],
    reason: string,
    now: Date,
    report?: TickReport,
  ) {
    const { store, logger } = this.ctx;
    if (!registryNames.length) return;
    const gone = new Set(registryNames);
    for (const run of await store.runsInFlight()) {
      if (!gone.has(run.registryName)) continue;
      await store.updateRun(run, {
        status: RUN_STATUS.failed,
        reason: `Registry no longer exists in DigitalOcean (${reason})`,
        finishedAt: now,
      });
    }
    const marked = await store.markOrphaned(registryNames, reason, now);
    for (const name of marked) {
      report?.orphaned.push(name);
      logger.warn(
        `Registry ${name} is gone from DigitalOcean (${reason}); its GC policy is kept but orphaned`,
      );
    }
  }

  /** Imports collections DigitalOcean knows and we do not (started from the console or doctl). */
  importExternalRuns(
    registryName: string,
    options: CallOptions & { notAnswering?: number } = {},
  ): Promise<number> {
    return this.external.importExternalRuns(registryName, options);
  }

  /** Adopts DigitalOcean's collection into our unanswered start, or records it as external. */
  recordExternal(
    registryName: string,
    gc: GarbageCollection,
    notAnswering?: number,
  ) {
    return this.external.recordExternal(registryName, gc, notAnswering);
  }

  private async shouldCancelAtWindowEnd(
    run: GcRun,
    now: Date,
  ): Promise<boolean> {
    if (run.trigger !== 'window' || !run.windowEnd || run.cancelRequestedAt)
      return false;
    if (now.getTime() < run.windowEnd.getTime()) return false;
    return (await this.ctx.policies.resolve(run.registryName)).policy
      .cancelAtWindowEnd;
  }

  private async finish(
    run: GcRun,
    final: GarbageCollection,
    now: Date,
    options: CallOptions,
  ) {
    const { store, client } = this.ctx;
    const registry = await client.findRegistry(run.registryName, options);
    const finishedAt = final.updated_at ? new Date(final.updated_at) : now;
    // DigitalOcean updates storage asynchronously: until it has, the figure is the one before.
    const storageAfter =
      registry && storageUpdatedSince(registry, finishedAt)
        ? registry.storage_usage_bytes
        : undefined;
    const fingerprint =
      final.status === RUN_STATUS.succeeded && registry
        ? contentFingerprint(
            await client.listRepositories(run.registryName, options),
          )
        : undefined;
    await store.updateRun(run, {
      status: final.status,
      blobsDeleted: final.blobs_deleted,
      freedBytes: final.freed_bytes,
      storageAfter,
      contentFingerprint: fingerprint,
      finishedAt,
    });
    if (storageAfter !== undefined) {
      await this.recordSample(run.registryName, storageAfter, now);
    }
  }

  /**
   * Records the storage after a collection once DigitalOcean has updated it (a later tick than
   * the one that saw the collection end, when DigitalOcean lags): the run's figure and a sample.
   */
  async recordStorageAfter(run: GcRun, now: Date, options: CallOptions) {
    const registry = await this.ctx.client.findRegistry(
      run.registryName,
      options,
    );
    if (!registry || !run.finishedAt) return;
    if (!storageUpdatedSince(registry, run.finishedAt)) return;
    const storageAfter = registry.storage_usage_bytes ?? 0;
    await this.ctx.store.updateRun(run, { storageAfter });
    await this.recordSample(run.registryName, storageAfter, now);
  }

  private async recordSample(
    registryName: string,
    storageBytes: number,
    now: Date,
  ) {
    await this.ctx.store.insertSamples([
      { registryName, storageBytes, sampledAt: now },
    ]);
  }

  /**
   * A run whose start request got no answer (the backend stopped, or the connection broke). If
   * DigitalOcean has a collection that could be the answer, that is ours; otherwise it never
   * started. Either way no second collection is started for the occurrence.
   */
  private async resolveUnconfirmedStart(
    run: GcRun,
    now: Date,
    options: CallOptions,
  ) {
    const { store, client } = this.ctx;
    if (now.getTime() - run.createdAt.getTime() < UNCONFIRMED_START_GRACE_MS)
      return;
    const active = await client.getActiveGarbageCollection(
      run.registryName,
      options,
    );
    const candidates = active
      ? [active]
      : await client.listGarbageCollections(run.registryName, {
          ...options,
          limit: 5,
        });
    for (const gc of candidates) {
      if (
        gc.uuid &&
        couldAnswer(gc, run) &&
        !(await store.runByUuid(gc.uuid))
      ) {
        await store.updateRun(run, {
          doUuid: gc.uuid,
          status: gc.status ?? RUN_STATUS.requested,
          startedAt: gc.created_at ? new Date(gc.created_at) : run.createdAt,
        });
        return;
      }
    }
    if (run.status === RUN_STATUS.starting) {
      await store.updateRun(run, {
        status: RUN_STATUS.failed,
        reason:
          run.reason ??
          'DigitalOcean has no record of this garbage collection starting',
        finishedAt: now,
      });
    }
  }
}

/** Whether the run's window has ended by `now` (a run without a window never ends this way). */
function windowEnded(run: GcRun, now: Date): boolean {
  return !!run.windowEnd && now.getTime() >= run.windowEnd.getTime();
}

/**
 * Whether DigitalOcean's storage figure is from `at` or later (both times on DigitalOcean's
 * clock); a registry without an update time is taken as it is.
 */
function storageUpdatedSince(registry: Registry, at: Date): boolean {
  const updatedAt = registry.storage_usage_bytes_updated_at;
  return !updatedAt || Date.parse(updatedAt) >= at.getTime();
}
