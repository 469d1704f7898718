import type { GarbageCollection } from '@backstage-docr/digitalocean-openapi';
import {
  RUN_STATUS,
  isTerminalGcStatus,
} from '@backstage-docr/plugin-docr-common';
import type { GcRun } from '../database/DocrStore';
import { GcContext, MAX_CLOCK_SKEW_MS } from './context';

type CallOptions = { signal?: AbortSignal };

/**
 * Whether DigitalOcean's collection may be the answer to our start: one still active is (only
 * one can be active, and we had asked for one), whatever the clocks say; a finished one when its
 * creation time, on DigitalOcean's clock, is within the allowed skew of our intent.
 */
export function couldAnswer(gc: GarbageCollection, run: GcRun): boolean {
  if (!isTerminalGcStatus(gc.status)) return true;
  if (!gc.created_at) return false;
  return (
    Math.abs(Date.parse(gc.created_at) - run.createdAt.getTime()) <=
    MAX_CLOCK_SKEW_MS
  );
}

/**
 * Collections DigitalOcean reports that our history lacks: started from the console or doctl
 * (recorded as external), or the answer to one of our starts that got none (adopted into it).
 */
export class ExternalRuns {
  constructor(private readonly ctx: GcContext) {}

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
        couldAnswer(gc, r),
    );
    if (unconfirmed) {
      return store.updateRun(unconfirmed, {
        doUuid: gc.uuid,
        status: gc.status ?? RUN_STATUS.requested,
        startedAt: gc.created_at
          ? new Date(gc.created_at)
          : unconfirmed.createdAt,
      });
    }
    const run = await store.claimRun({
      registryName,
      trigger: 'external',
      doUuid: gc.uuid,
      status: gc.status ?? RUN_STATUS.requested,
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
}
