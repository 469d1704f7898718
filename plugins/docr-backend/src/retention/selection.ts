import type {
  RepositoryManifest,
  RepositoryTag,
} from '@backstage-docr/digitalocean-openapi';
import {
  RetentionRule,
  RetentionTagClosureView,
  TagDecision,
  selectTagsForDeletion,
  selectUntaggedManifestsForDeletion,
  untaggedManifestsOfUnknownPushTime,
} from '@backstage-docr/plugin-docr-common';
import type { RepositoryContents } from '../repositories/RepositoryCache';
import { FreedBytesEstimate, estimateFreedBytes } from './freedBytes';
import {
  type RegistryInUse,
  repositoryUses,
  tagsInUse,
  untaggedInUseDigests,
} from './inUseSelection';
import {
  type GraphOrFailure,
  keepRepository,
  selectOnGraph,
} from './graphSelection';

/** A tag of a listing, as the selection sees it. */
export interface ListedTag {
  repository: string;
  tag: string;
  /** Undefined or invalid when DigitalOcean gave no valid push time: the tag is kept. */
  updatedAt: Date | undefined;
  listed: RepositoryTag;
  /** For an attachment deleted with its subject: the rule deleting the subject. */
  rule?: number;
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
  /** What the image graphs add, when the selection was made on them. */
  graph?: GraphSelectionFacts;
  /** Manifests in use by digest that no kept tag holds: a GC of untagged manifests would remove them. */
  untaggedInUse: Array<{ repository: string; digest: string }>;
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

/** What the graph adds to a selection: closures, what is kept and why, referrers deleted. */
export interface GraphSelectionFacts {
  /** Each tag's closure, by `repository\ntag`. */
  closures: Map<string, RetentionTagClosureView>;
  /** Untagged manifests a rule would date, kept because of what they belong to or are. */
  untaggedKept: Array<{ manifest: ListedManifest; reason: string }>;
  /** Untagged attachments deleted by digest with their subject's tag. */
  referrers: Array<{
    manifest: ListedManifest;
    subjectTag: string;
    rule: number;
  }>;
  /** Repositories whose graph could not be read (nothing of them deleted), with why. */
  unreadable: Map<string, string>;
  /** Per repository, the manifests gone once the GC of untagged manifests has run. */
  deletedManifests: Map<string, Set<string>>;
}

/** The rules on each repository's graph (see graphSelection.ts). */
function selectOnGraphs(
  repositories: RepositoryContents[],
  rules: RetentionRule[],
  now: Date,
  graphs: ReadonlyMap<string, GraphOrFailure>,
  inUse?: RegistryInUse,
) {
  const facts: GraphSelectionFacts = {
    closures: new Map(),
    untaggedKept: [],
    referrers: [],
    unreadable: new Map(),
    deletedManifests: new Map(),
  };
  const decisions: TagDecision<ListedTag>[] = [];
  const untagged: RetentionSelection['untagged'] = [];
  const untaggedInUse: RetentionSelection['untaggedInUse'] = [];
  for (const contents of repositories) {
    const graph = graphs.get(contents.name) ?? {
      unreadable: 'its image graph was not read yet',
    };
    if ('unreadable' in graph)
      facts.unreadable.set(contents.name, graph.unreadable);
    const selected =
      'unreadable' in graph
        ? keepRepository(contents, graph.unreadable)
        : selectOnGraph(
            contents,
            graph,
            rules,
            now,
            repositoryUses(inUse, contents.name, rules),
          );
    decisions.push(...selected.decisions);
    untagged.push(...selected.untagged);
    facts.untaggedKept.push(...selected.untaggedKept);
    facts.referrers.push(...selected.referrers);
    facts.deletedManifests.set(contents.name, selected.deletedManifests);
    for (const [tag, closure] of selected.closures)
      facts.closures.set(`${contents.name}\n${tag}`, closure);
    for (const digest of selected.untaggedInUse)
      untaggedInUse.push({ repository: contents.name, digest });
  }
  return { decisions, untagged, facts, untaggedInUse };
}

/**
 * Applies the rules to a registry's listing (every repository's tags and manifests with their
 * blobs) and, when given, each repository's image graph (then a tag's closure is kept or
 * deleted as one unit, see graphSelection.ts; a repository without a graph keeps everything).
 * What is in use (`inUse`) is kept with its closure; when what runs from the registry could not
 * be read (`heldBack`), nothing is selected.
 * Pure: the preview (from the repository cache) and the retention run (from a fresh listing)
 * both call it, so a run deletes what a preview of the same listing shows.
 */
export function selectRetention(
  repositories: RepositoryContents[],
  rules: RetentionRule[],
  now: Date,
  givenGraphs?: ReadonlyMap<string, GraphOrFailure>,
  inUse?: RegistryInUse,
): RetentionSelection {
  // Held back: every repository is kept as one whose graph could not be read, saying why.
  const graphs = inUse?.heldBack
    ? new Map(repositories.map(r => [r.name, { unreadable: inUse.heldBack! }]))
    : givenGraphs;
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
  const { decisions, untagged, facts, untaggedInUse } = graphs
    ? selectOnGraphs(repositories, rules, now, graphs, inUse)
    : selectOnListing(repositories, untaggedManifests, rules, now, inUse);
  const freed = estimateFreedBytes(
    repositories,
    facts?.deletedManifests ?? deletedManifests(decisions, untagged),
  );
  const untaggedUndated = untaggedManifestsOfUnknownPushTime(
    untaggedManifests,
    rules,
  );
  return {
    decisions,
    untagged,
    untaggedUndated,
    freed,
    graph: facts,
    untaggedInUse,
  };
}

/**
 * The rules on the listing alone (no image graphs): a tag or an untagged manifest whose digest
 * is in use is kept, taking no keepNewest place.
 */
function selectOnListing(
  repositories: RepositoryContents[],
  untaggedManifests: ListedManifest[],
  rules: RetentionRule[],
  now: Date,
  inUse?: RegistryInUse,
) {
  const kept: TagDecision<ListedTag>[] = [];
  const ranked: ListedTag[] = [];
  const inUseDigests = new Set<string>();
  const untaggedInUse: RetentionSelection['untaggedInUse'] = [];
  for (const repository of repositories) {
    const tags = listedTags([repository]);
    const uses = repositoryUses(inUse, repository.name, rules);
    const found = tagsInUse(
      tags.map(t => ({ tag: t.tag, digest: t.listed.manifest_digest ?? '' })),
      uses,
    );
    const listed = new Set(repository.manifests.map(m => m.digest));
    for (const digest of untaggedInUseDigests(
      undefined,
      tags.map(t => t.listed.manifest_digest ?? ''),
      uses,
    ))
      if (listed.has(digest))
        untaggedInUse.push({ repository: repository.name, digest });
    for (const digest of found.closure.keys())
      inUseDigests.add(`${repository.name}\n${digest}`);
    for (const tag of tags) {
      const reasons = found.byTag.get(tag.tag);
      if (reasons) kept.push({ tag, action: 'keep', reasons });
      else ranked.push(tag);
    }
  }
  return {
    decisions: [...selectTagsForDeletion(ranked, rules, now), ...kept],
    untagged: selectUntaggedManifestsForDeletion(
      untaggedManifests.filter(
        m => !inUseDigests.has(`${m.repository}\n${m.digest}`),
      ),
      rules,
      now,
    ),
    facts: undefined,
    untaggedInUse,
  };
}

function listedTags(repositories: RepositoryContents[]): ListedTag[] {
  return repositories.flatMap(repository =>
    repository.tags.map(listed => ({
      repository: repository.name,
      tag: listed.tag ?? '',
      updatedAt: pushTime(listed.updated_at),
      listed,
    })),
  );
}
