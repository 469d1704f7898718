import type { GcPolicy, GcPolicySource } from './gcPolicy';
import type { GcRunStatus } from './gcStatus';

/**
 * The REST API of the docr backend (`/api/docr`), shared by the backend and the frontend.
 *
 * @public
 */

export interface GcRunView {
  id: number;
  registryName: string;
  /** window: started in a GC window; manual: "run GC now"; external: console or doctl. */
  trigger: 'window' | 'manual' | 'external';
  type: string | null;
  doUuid: string | null;
  /** DigitalOcean's status (an open string), or one of the portal's own (`RUN_STATUS`). */
  status: GcRunStatus;
  statuses: GcRunStatus[];
  blobsDeleted: number | null;
  freedBytes: number | null;
  storageBefore: number | null;
  storageAfter: number | null;
  requestedBy: string | null;
  reason: string | null;
  windowEnd: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

/** @public */
export interface WindowView {
  start: string;
  end: string;
  timezone: string;
}

/** @public */
export interface RegistrySummaryView {
  name: string;
  storageBytes: number | null;
  storageSampledAt: string | null;
  policy: GcPolicy;
  policySource: GcPolicySource;
  managedByConfig: boolean;
  /** Set while DigitalOcean no longer has the registry: its stored policy is kept, not acted on. */
  orphaned?: { since: string; reason: string } | null;
  openWindow: WindowView | null;
  nextWindow: WindowView | null;
  activeRun: GcRunView | null;
  lastRun: GcRunView | null;
}

/**
 * `POST /registry-names/check`: whether DigitalOcean would let this account take the name.
 *
 * @public
 */
export interface RegistryNameCheckView {
  name: string;
  /** Names are unique across DigitalOcean: false when any account has it. */
  available: boolean;
  /** When DigitalOcean answered (answers are reused for a minute). */
  checkedAt: string;
}

/**
 * The account's storage, over all its registries: what the subscription's limits apply to.
 *
 * @public
 */
export interface AccountStorageView {
  /** Registries in the newest listing of the account. */
  registryCount: number;
  /** The sum of each registry's newest sample. */
  storageBytes: number;
  /** The oldest of those samples: the sum is at least as new as this. */
  sampledAt: string | null;
}

/**
 * One registry, as `GET /registries/:name` answers: with its account's storage.
 *
 * @public
 */
export interface RegistryDetailView extends RegistrySummaryView {
  account: AccountStorageView;
}

/** @public */
export interface GcRunPageView {
  items: GcRunView[];
  totalCount: number;
  limit: number;
  offset: number;
}

/** @public */
export interface StorageSampleView {
  storageBytes: number;
  sampledAt: string;
}
