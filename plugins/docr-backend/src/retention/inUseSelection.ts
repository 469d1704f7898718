import { toError } from '@backstage/errors';
import {
  DEFAULT_PREVIOUS_RELEASES,
  RetentionReason,
  RetentionRule,
  TagDecision,
  ruleAppliesTo,
} from '@backstage-docr/plugin-docr-common';
import type { ListedTag } from './selection';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Retention } from '@backstage-docr/plugin-docr-common';
import type { ImagesInUseCache } from '../inUse/ImagesInUseCache';
import { EVERY_REGISTRY } from '../inUse/ImagesInUseReader';
import type { ImageUse, ImagesInUse } from '../inUse/types';
import { closureOfManifests, type RepositoryGraph } from './graph';

/** What runs from one registry, as retention selects with it. */
export interface RegistryInUse {
  /** The uses of the registry's images (an App Platform image naming no registry included). */
  uses: ImageUse[];
  /** Why nothing of the registry is deleted: a source pulling from it could not be read. */
  heldBack?: string;
}

/** What a tag's reasons say first: what runs, then what is deployed, then rollback targets. */
const KIND_ORDER: ImageUse['kind'][] = [
  'running',
  'app',
  'workload',
  'previousRelease',
];

/** Reasons shown per tag at most; the last one counts the others. */
const MAX_REASONS = 5;

/**
 * The registry's share of the account's images in use; held back when a cluster integrated
 * with it (or App Platform, or the cluster listing) could not be read, unless the policy's
 * `ignoreUnreadable` names it.
 */
export function registryInUse(
  inUse: ImagesInUse,
  registry: string,
  ignoreUnreadable: readonly string[] = [],
): RegistryInUse {
  const ignored = new Set(ignoreUnreadable);
  const blocking = inUse.unreadable.filter(
    source =>
      !ignored.has(source.name) &&
      (source.registries.includes(registry) ||
        source.registries.includes(EVERY_REGISTRY)),
  );
  return {
    uses: inUse.uses.filter(
      use => use.registry === registry || use.registry === '',
    ),
    ...(blocking.length
      ? {
          heldBack: `what runs could not be read (${blocking
            .map(source => `${source.name}: ${source.reason}`)
            .join('; ')}), so nothing of the registry is deleted`,
        }
      : {}),
  };
}

/**
 * What runs from the registry, read right before a plan (one read per tick for the account); a
 * read that fails holds the registry back.
 */
export async function readRegistryInUse(
  source: Pick<ImagesInUseCache, 'forPlan'>,
  request: {
    registryName: string;
    retention?: Retention;
    signal?: AbortSignal;
  },
  logger: LoggerService,
): Promise<RegistryInUse> {
  try {
    const inUse = registryInUse(
      await source.forPlan(request.signal),
      request.registryName,
      request.retention?.ignoreUnreadable,
    );
    logger.info(
      `${request.registryName}: ${inUse.uses.length} uses of its images read (DOKS, App Platform) before deleting or collecting`,
    );
    return inUse;
  } catch (error) {
    const why = toError(error).message;
    return {
      uses: [],
      heldBack: `what runs could not be read (${why}), so nothing of the registry is deleted`,
    };
  }
}

/** Previous releases kept in a repository: the most any rule applying to it keeps (default 2). */
export function previousReleasesKept(
  rules: RetentionRule[],
  repository: string,
): number {
  const applying = rules.filter(rule => ruleAppliesTo(rule, repository));
  return Math.max(
    0,
    ...applying.map(
      rule => rule.keepPreviousReleases ?? DEFAULT_PREVIOUS_RELEASES,
    ),
    ...(applying.length ? [] : [DEFAULT_PREVIOUS_RELEASES]),
  );
}

/** The uses of one repository retention keeps: what runs or is deployed, and kept releases. */
export function repositoryUses(
  inUse: RegistryInUse | undefined,
  repository: string,
  rules: RetentionRule[],
): ImageUse[] {
  if (!inUse) return [];
  const kept = previousReleasesKept(rules, repository);
  return inUse.uses.filter(
    use =>
      use.repository === repository &&
      (use.previousRelease === undefined || use.previousRelease <= kept),
  );
}

/** A tag's reasons, one per place (at most five, the last counting the rest). */
export function inUseReasons(uses: ImageUse[]): RetentionReason[] {
  const seen = new Map<string, ImageUse>();
  for (const use of uses) if (!seen.has(use.where)) seen.set(use.where, use);
  const distinct = [...seen.values()].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind),
  );
  const shown = distinct.slice(0, MAX_REASONS);
  const more = distinct.length - shown.length;
  return shown.map((use, i) => ({
    kind: 'inUse' as const,
    use: use.kind,
    where:
      more > 0 && i === shown.length - 1
        ? `${use.where} (and ${more} more)`
        : use.where,
  }));
}

