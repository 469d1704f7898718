import {
  RetentionPreviewView,
  RetentionRepositoryPreviewView,
  RetentionTagPreviewView,
  TagDecision,
  UNKNOWN_PUSH_TIME_REASON,
  describeRetentionReason,
} from '@backstage-docr/plugin-docr-common';
import type { EffectivePolicy } from '../PolicyResolver';
import type { RegistryContents } from '../repositories/RepositoryCache';
import type { GraphOrFailure } from './graphSelection';
import { type RegistryInUse, registryInUse } from './inUseSelection';
import type { ImagesInUse } from '../inUse/types';
import {
  GraphSelectionFacts,
  ListedManifest,
  ListedTag,
  selectRetention,
} from './selection';

function presentDecision(
  decision: TagDecision<ListedTag>,
  closures: GraphSelectionFacts['closures'] | undefined,
): RetentionTagPreviewView {
  const { listed } = decision.tag;
  const closure = closures?.get(
    `${decision.tag.repository}\n${decision.tag.tag}`,
  );
  return {
    tag: decision.tag.tag,
    digest: listed.manifest_digest ?? '',
    updatedAt: listed.updated_at ?? '',
    compressedSizeBytes: listed.compressed_size_bytes ?? 0,
    reasons: decision.reasons,
    reason: decision.reasons.map(describeRetentionReason).join('; '),
    ...(closure ? { closure } : {}),
  };
}

/** The untagged manifests kept (unknown push time, or what they belong to), when any. */
function keptUntagged(
  undated: ListedManifest[],
  kept: Array<{ manifest: ListedManifest; reason: string }>,
): Pick<RetentionRepositoryPreviewView, 'untaggedManifestsKept'> {
  const all = new Map<string, { manifest: ListedManifest; reason: string }>();
  for (const manifest of undated)
    all.set(manifest.digest, { manifest, reason: UNKNOWN_PUSH_TIME_REASON });
  for (const entry of kept)
    if (!all.has(entry.manifest.digest)) all.set(entry.manifest.digest, entry);
  if (!all.size) return {};
  return {
    untaggedManifestsKept: [...all.values()].map(({ manifest, reason }) => ({
      digest: manifest.digest,
      updatedAt: manifest.listed.updated_at ?? '',
      compressedSizeBytes: manifest.listed.compressed_size_bytes ?? 0,
      reason,
    })),
  };
}

/** The whole preview, before it is named by a version and served a page at a time. */
export type WholePreview = Omit<
  RetentionPreviewView,
  'version' | 'offset' | 'limit' | 'totalRepositories'
>;

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
  /** Each repository's image graph (or why none was read); without, the listing alone. */
  graphs?: ReadonlyMap<string, GraphOrFailure>;
  /** What runs where, as last read for the account; undefined before the first read. */
  imagesInUse?: ImagesInUse;
}): WholePreview {
  const { contents, effective, now } = input;
  const rules = effective.policy.retention?.rules ?? [];
  const inUse: RegistryInUse | undefined =
    input.imagesInUse &&
    registryInUse(
      input.imagesInUse,
      input.registry,
      effective.policy.retention?.ignoreUnreadable,
    );
  const { decisions, untagged, untaggedUndated, freed, graph } =
    selectRetention(contents.repositories, rules, now, input.graphs, inUse);
  const byDigest = [...untagged, ...(graph?.referrers ?? [])];
  const byRepository = new Map<string, TagDecision<ListedTag>[]>();
  for (const decision of decisions) {
    const list = byRepository.get(decision.tag.repository) ?? [];
    list.push(decision);
    byRepository.set(decision.tag.repository, list);
  }
  const of = (name: string, action: 'delete' | 'keep') =>
    (byRepository.get(name) ?? [])
      .filter(d => d.action === action)
      .map(d => presentDecision(d, graph?.closures));
  const repositories = contents.repositories.map(({ name }) => ({
    name,
    delete: of(name, 'delete'),
    keep: of(name, 'keep'),
    untaggedManifestsToDelete: byDigest
      .filter(u => u.manifest.repository === name)
      .map(({ manifest, rule }) => ({
        digest: manifest.digest,
        updatedAt: manifest.listed.updated_at ?? '',
        compressedSizeBytes: manifest.listed.compressed_size_bytes ?? 0,
        rule,
      })),
    ...keptUntagged(
      untaggedUndated.filter(m => m.repository === name),
      (graph?.untaggedKept ?? []).filter(k => k.manifest.repository === name),
    ),
    ...(graph?.unreadable.has(name)
      ? { unreadable: graph.unreadable.get(name) }
      : {}),
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
    ...(input.imagesInUse
      ? { inUseReadAt: input.imagesInUse.readAt.toISOString() }
      : {}),
    ...(inUse?.heldBack ? { heldBack: inUse.heldBack } : {}),
  };
}
