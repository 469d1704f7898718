import { createApiRef } from '@backstage/core-plugin-api';
import type {
  GcRunPageView,
  GcRunView,
  RegistryDetailView,
  StorageSampleView,
} from '@backstage-docr/plugin-docr-common';

/** The docr backend, as the entity pages use it. */
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
}

export const docrApiRef = createApiRef<DocrApi>({ id: 'plugin.docr.api' });