/** Adds to the list under `key` (made on first use). */
function addTo<T>(map: Map<string, T[]>, key: string, item: T) {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/** The digest each use names: its own, or its tag's in the graph. */
function digestOf(use: ImageUse, graph: RepositoryGraph | undefined) {
  return use.digest ?? (use.tag ? graph?.tags.get(use.tag) : undefined);
}

/**
 * Which tags of a repository are in use and why: a tag named by a use, or whose closure (an
 * index's platforms, attachments) holds a digest in use; and every manifest of the closures of
 * the digests in use, with their uses: kept even when no tag points at them.
 */
export function tagsInUse(
  tags: Array<{ tag: string; digest: string }>,
  uses: ImageUse[],
  graph?: RepositoryGraph,
): { byTag: Map<string, RetentionReason[]>; closure: Map<string, ImageUse[]> } {
  const byTag = new Map<string, RetentionReason[]>();
  const closure = new Map<string, ImageUse[]>();
  if (!uses.length) return { byTag, closure };
  const byDigest = usesByDigest(uses, graph);
  for (const [digest, digestUses] of byDigest) {
    const members = graph
      ? closureOfManifests(graph, [digest]).manifests
      : new Set([digest]);
    for (const member of members)
      for (const use of digestUses) addTo(closure, member, use);
  }
  for (const [tag, found] of usesByTag(tags, uses, graph, byDigest))
    byTag.set(tag, inUseReasons(found));
  return { byTag, closure };
}

/**
 * The uses of each tag: those naming it, and those of a digest its closure holds (an index's
 * platforms included).
 */
export function usesByTag(
  tags: Array<{ tag: string; digest: string }>,
  uses: ImageUse[],
  graph?: RepositoryGraph,
  byDigest = usesByDigest(uses, graph),
): Map<string, ImageUse[]> {
  const found = new Map<string, ImageUse[]>();
  if (!uses.length) return found;
  const byTagName = new Map<string, ImageUse[]>();
  for (const use of uses) if (use.tag) addTo(byTagName, use.tag, use);
  for (const { tag, digest } of tags) {
    const members = graph
      ? closureOfManifests(graph, [digest]).manifests
      : new Set([digest]);
    const ofTag = new Set(byTagName.get(tag));
    for (const member of members)
      for (const use of byDigest.get(member) ?? []) ofTag.add(use);
    if (ofTag.size) found.set(tag, [...ofTag]);
  }
  return found;
}

function usesByDigest(uses: ImageUse[], graph?: RepositoryGraph) {
  const byDigest = new Map<string, ImageUse[]>();
  for (const use of uses) {
    const digest = digestOf(use, graph);
    if (digest) addTo(byDigest, digest, use);
  }
  return byDigest;
}

/**
 * The digests in use (by digest) that no kept tag's closure holds: retention keeps them, but a
 * GC of untagged manifests would remove them, so the window's GC must not.
 */
export function untaggedInUseDigests(
  graph: RepositoryGraph | undefined,
  keptTagDigests: string[],
  uses: ImageUse[],
): string[] {
  const byDigest = [
    ...new Set(uses.flatMap(u => (u.digest ? [u.digest] : []))),
  ];
  if (!graph) {
    const tagged = new Set(keptTagDigests);
    return byDigest.filter(digest => !tagged.has(digest));
  }
  const held = closureOfManifests(graph, keptTagDigests).manifests;
  return byDigest.filter(
    digest => graph.manifests.has(digest) && !held.has(digest),
  );
}

/**
 * Tags in use (`uses`: running, deployed or a kept previous release) are set aside, kept with
 * their reasons (before any they had), so they take no keepNewest place; returns the closure of
 * the digests in use with their uses, kept even when no tag points at them.
 */
export function keepInUse(
  graph: RepositoryGraph,
  tags: ListedTag[],
  aside: Map<string, TagDecision<ListedTag>>,
  uses: ImageUse[],
): Map<string, ImageUse[]> {
  const inUse = tagsInUse(
    tags.map(t => ({ tag: t.tag, digest: t.listed.manifest_digest ?? '' })),
    uses,
    graph,
  );
  for (const tag of tags) {
    const reasons = inUse.byTag.get(tag.tag);
    if (!reasons) continue;
    const already = aside.get(tag.tag)?.reasons ?? [];
    aside.set(tag.tag, {
      tag,
      action: 'keep',
      reasons: [...reasons, ...already],
    });
  }
  return inUse.closure;
}

/**
 * Why the window's GC must delete no manifest, when manifests in use by digest have no tag
 * retention keeps; undefined when there are none.
 */
export function untaggedInUseNarrowsGc(
  untagged: Array<{ repository: string; digest: string }>,
): string | undefined {
  if (!untagged.length) return undefined;
  const named = untagged
    .slice(0, 3)
    .map(m => `${m.repository}@${m.digest.slice(0, 19)}…`);
  if (untagged.length > 3) named.push(`${untagged.length - 3} more`);
  return `untagged manifests are in use (${named.join(', ')}), which a GC of untagged manifests would delete`;
}

/** Why an untagged manifest in use (or of the closure of one) is kept, in words. */
export function untaggedInUseReason(uses: ImageUse[]): string {
  return `in use: ${inUseReasons(uses)
    .map(r => (r.kind === 'inUse' ? r.where : ''))
    .join('; ')}`;
}
