import type { GcPolicy } from '@backstage-docr/plugin-docr-common';

/** A policy stored through the API; `problem` when the stored row no longer validates. */
export interface StoredPolicy {
  policy: GcPolicy;
  updatedBy: string;
  updatedAt: Date;
  /** Set while DigitalOcean has no registry of that name; the GC task skips it. */
  orphaned?: { since: Date; reason: string };
  /** Why the stored policy cannot be used (it fails validation). */
  problem?: string;
}

/** One account's GC policies stored through the API, and their orphan marks. */
export interface PolicyStore {
  allStoredPolicies(): Promise<Map<string, StoredPolicy>>;
  allStoredPolicyNames(): Promise<string[]>;
  getStoredPolicy(registryName: string): Promise<StoredPolicy | undefined>;
  /** Marks the stored policies of registries DigitalOcean no longer has; returns those newly marked. */
  markOrphaned(
    registryNames: string[],
    reason: string,
    now: Date,
  ): Promise<string[]>;
  /** Clears the mark of registries DigitalOcean has again; returns those cleared. */
  clearOrphaned(registryNames: string[]): Promise<string[]>;
  /** Stores the registry's policy (replacing any), not orphaned. */
  putStoredPolicy(
    registryName: string,
    policy: GcPolicy,
    updatedBy: string,
    now: Date,
  ): Promise<void>;
}
