/**
 * Statuses of a garbage collection, DigitalOcean's and the portal's own, in one place.
 *
 * DigitalOcean's statuses run `requested` → `waiting for write JWTs to expire` → `scanning
 * manifests` → `deleting unreferenced blobs` → `succeeded` | `failed` | `cancelling` →
 * `cancelled`. The set is open: DigitalOcean may add statuses, so anything not known to be
 * terminal counts as still running.
 */

/** DigitalOcean's statuses known today; others may appear. @public */
export const DO_GC_STATUSES = [
  'requested',
  'waiting for write JWTs to expire',
  'scanning manifests',
  'deleting unreferenced blobs',
  'cancelling',
  'succeeded',
  'failed',
  'cancelled',
] as const;

/** The statuses in which DigitalOcean's collection has ended. @public */
export const DO_TERMINAL_GC_STATUSES: readonly string[] = [
  'succeeded',
  'failed',
  'cancelled',
];

/**
 * A run's statuses by name: the portal's own, before or instead of DigitalOcean's, and those of
 * DigitalOcean's that the portal sets or tests itself. @public
 */
export const RUN_STATUS = {
  /** DigitalOcean accepted the start request (its first status). */
  requested: 'requested',
  /** A cancel was requested; DigitalOcean's collection still runs until `cancelled`. */
  cancelling: 'cancelling',
  /** DigitalOcean's collection ended and freed what it could. */
  succeeded: 'succeeded',
  /** DigitalOcean's collection failed, or the portal closed a run that cannot end otherwise. */
  failed: 'failed',
  /** DigitalOcean's collection ended by a cancel. */
  cancelled: 'cancelled',
  /** Claimed, and the start request sent or about to be: DigitalOcean has not answered yet. */
  starting: 'starting',
  /**
   * A window run whose start failed before the start request was sent (e.g. a 5xx on the checks
   * before it): nothing started, so a later tick may claim it again while the window is open.
   */
  waitingToRetry: 'waiting to retry',
  /**
   * A window run deleting the tags its retention rules select, over as many ticks as it takes;
   * its garbage collection starts after (the registry stays writable meanwhile).
   */
  deletingTags: 'deleting tags',
  /** Decided not to start (nothing to collect, another GC running, too little window left). */
  skipped: 'skipped',
} as const;

/** A run's status: one of DigitalOcean's (an open string) or the portal's own. @public */
export type GcRunStatus =
  | (typeof DO_GC_STATUSES)[number]
  | (typeof RUN_STATUS)[keyof typeof RUN_STATUS]
  | (string & {});

/** Statuses after which a run needs no more watching; every other status is in flight. @public */
export const FINAL_RUN_STATUSES: readonly string[] = [
  ...DO_TERMINAL_GC_STATUSES,
  RUN_STATUS.skipped,
];

/** Whether DigitalOcean's collection has ended (`undefined`: unknown, so not ended). @public */
export function isTerminalGcStatus(status: string | undefined): boolean {
  return status !== undefined && DO_TERMINAL_GC_STATUSES.includes(status);
}

/** Whether a run of the portal's history needs no more watching. @public */
export function isFinalRunStatus(status: string): boolean {
  return FINAL_RUN_STATUSES.includes(status);
}
