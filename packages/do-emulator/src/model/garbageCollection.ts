import { randomUUID } from 'node:crypto';
import type { GarbageCollectionType } from '@backstage-docr/digitalocean-openapi';
import { ApiError } from './errors';
import type { CollectionResult } from './registryStorage';

/**
 * The statuses a garbage collection walks through, in order, before it succeeds. Each one lasts
 * `stepMs`. DigitalOcean reports more statuses than its spec lists (e.g. "waiting for delete
 * requests"); clients must treat status as an open string.
 */
export const GC_PROGRESS = [
  'requested',
  'waiting for write JWTs to expire',
  'scanning manifests',
  'deleting unreferenced blobs',
] as const;

export const TERMINAL_GC_STATUSES = [
  'succeeded',
  'failed',
  'cancelled',
] as const;

export interface GcRun {
  uuid: string;
  registryName: string;
  /** Undefined when started without a type: DigitalOcean then collects unreferenced blobs only. */
  type?: GarbageCollectionType;
  createdAt: number;
  updatedAt: number;
  status: string;
  cancelRequestedAt?: number;
  /** Fault injection: end as `failed` instead of `succeeded`. */
  fails: boolean;
  blobsDeleted: number;
  freedBytes: number;
}

export function newGcRun(
  registryName: string,
  type: GarbageCollectionType | undefined,
  now: number,
  fails: boolean,
): GcRun {
  return {
    uuid: randomUUID(),
    registryName,
    type,
    createdAt: now,
    updatedAt: now,
    status: 'requested',
    fails,
    blobsDeleted: 0,
    freedBytes: 0,
  };
}

export function isTerminal(status: string): boolean {
  return (TERMINAL_GC_STATUSES as readonly string[]).includes(status);
}

export function collectionScope(type: GarbageCollectionType | undefined) {
  return {
    untaggedManifests:
      type === 'untagged manifests only' ||
      type === 'untagged manifests and unreferenced blobs',
    unreferencedBlobs: type !== 'untagged manifests only',
  };
}

/**
 * Moves a run forward to where it is at `now`. When it reaches a terminal status, `collect` is
 * called once (on success) to remove what the run's type covers.
 */
export function advanceGcRun(
  run: GcRun,
  now: number,
  stepMs: number,
  collect: () => CollectionResult,
): void {
  if (isTerminal(run.status)) return;
  if (run.cancelRequestedAt !== undefined) {
    const cancelledAt = run.cancelRequestedAt + stepMs;
    if (now >= cancelledAt) {
      run.status = 'cancelled';
      run.updatedAt = cancelledAt;
    }
    return;
  }
  const step = Math.floor((now - run.createdAt) / stepMs);
  if (step < GC_PROGRESS.length) {
    if (run.status !== GC_PROGRESS[step]) {
      run.status = GC_PROGRESS[step];
      run.updatedAt = run.createdAt + step * stepMs;
    }
    return;
  }
  run.updatedAt = run.createdAt + GC_PROGRESS.length * stepMs;
  if (run.fails) {
    run.status = 'failed';
    return;
  }
  const result = collect();
  run.blobsDeleted = result.blobsDeleted;
  run.freedBytes = result.freedBytes;
  run.status = 'succeeded';
}

/**
 * Asks a run to stop: it is `cancelling` from now and `cancelled` one step later. A second request
 * changes nothing; a run that has ended gets 412.
 */
export function requestGcCancel(run: GcRun, now: () => number): void {
  if (isTerminal(run.status)) {
    throw new ApiError(
      412,
      'precondition_failed',
      `Garbage collection ${run.uuid} has already ended (${run.status})`,
    );
  }
  if (run.cancelRequestedAt === undefined) {
    run.cancelRequestedAt = now();
    run.status = 'cancelling';
    run.updatedAt = run.cancelRequestedAt;
  }
}
