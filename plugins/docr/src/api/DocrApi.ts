import { createApiRef } from '@backstage/core-plugin-api';
import type {
  GcRunPageView,
  GcRunView,
  ListingQuery,
  RegistryDetailView,
  RegistryNameCheckView,
  RetentionPreviewView,
  RepositoryPageView,
  RepositoryTagPageView,
  StorageSampleView,
} from '@backstage-docr/plugin-docr-common';

/**
 * The docr backend, as the entity pages use it.
 *
 * @public
 */
export interface DocrApi {
  /** The registry with its account's storage; never makes the backend call DigitalOcean. */
  getRegistry(name: string): Promise<RegistryDetailView>;
  listRuns(
    name: string,
    page: { limit: number; offset: number },
  ): Promise<GcRunPageView>;
  getStorage(name: string, days?: number): Promise<StorageSampleView[]>;
  startGc(name: string): Promise<GcRunView>;
  cancelRun(name: string, runId: number): Promise<GcRunView>;
  /** The registry's repositories by name; a 503 while the backend lists them from DigitalOcean. */
  listRepositories(
    name: string,
    query?: ListingQuery,
  ): Promise<RepositoryPageView>;
  /** What the registry's retention rules would delete now; a 503 while the backend lists it. */
  getRetentionPreview(name: string): Promise<RetentionPreviewView>;
  /** Whether DigitalOcean would let the account take this registry name (answers reused a minute). */
  checkRegistryName(name: string): Promise<RegistryNameCheckView>;
  /** The repository's tags, newest first; a 503 while the backend lists them. */
  listTags(
    name: string,
    repository: string,
    query?: ListingQuery,
  ): Promise<RepositoryTagPageView>;
}

/** @public */
export const docrApiRef = createApiRef<DocrApi>({ id: 'plugin.docr.api' });
