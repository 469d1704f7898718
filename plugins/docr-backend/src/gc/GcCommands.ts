import { ConflictError, NotFoundError, toError } from '@backstage/errors';
import {
  GcType,
  RUN_STATUS,
  isFinalRunStatus,
} from '@backstage-docr/plugin-docr-common';
import { isConflictError } from '@backstage-docr/plugin-docr-node';
import { GcRun } from '../database/DocrStore';
import { GcContext, isRegistryGone } from './context';
import type { RunReconciler } from './RunReconciler';
import { auditRetention } from './RetentionPhase';

/** What the API asks of the garbage collector: run now, cancel. */
export class GcCommands {
  constructor(
    private readonly ctx: GcContext,
    private readonly runs: RunReconciler,
  ) {}

  /**
   * Starts a collection now, outside any window (the "run GC now" button), narrowed to
   * unreferenced blobs when it would delete a manifest in use (`ManifestsInUseGuard`).
   */
  async startNow(
    registryName: string,
    options: { type?: GcType; requestedBy: string },
  ): Promise<GcRun> {
    const { store, client } = this.ctx;
    const registry = await client.findRegistry(registryName);
    if (!registry) {
      await this.runs.registryGone(
        [registryName],
        'DigitalOcean answered 404 for the registry',
        this.ctx.now(),
      );
      throw new NotFoundError(
        `No registry named "${registryName}" in the DigitalOcean account`,
      );
    }
    const inFlight = (await store.runsInFlight()).find(
      r => r.registryName === registryName,
    );
    if (inFlight) {
      throw new ConflictError(
        `A garbage collection of "${registryName}" is already ${inFlight.status} (run ${inFlight.id})`,
      );
    }
    const active = await client.getActiveGarbageCollection(registryName);
    if (active) {
      await this.runs.recordExternal(registryName, active);
      throw new ConflictError(
        `DigitalOcean is already running garbage collection ${active.uuid} on "${registryName}" (${active.status})`,
      );
    }
    const now = this.ctx.now();
    const { policy } = await this.ctx.policies.resolve(registryName);
    // Asked by hand too, a GC never deletes a manifest that runs.
    const asked = options.type ?? policy.type;
    const { type, narrowed } = this.ctx.manifestsInUse
      ? await this.ctx.manifestsInUse.safeType(registryName, policy, asked)
      : { type: asked, narrowed: undefined };
    const run = (await store.claimRun({
      registryName,
      trigger: 'manual',
      type,
      storageBefore: registry.storage_usage_bytes,
      requestedBy: options.requestedBy,
      now,
    }))!;
    try {
      const gc = await client.startGarbageCollection(registryName, type);
      return store.updateRun(run, {
        doUuid: gc.uuid,
        status: gc.status ?? RUN_STATUS.requested,
        startedAt: now,
        ...(narrowed
          ? {
              reason: `${asked} was asked; the GC frees unreferenced blobs only: ${narrowed}`,
            }
          : {}),
      });
    } catch (error) {
      throw await this.startFailed(run, error, now);
    }
  }

  /** Records why a start by hand failed; the error for the API (409, 404 or as it was). */
  private async startFailed(
    run: GcRun,
    error: unknown,
    now: Date,
  ): Promise<unknown> {
    const { store } = this.ctx;
    const { registryName } = run;
    if (isConflictError(error)) {
      await store.updateRun(run, {
        status: RUN_STATUS.skipped,
        reason: toError(error).message,
        finishedAt: now,
      });
      return new ConflictError(
        `DigitalOcean refused: ${toError(error).message}`,
      );
    }
    if (isRegistryGone(error)) {
      await this.runs.registryGone(
        [registryName],
        `DigitalOcean answered 404 for the registry: ${toError(error).message}`,
        now,
      );
      return new NotFoundError(
        `No registry named "${registryName}" in the DigitalOcean account`,
      );
    }
    // Whether it started is unknown: the next tick looks for it before giving up on it.
    await store.updateRun(run, {
      reason: `Start request failed: ${toError(error).message}`,
    });
    return error;
  }

  async cancel(
    registryName: string,
    runId: number,
    cancelledBy: string,
  ): Promise<GcRun> {
    const { store, client } = this.ctx;
    const run = await store.runById(runId);
    if (!run || run.registryName !== registryName) {
      throw new NotFoundError(
        `No garbage collection run ${runId} for registry "${registryName}"`,
      );
    }
    if (isFinalRunStatus(run.status)) {
      throw new ConflictError(`Run ${runId} has already ended (${run.status})`);
    }
    if (run.status === RUN_STATUS.deletingTags) {
      // No GC yet: the deletions stop (the task looks every few seconds) and no GC starts.
      const cancelled = await store.updateRunIf(run, {
        status: RUN_STATUS.cancelled,
        reason: `Cancelled by ${cancelledBy} while deleting tags, before its garbage collection`,
        cancelRequestedAt: this.ctx.now(),
        finishedAt: this.ctx.now(),
      });
      if (!cancelled)
        throw new ConflictError(
          `Run ${runId} changed meanwhile; look at it again`,
        );
      await auditRetention(this.ctx, cancelled, `cancelled by ${cancelledBy}`);
      return cancelled;
    }
    if (!run.doUuid)
      throw new ConflictError(
        `Run ${runId} has not been started by DigitalOcean yet`,
      );
    const gc = await client.cancelGarbageCollection(registryName, run.doUuid);
    return store.updateRun(run, {
      status: gc.status ?? RUN_STATUS.cancelling,
      cancelRequestedAt: this.ctx.now(),
      reason: `Cancelled by ${cancelledBy}`,
    });
  }
}
