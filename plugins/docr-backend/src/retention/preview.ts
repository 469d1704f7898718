import type { RepositoryTag } from '@backstage-docr/digitalocean-openapi';
import {
  RetentionPreviewView,
  RetentionTagPreviewView,
  TagDecision,
  describeRetentionReason,
  selectTagsForDeletion,
  selectUntaggedManifestsForDeletion,
} from '@backstage-docr/plugin-docr-common';
import type { EffectivePolicy } from '../policies';
import type { RegistryContents } from '../repositories/RepositoryCache';
import { estimateFreedBytes } from './freedBytes';

interface ListedTag {
  repository: string;
  tag: string;
  updatedAt: Date;
  listed: RepositoryTag;
}

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

/**
 * The manifests the decisions delete, per repository: those whose every tag is deleted, and the
 * untagged manifests selected.
 */
function deletedManifests(
  decisions: TagDecision<ListedTag>[],
  untaggedDigests: Map<string, Set<string>>,
): Map<string, Set<string>> {
  const keptDigests = new Set<string>();
  const deletedDigests = new Map<string, Set<string>>();
  for (const { tag, action } of decisions) {
    const key = `${tag.repository}\n${tag.listed.manifest_digest}`;
    if (action === 'keep') keptDigests.add(key);
  }
  for (const { tag, action } of decisions) {
    const digest = tag.listed.manifest_digest ?? '';
    if (action !== 'delete' || keptDigests.has(`${tag.repository}\n${digest}`))
      continue;
    const set = deletedDigests.get(tag.repository) ?? new Set<string>();
    deletedDigests.set(tag.repository, set.add(digest));
  }
  for (const [repository, digests] of untaggedDigests) {
    const set = deletedDigests.get(repository) ?? new Set<string>();
    for (const digest of digests) set.add(digest);
    deletedDigests.set(repository, set);
  }
  return deletedDigests;
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
}): RetentionPreviewView {
  const { contents, effective, now } = input;
  const rules = effective.policy.retention?.rules ?? [];
  const tags: ListedTag[] = contents.repositories.flatMap(repository =>
    repository.tags.map(listed => ({
      repository: repository.name,
      tag: listed.tag ?? '',
      updatedAt: new Date(listed.updated_at ?? 0),
      listed,
    })),
  );
  const decisions = selectTagsForDeletion(tags, rules, now);
  const untagged = selectUntaggedManifestsForDeletion(
    contents.repositories.flatMap(repository => {
      const tagged = new Set(repository.tags.map(t => t.manifest_digest));
      return repository.manifests
        .filter(m => !tagged.has(m.digest))
        .map(listed => ({
          repository: repository.name,
          digest: listed.digest ?? '',
          updatedAt: new Date(listed.updated_at ?? 0),
          listed,
        }));
    }),
    rules,
    now,
  );
  const untaggedDigests = new Map<string, Set<string>>();
  for (const { manifest } of untagged) {
    const set = untaggedDigests.get(manifest.repository) ?? new Set<string>();
    untaggedDigests.set(manifest.repository, set.add(manifest.digest));
  }
  const freed = estimateFreedBytes(
    contents.repositories,
    deletedManifests(decisions, untaggedDigests),
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
    estimatedFreedBytes: freed.total,
  };
}
