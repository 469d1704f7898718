import type { GcRun } from './garbageCollection';
import { RegistryStorage } from './registryStorage';

/** One registry of an account: its content, its garbage collections, its reported storage. */
export interface RegistryState {
  name: string;
  region: string;
  createdAt: number;
  storage: RegistryStorage;
  /** When the registry's content last changed (a push, a collection). */
  storageUpdatedAt: number;
  /** What DigitalOcean reported when the content last changed: it keeps reporting it for the lag. */
  reportedBeforeChange: ReportedStorage;
  /** Newest first. */
  gcRuns: GcRun[];
}

/** `storage_usage_bytes` and its `_updated_at`, as DigitalOcean reports them. */
export interface ReportedStorage {
  bytes: number;
  updatedAt: number;
}

/** An empty registry created at `now`. */
export function newRegistry(
  name: string,
  region: string,
  now: number,
): RegistryState {
  return {
    name,
    region,
    createdAt: now,
    storage: new RegistryStorage(),
    storageUpdatedAt: now,
    reportedBeforeChange: { bytes: 0, updatedAt: now },
    gcRuns: [],
  };
}

/**
 * The registry's storage as DigitalOcean reports it at `at`: the content's size once `lagMs` has
 * passed since it last changed, the figure reported before that change until then.
 */
export function reportedStorage(
  registry: RegistryState,
  at: number,
  lagMs: number,
): ReportedStorage {
  if (at - registry.storageUpdatedAt >= lagMs) {
    return {
      bytes: registry.storage.storageBytes(),
      updatedAt: registry.storageUpdatedAt + lagMs,
    };
  }
  return registry.reportedBeforeChange;
}

/** Takes the registry's current content as what DigitalOcean reports (a seed's history). */
export function markStorageReported(registry: RegistryState): void {
  registry.reportedBeforeChange = {
    bytes: registry.storage.storageBytes(),
    updatedAt: registry.storageUpdatedAt,
  };
}

/** Records that the content changes at `at`, keeping what was reported until then for the lag. */
export function recordStorageChange(
  registry: RegistryState,
  at: number,
  lagMs: number,
): void {
  registry.reportedBeforeChange = reportedStorage(registry, at, lagMs);
  registry.storageUpdatedAt = at;
}
