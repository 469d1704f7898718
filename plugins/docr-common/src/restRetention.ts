/** The retention part of the docr backend's REST API (`/api/docr`). */

import type { GcPolicySource } from './gcPolicy';
import type { RetentionRule } from './retention';
import type { RetentionReason } from './retentionSelection';

/**
 * A tag in the retention preview, with why it is deleted or kept.
 *
 * @public
 */
export interface RetentionTagPreviewView {
  tag: string;
  digest: string;
  updatedAt: string;
  compressedSizeBytes: number;
  reasons: RetentionReason[];
  /** The reasons in words, for people. */
  reason: string;
}

/**
 * An untagged manifest a rule's `untaggedManifestsOlderThan` selects.
 *
 * @public
 */
export interface RetentionManifestPreviewView {
  digest: string;
  updatedAt: string;
  compressedSizeBytes: number;
  /** The index of the rule that selects it. */
  rule: number;
}

/**
 * One repository of the retention preview; tags newest first.
 *
 * @public
 */
export interface RetentionRepositoryPreviewView {
  name: string;
  delete: RetentionTagPreviewView[];
  keep: RetentionTagPreviewView[];
  untaggedManifestsToDelete: RetentionManifestPreviewView[];
  /** The bytes of the blobs freed that only this repository's deleted manifests reference. */
  estimatedFreedBytes: number;
}

/**
 * `GET /registries/:name/retention/preview`: what the registry's retention rules would delete
 * now, from the listings the docr API holds; nothing is deleted.
 *
 * @public
 */
export interface RetentionPreviewView {
  registry: string;
  /** Where the rules come from: the policy's source (config, then API, then default). */
  source: GcPolicySource;
  rules: RetentionRule[];
  /** Why the stored policy cannot be used; its rules are then none. */
  problem?: string;
  /** The time the rules were applied at. */
  evaluatedAt: string;
  /** When the oldest of the listings the preview was made from was listed. */
  fetchedAt: string;
  repositories: RetentionRepositoryPreviewView[];
  tagsToDelete: number;
  tagsToKeep: number;
  /**
   * The compressed bytes of the blobs (layers) that only manifests the preview deletes reference:
   * manifests whose every tag is deleted and the untagged manifests selected. A blob any other
   * manifest of the registry references is not counted, so a garbage collection after the
   * deletions frees at least this much (plus the manifest documents).
   */
  estimatedFreedBytes: number;
}
