import { createApiRef } from '@backstage/core-plugin-api';
import type {
  GcPolicyInput,
  PolicyView,
  GcRunPageView,
  GcRunView,
  ListingQuery,
  RegistryDetailView,
  RegistryNameCheckView,
  RetentionPreviewView,
  RepositoryPageView,
  RepositoryTagPageView,
  SavingsView,
  StorageSampleView,
} from '@backstage-docr/plugin-docr-common';
import type { DocrRegistryRef } from './registryRef';

/**
 * A page of the retention preview: repositories to skip and to show, and the preview's version.
 *
 * @public
 */
export interface RetentionPreviewPage {
  /** Repositories to skip (default 0). */
  offset?: number;
  /** Repositories in the page (default 20, at most 100). */
  limit?: number;
  /** The first page's `version`, so this page comes from the same preview. */
  version?: string;
}

/**
 * Whose savings: one registry, or the account's registries the caller may read (the default
 * account when `account` is absent).
 *
 * @public
 */
export interface SavingsSubject {
  account?: string;
  registry?: string;
}

/**
 * Which months of savings: how many (this one included, default 12) and the time zone of their
 * boundaries (the backend's `docr.savings.timezone` when absent).
 *
 * @public
 */
export interface SavingsQuery {
  months?: number;
  timezone?: string;
}

/**
 * The docr backend, as the entity pages use it.
 *
 * @public
 */
export interface DocrApi {
  /** The registry with its account's storage; never makes the backend call DigitalOcean. */
  getRegistry(registry: DocrRegistryRef): Promise<RegistryDetailView>;
  listRuns(
    registry: DocrRegistryRef,
    page: { limit: number; offset: number },
  ): Promise<GcRunPageView>;
  getStorage(
    registry: DocrRegistryRef,
    days?: number,
  ): Promise<StorageSampleView[]>;
  /** What garbage collection and retention saved, month by month; never calls DigitalOcean. */
  getSavings(
    subject: SavingsSubject,
    query?: SavingsQuery,
  ): Promise<SavingsView>;
  /** The same months as CSV, one line a month, for a download. */
  getSavingsCsv(subject: SavingsSubject, query?: SavingsQuery): Promise<string>;
  startGc(registry: DocrRegistryRef): Promise<GcRunView>;
  cancelRun(registry: DocrRegistryRef, runId: number): Promise<GcRunView>;
  /** The registry's repositories by name; a 503 while the backend lists them from DigitalOcean. */
  listRepositories(
    registry: DocrRegistryRef,
    query?: ListingQuery,
  ): Promise<RepositoryPageView>;
  /** The registry's effective GC policy (retention rules included) and where it comes from. */
  getPolicy(registry: DocrRegistryRef): Promise<PolicyView>;
  /**
   * Stores the registry's GC policy (needs docr.policy.update on its entity; 409 when app-config
   * manages it, 400 naming the field when it is not valid).
   */
  putPolicy(
    registry: DocrRegistryRef,
    policy: GcPolicyInput,
  ): Promise<PolicyView>;
  /**
   * What the registry's retention rules would delete now, a page of repositories at a time (the
   * totals are the whole registry's); a 503 while the backend lists it. Pass the first page's
   * `version` for the next pages: they then come from the same preview (409 once it is gone).
   */
  getRetentionPreview(
    registry: DocrRegistryRef,
    page?: RetentionPreviewPage,
  ): Promise<RetentionPreviewView>;
  /**
   * Whether DigitalOcean would let the account (the default one when absent) take this registry
   * name (answers reused a minute).
   */
  checkRegistryName(
    name: string,
    account?: string,
  ): Promise<RegistryNameCheckView>;
  /** The repository's tags, newest first; a 503 while the backend lists them. */
  listTags(
    registry: DocrRegistryRef,
    repository: string,
    query?: ListingQuery,
  ): Promise<RepositoryTagPageView>;
}

/** @public */
export const docrApiRef = createApiRef<DocrApi>({ id: 'plugin.docr.api' });
