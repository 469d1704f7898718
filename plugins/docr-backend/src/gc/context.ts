import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  DigitalOceanApiError,
  DigitalOceanClient,
  isNotFoundError,
} from '@backstage-docr/plugin-docr-node';
import type { DocrBackendConfig } from '../config';
import type { DocrStore } from '../database/DocrStore';
import type { PolicyResolver } from '../PolicyResolver';
import type { RetentionRunner } from '../retention/RetentionRunner';
import type { ManifestsInUseGuard } from './ManifestsInUseGuard';

/** What every part of the garbage collector works with. */
export interface GcContext {
  store: DocrStore;
  policies: PolicyResolver;
  client: DigitalOceanClient;
  config: DocrBackendConfig;
  now: () => Date;
  logger: LoggerService;
  /** Deletes what the retention rules select, in the window, before the GC (one per account). */
  retention?: RetentionRunner;
  /** Narrows a window's GC that would delete a manifest in use (when retention did not plan). */
  manifestsInUse?: Pick<ManifestsInUseGuard, 'safeType'>;
  auditor?: AuditorService;
}

export interface TickReport {
  sampled: boolean;
  started: string[];
  skipped: string[];
  finished: string[];
  cancelling: string[];
  /** Registries whose window run deleted tags this tick (their GC starts once that is done). */
  deletingTags: string[];
  /** Registries found missing in DigitalOcean this tick (their policies are now orphaned). */
  orphaned: string[];
  /** One line per registry that could not be looked after this tick; the others still were. */
  errors: string[];
  /** The scheduler asked the tick to stop; it stopped between two registries. */
  aborted?: boolean;
}

export const emptyReport = (): TickReport => ({
  sampled: false,
  started: [],
  skipped: [],
  finished: [],
  cancelling: [],
  deletingTags: [],
  orphaned: [],
  errors: [],
});

/**
 * How far apart DigitalOcean's clock and ours may be when a collection DigitalOcean reports is
 * matched to a start of ours that got no answer. Timestamps from two clocks are never compared
 * more tightly than this.
 */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/**
 * How long a start may go unanswered before it is looked into: long enough for the replica that
 * claimed it to get DigitalOcean's answer (request timeout and retries included).
 */
export const UNCONFIRMED_START_GRACE_MS = 5 * 60_000;

/** DigitalOcean says the registry does not exist (any more). */
export function isRegistryGone(error: unknown): boolean {
  return isNotFoundError(error);
}

/** DigitalOcean refused before acting: rate limited. Nothing was started. */
export function isRateLimited(error: unknown): boolean {
  return error instanceof DigitalOceanApiError && error.status === 429;
}
