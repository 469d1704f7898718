import { FINAL_RUN_STATUSES } from '@backstage-docr/plugin-docr-common';
import { orUndefined, toDate, toNumber } from './rowValues';

export const FINAL_STATUSES = [...FINAL_RUN_STATUSES];

export type RunTrigger = 'window' | 'manual' | 'external';

export interface GcRun {
  id: number;
  registryName: string;
  trigger: RunTrigger;
  occurrenceKey?: string;
  type?: string;
  doUuid?: string;
  status: string;
  /** Every status seen, in order. */
  statuses: string[];
  blobsDeleted?: number;
  freedBytes?: number;
  storageBefore?: number;
  storageAfter?: number;
  requestedBy?: string;
  reason?: string;
  contentFingerprint?: string;
  windowEnd?: Date;
  createdAt: Date;
  startedAt?: Date;
  cancelRequestedAt?: Date;
  finishedAt?: Date;
}

export type RunRow = {
  id: number;
  account: string;
  registry_name: string;
  trigger: RunTrigger;
  occurrence_key: string | null;
  gc_type: string | null;
  do_uuid: string | null;
  status: string;
  statuses_json: string;
  blobs_deleted: number | string | null;
  freed_bytes: number | string | null;
  storage_before: number | string | null;
  storage_after: number | string | null;
  requested_by: string | null;
  reason: string | null;
  content_fingerprint: string | null;
  window_end: Date | string | number | null;
  created_at: Date | string | number;
  started_at: Date | string | number | null;
  cancel_requested_at: Date | string | number | null;
  finished_at: Date | string | number | null;
};

export function runFromRow(row: RunRow): GcRun {
  return {
    id: Number(row.id),
    registryName: row.registry_name,
    trigger: row.trigger,
    occurrenceKey: orUndefined(row.occurrence_key),
    type: orUndefined(row.gc_type),
    doUuid: orUndefined(row.do_uuid),
    status: row.status,
    statuses: JSON.parse(row.statuses_json),
    blobsDeleted: toNumber(row.blobs_deleted),
    freedBytes: toNumber(row.freed_bytes),
    storageBefore: toNumber(row.storage_before),
    storageAfter: toNumber(row.storage_after),
    requestedBy: orUndefined(row.requested_by),
    reason: orUndefined(row.reason),
    contentFingerprint: orUndefined(row.content_fingerprint),
    windowEnd: toDate(row.window_end),
    createdAt: toDate(row.created_at)!,
    startedAt: toDate(row.started_at),
    cancelRequestedAt: toDate(row.cancel_requested_at),
    finishedAt: toDate(row.finished_at),
  };
}

export type RunPatch = Partial<
  Pick<
    GcRun,
    | 'doUuid'
    | 'type'
    | 'status'
    | 'blobsDeleted'
    | 'freedBytes'
    | 'storageAfter'
    | 'reason'
    | 'contentFingerprint'
    | 'startedAt'
    | 'cancelRequestedAt'
    | 'finishedAt'
    | 'createdAt'
  >
>;

export const RUN_PATCH_COLUMNS: Record<keyof RunPatch, string> = {
  doUuid: 'do_uuid',
  type: 'gc_type',
  status: 'status',
  blobsDeleted: 'blobs_deleted',
  freedBytes: 'freed_bytes',
  storageAfter: 'storage_after',
  reason: 'reason',
  contentFingerprint: 'content_fingerprint',
  startedAt: 'started_at',
  cancelRequestedAt: 'cancel_requested_at',
  finishedAt: 'finished_at',
  createdAt: 'created_at',
};
