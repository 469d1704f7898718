import type {
  RepositoryManifest,
  RepositoryTag,
} from '@backstage-docr/digitalocean-openapi';
import {
  RetentionRule,
  TagDecision,
  selectTagsForDeletion,
  selectUntaggedManifestsForDeletion,
  untaggedManifestsOfUnknownPushTime,
} from '@backstage-docr/plugin-docr-common';
import type { RepositoryContents } from '../repositories/RepositoryCache';
import { FreedBytesEstimate, estimateFreedBytes } from './freedBytes';

/** A tag of a listing, as the selection sees it. */
export interface ListedTag {
  repository: string;
  tag: string;
  /** Undefined or invalid when DigitalOcean gave no valid push time: the tag is kept. */
  updatedAt: Date | undefined;
  listed: RepositoryTag;
}

/** An untagged manifest of a listing, as the selection sees it. */
export interface ListedManifest {
  repository: string;
  digest: string;
  /** Undefined or invalid when DigitalOcean gave no valid push time: the manifest is kept. */
  updatedAt: Date | undefined;
  listed: RepositoryManifest;
}

/** What the rules do with a registry's listing: the preview shows it, the runner deletes it. */
export interface RetentionSelection {
  /** Per tag, delete or keep and why; grouped by repository, newest first within one. */
  decisions: TagDecision<ListedTag>[];
  /** The untagged manifests selected, with the index of the rule selecting each. */
  untagged: Array<{ manifest: ListedManifest; rule: number }>;
  /** The untagged manifests a rule would date, kept because their push time is unknown. */
  untaggedUndated: ListedManifest[];
  /** The blob bytes a GC of untagged manifests and unreferenced blobs would then free. */
  freed: FreedBytesEstimate;
}

/**
 * The manifests the decisions delete, per repository: those whose every tag is deleted, and the
 * untagged manifests selected.
 */
function deletedManifests(
  decisions: TagDecision<ListedTag>[],
  untagged: RetentionSelection['untagged'],
): Map<string, Set<string>> {
  const keptDigests = new Set<string>();
  const deletedDigests = new Map<string, Set<string>>();
  const add = (repository: string, digest: string) => {
    const set = deletedDigests.get(repository) ?? new Set<string>();
    deletedDigests.set(repository, set.add(digest));
  };
  for (const { tag, action } of decisions) {
    const key = `${tag.repository}\n${tag.listed.manifest_digest}`;
    if (action === 'keep') keptDigests.add(key);
  }
  for (const { tag, action } of decisions) {
    const digest = tag.listed.manifest_digest ?? '';
    if (action === 'delete' && !keptDigests.has(`${tag.repository}\n${digest}`))
      add(tag.repository, digest);
  }
  for (const { manifest } of untagged)
    add(manifest.repository, manifest.digest);
  return deletedDigests;
}

/** DigitalOcean's push time; undefined when it gave none (never 1970, the oldest of all). */
const pushTime = (at: string | undefined) =>
  at === undefined || at === '' ? undefined : new Date(at);

/**
 * Applies the rules to a registry's listing (every repository's tags and manifests with their
 * blobs). Pure: the preview (from the repository cache) and the retention run (from a fresh
 * listing) both call it, so a run deletes what a preview of the same listing shows.
 */
export function selectRetention(
  repositories: RepositoryContents[],
  rules: RetentionRule[],
  now: Date,
): RetentionSelection {
  const tags: ListedTag[] = repositories.flatMap(repository =>
    repository.tags.map(listed => ({
      repository: repository.name,
      tag: listed.tag ?? '',
      updatedAt: pushTime(listed.updated_at),
      listed,
    })),
  );
  const decisions = selectTagsForDeletion(tags, rules, now);
  const untaggedManifests = repositories.flatMap(repository => {
    const tagged = new Set(repository.tags.map(t => t.manifest_digest));
    return repository.manifests
      .filter(m => !tagged.has(m.digest))
      .map(listed => ({
        repository: repository.name,
        digest: listed.digest ?? '',
        updatedAt: pushTime(listed.updated_at),
        listed,
      }));
  });
  const untagged = selectUntaggedManifestsForDeletion(
    untaggedManifests,
    rules,
    now,
  );
  const freed = estimateFreedBytes(
    repositories,
    deletedManifests(decisions, untagged),
  );
  const untaggedUndated = untaggedManifestsOfUnknownPushTime(
    untaggedManifests,
    rules,
  );
  return { decisions, untagged, untaggedUndated, freed };
}
