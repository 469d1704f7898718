import {
  RetentionPreviewView,
  RetentionRepositoryPreviewView,
  RetentionTagPreviewView,
  TagDecision,
  UNKNOWN_PUSH_TIME_REASON,
  describeRetentionReason,
} from '@backstage-docr/plugin-docr-common';
import type { EffectivePolicy } from '../policies';
import type { RegistryContents } from '../repositories/RepositoryCache';
import { ListedManifest, ListedTag, selectRetention } from './selection';

function presentDecision(
  decision: TagDecision<ListedTag>,
): RetentionTagPreviewView {
  const { listed } = decision.tag;
  return {
    tag: decision.tag.tag,
    digest: listed.manifest_digest ?? '',
    updatedAt: listed.updated_at ?? '',
    compressedSizeBytes: listed.compressed_size_bytes ?? 0,
    reasons: decision.reasons,
    reason: decision.reasons.map(describeRetentionReason).join('; '),
  };
}

/** The untagged manifests kept for an unknown push time, when there are any. */
function keptUndated(
  manifests: ListedManifest[],
): Pick<RetentionRepositoryPreviewView, 'untaggedManifestsKept'> {
  if (!manifests.length) return {};
  return {
    untaggedManifestsKept: manifests.map(({ digest, listed }) => ({
      digest,
      updatedAt: listed.updated_at ?? '',
      compressedSizeBytes: listed.compressed_size_bytes ?? 0,
      reason: UNKNOWN_PUSH_TIME_REASON,
    })),
  };
}

/**
 * What the registry's retention rules would delete now, and what they keep and why, from the
 * listings held. Pure: it deletes nothing and asks nobody.
 */
export function previewRetention(input: {
  registry: string;
  contents: RegistryContents;
  effective: EffectivePolicy;
  now: Date;
  /** Whether the GC task deletes what the rules select (`docr.tagRetention.enabled`). */
  deletesInWindows?: boolean;
}): RetentionPreviewView {
  const { contents, effective, now } = input;
  const rules = effective.policy.retention?.rules ?? [];
  const { decisions, untagged, untaggedUndated, freed } = selectRetention(
    contents.repositories,
    rules,
    now,
  );
  const byRepository = new Map<string, TagDecision<ListedTag>[]>();
  for (const decision of decisions) {
    const list = byRepository.get(decision.tag.repository) ?? [];
    list.push(decision);
    byRepository.set(decision.tag.repository, list);
  }
  const of = (name: string, action: 'delete' | 'keep') =>
    (byRepository.get(name) ?? [])
      .filter(d => d.action === action)
      .map(presentDecision);
  const repositories = contents.repositories.map(({ name }) => ({
    name,
    delete: of(name, 'delete'),
    keep: of(name, 'keep'),
    untaggedManifestsToDelete: untagged
      .filter(u => u.manifest.repository === name)
      .map(({ manifest, rule }) => ({
        digest: manifest.digest,
        updatedAt: manifest.listed.updated_at ?? '',
        compressedSizeBytes: manifest.listed.compressed_size_bytes ?? 0,
        rule,
      })),
    ...keptUndated(untaggedUndated.filter(m => m.repository === name)),
    estimatedFreedBytes: freed.byRepository.get(name) ?? 0,
  }));
  const tagsToDelete = decisions.filter(d => d.action === 'delete').length;
  return {
    registry: input.registry,
    source: effective.source,
    rules,
    ...(effective.problem ? { problem: effective.problem } : {}),
    evaluatedAt: now.toISOString(),
    fetchedAt: contents.fetchedAt.toISOString(),
    repositories,
    tagsToDelete,
    tagsToKeep: decisions.length - tagsToDelete,
    deletesInWindows: input.deletesInWindows ?? false,
    estimatedFreedBytes: freed.total,
  };
}
