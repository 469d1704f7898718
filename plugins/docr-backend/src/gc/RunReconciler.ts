import { createHash } from 'node:crypto';
import type {
  GarbageCollection,
  RepositoryV2,
} from '@backstage-docr/digitalocean-openapi';
import {
  RUN_STATUS,
  isTerminalGcStatus,
} from '@backstage-docr/plugin-docr-common';
import { GcRun } from '../database/DocrStore';
import {
  GcContext,
  MAX_CLOCK_SKEW_MS,
  TickReport,
  UNCONFIRMED_START_GRACE_MS,
  isRegistryGone,
  message,
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
  constructor(private readonly ctx: GcContext) {}

  /** Follows a run in flight one step: adopt, poll, cancel at window end, or record its end. */
  async watch(
    run: GcRun,
    now: Date,
    report: TickReport,
    options: CallOptions = {},
  ) {
    const { store, client, logger } = this.ctx;
    try {
      if (run.status === RUN_STATUS.waitingToRetry) {
        // Nothing was started; the window scheduler retries it while the window is open.
        if (run.windowEnd && now.getTime() >= run.windowEnd.getTime()) {
          await store.updateRun(run, {
            status: 'failed',
            reason: `${run.reason ?? 'Could not start'}; the window ended before a retry succeeded`,
            finishedAt: now,
          });
        }
        return;
      }
      if (!run.doUuid) {
        await this.resolveUnconfirmedStart(run, now, options);
        return;
      }
      const active = await client.getActiveGarbageCollection(
        run.registryName,
        options,
      );
      if (active?.uuid === run.doUuid) {
        let current = await store.updateRun(run, {
          status: active.status ?? run.status,
        });
        if (await this.shouldCancelAtWindowEnd(current, now)) {
          const cancelled = await client.cancelGarbageCollection(
            run.registryName,
            run.doUuid,
            options,
          );
          current = await store.updateRun(current, {
            status: cancelled.status ?? 'cancelling',
            cancelRequestedAt: now,
            reason: `Cancelled at window end (${current.windowEnd!.toISOString()}) so the registry does not stay read-only`,
          });
          report.cancelling.push(run.registryName);
          logger.warn(
            `Cancelling garbage collection ${run.doUuid} of ${run.registryName}: its window has ended`,
          );
        }
        return;
      }
      const history = await client.listGarbageCollections(run.registryName, {
        ...options,
        limit: 20,
      });
      const final = history.find(gc => gc.uuid === run.doUuid);
      if (!final) {
        await store.updateRun(run, {
          status: 'failed',
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
    } catch (error) {
      if (isRegistryGone(error)) {
        await this.registryGone(
          [run.registryName],
          `DigitalOcean answered 404 for the registry: ${message(error)}`,
          now,
          report,
        );
        return;
      }
      if (options.signal?.aborted) throw error;
      report.errors.push(`${run.registryName}: ${message(error)}`);
      logger.warn(
        `Could not follow garbage collection run ${run.id} of ${run.registryName}: ${error}`,
      );
    }
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
        status: 'failed',
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
  async importExternalRuns(
    registryName: string,
    options: CallOptions & { notAnswering?: number } = {},
  ): Promise<number> {
    const history = await this.ctx.client.listGarbageCollections(registryName, {
      ...options,
      limit: 20,
    });
    const known = await this.ctx.store.knownUuids(registryName);
    // History older than the retention would be pruned right after; importing it again every
    // hour would churn the table forever.
    const keptSince = this.ctx.now().getTime() - this.ctx.config.runRetentionMs;
    let imported = 0;
    for (const gc of history) {
      if (
        gc.uuid &&
        !known.has(gc.uuid) &&
        !this.prunedAlready(gc, keptSince)
      ) {
        await this.recordExternal(registryName, gc, options.notAnswering);
        imported++;
      }
    }
    return imported;
  }

  private prunedAlready(gc: GarbageCollection, keptSince: number): boolean {
    if (!isTerminalGcStatus(gc.status) || !gc.created_at) {
      return false;
    }
    return Date.parse(gc.created_at) < keptSince;
  }

  /**
   * Records a collection DigitalOcean reports: if it answers one of our starts that got no
   * answer, it is adopted into that run; otherwise it was started outside the portal.
   */
  async recordExternal(
    registryName: string,
    gc: GarbageCollection,
    /** A run of ours whose start has not been sent yet: nothing can answer it. */
    notAnswering?: number,
  ) {
    const { store } = this.ctx;
    const existing = gc.uuid ? await store.runByUuid(gc.uuid) : undefined;
    if (existing) return existing;
    const unconfirmed = (await store.runsInFlight()).find(
      r =>
        r.registryName === registryName &&
        r.id !== notAnswering &&
        !r.doUuid &&
        r.status === RUN_STATUS.starting &&
        this.couldAnswer(gc, r),
    );
    if (unconfirmed) {
      return store.updateRun(unconfirmed, {
        doUuid: gc.uuid,
        status: gc.status ?? 'requested',
        startedAt: gc.created_at
          ? new Date(gc.created_at)
          : unconfirmed.createdAt,
      });
    }
    const run = await store.claimRun({
      registryName,
      trigger: 'external',
      doUuid: gc.uuid,
      status: gc.status ?? 'requested',
      now: gc.created_at ? new Date(gc.created_at) : this.ctx.now(),
    });
    if (run && isTerminalGcStatus(gc.status)) {
      return store.updateRun(run, {
        blobsDeleted: gc.blobs_deleted,
        freedBytes: gc.freed_bytes,
        finishedAt: gc.updated_at ? new Date(gc.updated_at) : undefined,
      });
    }
    return run;
  }

  /**
   * Whether DigitalOcean's collection may be the answer to our start: one still active is (only
   * one can be active, and we had asked for one), whatever the clocks say; a finished one when its
   * creation time, on DigitalOcean's clock, is within the allowed skew of our intent.
   */
  private couldAnswer(gc: GarbageCollection, run: GcRun): boolean {
    if (!isTerminalGcStatus(gc.status)) return true;
    if (!gc.created_at) return false;
    return (
      Math.abs(Date.parse(gc.created_at) - run.createdAt.getTime()) <=
      MAX_CLOCK_SKEW_MS
    );
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
    const storageAfter = registry?.storage_usage_bytes;
    const fingerprint =
      final.status === 'succeeded' && registry
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
      finishedAt: final.updated_at ? new Date(final.updated_at) : now,
    });
    if (storageAfter !== undefined) {
      await store.insertSamples([
        {
          registryName: run.registryName,
          storageBytes: storageAfter,
          sampledAt: now,
        },
      ]);
    }
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
        this.couldAnswer(gc, run) &&
        !(await store.runByUuid(gc.uuid))
      ) {
        await store.updateRun(run, {
          doUuid: gc.uuid,
          status: gc.status ?? 'requested',
          startedAt: gc.created_at ? new Date(gc.created_at) : run.createdAt,
        });
        return;
      }
    }
    if (run.status === RUN_STATUS.starting) {
      await store.updateRun(run, {
        status: 'failed',
        reason:
          run.reason ??
          'DigitalOcean has no record of this garbage collection starting',
        finishedAt: now,
      });
    }
  }
}
