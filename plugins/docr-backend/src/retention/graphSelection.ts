import {
  RetentionReason,
  RetentionRule,
  RetentionTagClosureView,
  TagDecision,
  ruleAppliesTo,
  selectTagsForDeletion,
  selectUntaggedManifestsForDeletion,
} from '@backstage-docr/plugin-docr-common';
import type { RepositoryContents } from '../repositories/RepositoryCache';
import {
  attachmentTags,
  closureOfManifests,
  decideAttachmentTags,
  deletedWithTags,
  referencedUntaggedManifests,
  standaloneUntaggedManifests,
  unresolvedManifests,
  unresolvedTags,
  untaggedHeldByUnreadable,
  type RepositoryGraph,
} from './graph';
import type { ListedManifest, ListedTag } from './selection';
import type { ImageUse } from '../inUse/types';
import {
  keepInUse,
  untaggedInUseDigests,
  untaggedInUseReason,
} from './inUseSelection';

/** A repository's graph, or why none could be read (then nothing of it is deleted). */
export type GraphOrFailure = RepositoryGraph | { unreadable: string };

const ATTACHMENT_KINDS = new Set([
  'signature',
  'attestation',
  'sbom',
  'referrer',
]);

/** What the selection decides for one repository read as a graph. */
export interface RepositorySelection {
  decisions: TagDecision<ListedTag>[];
  untagged: Array<{ manifest: ListedManifest; rule: number }>;
  /** Untagged manifests a rule would date, kept, with why. */
  untaggedKept: Array<{ manifest: ListedManifest; reason: string }>;
  /** Untagged attachments of deleted subjects, deleted by digest with them. */
  referrers: Array<{
    manifest: ListedManifest;
    subjectTag: string;
    rule: number;
  }>;
  /** Each tag's closure, by tag. */
  closures: Map<string, RetentionTagClosureView>;
  /** The manifests a GC of untagged manifests would then remove: deleted closures, less kept. */
  deletedManifests: Set<string>;
  /** Digests in use that no kept tag holds: a GC of untagged manifests would remove them. */
  untaggedInUse: string[];
}

const pushTime = (at: string | undefined) =>
  at === undefined || at === '' ? undefined : new Date(at);

function listedTags(contents: RepositoryContents): ListedTag[] {
  return contents.tags.map(listed => ({
    repository: contents.name,
    tag: listed.tag ?? '',
    updatedAt: pushTime(listed.updated_at),
    listed,
  }));
}

const keep = (
  tag: ListedTag,
  reasons: RetentionReason[],
): TagDecision<ListedTag> => ({ tag, action: 'keep', reasons });

/** A whole repository kept: its graph could not be read. */
export function keepRepository(
  contents: RepositoryContents,
  reason: string,
): RepositorySelection {
  return {
    decisions: listedTags(contents).map(tag =>
      keep(tag, [{ kind: 'unreadable', reason }]),
    ),
    untagged: [],
    untaggedKept: [],
    referrers: [],
    closures: new Map(),
    deletedManifests: new Set(),
    untaggedInUse: [],
  };
}

/** The platforms and attachments deleted or kept with a tag. */
export function closureView(
  graph: RepositoryGraph,
  digest: string,
): RetentionTagClosureView {
  const members = closureOfManifests(graph, [digest]).manifests;
  const root = graph.manifests.get(digest);
  const platforms = (root?.facts?.children ?? []).flatMap(child =>
    child.platform ? [child.platform] : [],
  );
  const attachments = [...members].flatMap(member => {
    const manifest = graph.manifests.get(member);
    if (!manifest || !ATTACHMENT_KINDS.has(manifest.kind)) return [];
    const tag = manifest.tags[0];
    return [{ kind: manifest.kind, digest: member, ...(tag ? { tag } : {}) }];
  });
  return { platforms, attachments };
}

/** Tags the rules never rank: unknown, unreadable, not in the graph read, attachments. */
function tagsKeptAside(graph: RepositoryGraph, tags: ListedTag[]) {
  const unresolved = unresolvedTags(graph);
  const attachments = attachmentTags(graph);
  const aside = new Map<string, TagDecision<ListedTag>>();
  for (const tag of tags) {
    const digest = tag.listed.manifest_digest ?? '';
    const manifest = graph.manifests.get(digest);
    const why = unresolved.get(tag.tag);
    if (!manifest || graph.tags.get(tag.tag) !== digest)
      aside.set(
        tag.tag,
        keep(tag, [
          { kind: 'unreadable', reason: 'not in the image graph read yet' },
        ]),
      );
    else if (why)
      aside.set(
        tag.tag,
        keep(tag, [
          manifest.kind === 'unknown'
            ? { kind: 'unknownType', reason: why }
            : { kind: 'unreadable', reason: why },
        ]),
      );
    else if (attachments.has(tag.tag)) aside.set(tag.tag, keep(tag, []));
  }
  return aside;
}

function untaggedOf(contents: RepositoryContents, graph: RepositoryGraph) {
  const byDigest = new Map<string, ListedManifest>();
  for (const listed of contents.manifests) {
    const digest = listed.digest ?? '';
    if (graph.manifests.get(digest)?.tags.length !== 0) continue;
    byDigest.set(digest, {
      repository: contents.name,
      digest,
      updatedAt: pushTime(listed.updated_at),
      listed,
    });
  }
  return byDigest;
}

/**
 * The untagged manifests: standalone ones go to the rules; those an index lists, attached to
 * a subject, of unknown type or unreadable are kept (and said so when a rule would date them),
 * as is every one of a repository holding an unreadable manifest.
 */
function selectUntagged(
  contents: RepositoryContents,
  graph: RepositoryGraph,
  rules: RetentionRule[],
  now: Date,
) {
  const untagged = untaggedOf(contents, graph);
  const standalone = standaloneUntaggedManifests(graph).flatMap(
    m => untagged.get(m.digest) ?? [],
  );
  const selected = selectUntaggedManifestsForDeletion(standalone, rules, now);
  const dated = rules.some(
    rule =>
      rule.untaggedManifestsOlderThan !== undefined &&
      ruleAppliesTo(rule, contents.name),
  );
  const why = new Map([
    ...referencedUntaggedManifests(graph),
    ...unresolvedManifests(graph),
  ]);
  const held = untaggedHeldByUnreadable(graph);
  const untaggedKept = dated
    ? [...untagged.values()].flatMap(manifest => {
        const reason = why.get(manifest.digest) ?? held;
        return reason ? [{ manifest, reason }] : [];
      })
    : [];
  return { selected, untagged, untaggedKept };
}

/** The rule a deleted tag is deleted by (its lowest), for attachments deleted with it. */
function ruleOf(decision: TagDecision<ListedTag> | undefined): number {
  const rules = (decision?.reasons ?? []).flatMap(r =>
    'rule' in r ? [r.rule] : [],
  );
  return rules.length ? Math.min(...rules) : 0;
}

/** The untagged manifests the rules select, less those in use (kept, saying where). */
function selectUntaggedNotInUse(
  selection: ReturnType<typeof selectUntagged>,
  inUseClosure: ReturnType<typeof keepInUse>,
) {
  const { untagged, untaggedKept } = selection;
  const selected = selection.selected.filter(
    s => !inUseClosure.has(s.manifest.digest),
  );
  for (const { manifest } of selection.selected) {
    const inUse = inUseClosure.get(manifest.digest);
    if (inUse)
      untaggedKept.push({ manifest, reason: untaggedInUseReason(inUse) });
  }
  return { untagged, untaggedKept, selected };
}

/**
 * The rules on one repository's graph: a tag's closure (index, platforms, their blobs and every
 * attachment of any of them) is kept or deleted as one unit; attachments take no keepNewest
 * place and follow their subject; untagged manifests of an index or a subject are never selected;
 * unknown and unreadable manifests are kept, as is what is in use (`uses`) with its closure.
 */
export function selectOnGraph(
  contents: RepositoryContents,
  graph: RepositoryGraph,
  rules: RetentionRule[],
  now: Date,
  uses: ImageUse[] = [],
): RepositorySelection {
  const tags = listedTags(contents);
  const aside = tagsKeptAside(graph, tags);
  const inUseClosure = keepInUse(graph, tags, aside, uses);
  const ranked = selectTagsForDeletion(
    tags.filter(tag => !aside.has(tag.tag)),
    rules,
    now,
  );
  const { untagged, untaggedKept, selected } = selectUntaggedNotInUse(
    selectUntagged(contents, graph, rules, now),
    inUseClosure,
  );
  const selectedDigests = new Set(selected.map(s => s.manifest.digest));
  const keptRoots = [
    ...ranked.filter(d => d.action === 'keep'),
    ...[...aside.values()].filter(d => d.reasons.length > 0),
  ].map(d => d.tag.listed.manifest_digest ?? '');
  // What an index lists or a subject holds follows it, so it is no root of its own.
  const belonging = referencedUntaggedManifests(graph);
  const keptUntagged = [...untagged.keys()].filter(
    digest => !selectedDigests.has(digest) && !belonging.has(digest),
  );
  const kept = closureOfManifests(graph, [
    ...keptRoots,
    ...keptUntagged,
    ...inUseClosure.keys(),
  ]);
  const followed = decideAttachments(
    graph,
    tags,
    aside,
    kept.manifests,
    ranked,
  );
  const decisions = [
    ...ranked,
    ...[...aside.values()].filter(d => d.reasons.length > 0),
    ...followed,
  ];
  const referrers = referrersDeleted(
    graph,
    untagged,
    kept.manifests,
    decisions,
  );
  return {
    decisions,
    untagged: selected,
    untaggedKept,
    referrers,
    untaggedInUse: untaggedInUseDigests(graph, keptRoots, uses),
    deletedManifests: manifestsGone(
      graph,
      decisions,
      [...keptUntagged, ...inUseClosure.keys()],
      [
        ...selected.map(s => s.manifest.digest),
        ...referrers.map(r => r.manifest.digest),
      ],
    ),
    closures: new Map(
      decisions.map(d => [
        d.tag.tag,
        closureView(graph, d.tag.listed.manifest_digest ?? ''),
      ]),
    ),
  };
}

/** What the deleted tags' closures lose (less what is kept), and what is deleted by digest. */
function manifestsGone(
  graph: RepositoryGraph,
  decisions: TagDecision<ListedTag>[],
  keptUntagged: string[],
  deletedByDigest: string[],
): Set<string> {
  const deletedTags = decisions.filter(d => d.action === 'delete');
  return new Set([
    ...deletedWithTags(
      graph,
      new Set(deletedTags.map(d => d.tag.tag)),
      keptUntagged,
    ).manifests,
    ...deletedByDigest,
  ]);
}

/** Attachment tags: kept while their subject is kept, deleted with it. */
function decideAttachments(
  graph: RepositoryGraph,
  tags: ListedTag[],
  aside: Map<string, TagDecision<ListedTag>>,
  kept: ReadonlySet<string>,
  ranked: TagDecision<ListedTag>[],
): TagDecision<ListedTag>[] {
  const byTag = new Map(tags.map(t => [t.tag, t]));
  const deletedBy = subjectDecisions(graph, ranked);
  return decideAttachmentTags(graph, kept).flatMap(({ attachment, action }) => {
    const tag = byTag.get(attachment.tag);
    if (!tag || aside.get(attachment.tag)?.reasons.length) return [];
    const subject = deletedBy.get(attachment.subject);
    const subjectTag = graph.manifests.get(attachment.subject)?.tags[0];
    const reason: RetentionReason = {
      kind: 'attachment',
      subjectDigest: attachment.subject,
      ...(subjectTag ? { subjectTag } : {}),
      follows: action === 'keep' ? 'kept' : 'deleted',
    };
    return [
      {
        tag: action === 'delete' ? { ...tag, rule: ruleOf(subject) } : tag,
        action,
        reasons: [reason],
      },
    ];
  });
}

/** The deciding decision of each deleted tag's digest and of every manifest of its closure. */
function subjectDecisions(
  graph: RepositoryGraph,
  ranked: TagDecision<ListedTag>[],
): Map<string, TagDecision<ListedTag>> {
  const byDigest = new Map<string, TagDecision<ListedTag>>();
  for (const decision of ranked) {
    if (decision.action !== 'delete') continue;
    const root = decision.tag.listed.manifest_digest ?? '';
    for (const member of closureOfManifests(graph, [root]).manifests)
      if (!byDigest.has(member)) byDigest.set(member, decision);
  }
  return byDigest;
}

/** Untagged attachments (OCI referrers by subject) of deleted subjects: deleted by digest. */
function referrersDeleted(
  graph: RepositoryGraph,
  untagged: Map<string, ListedManifest>,
  kept: ReadonlySet<string>,
  decisions: TagDecision<ListedTag>[],
): RepositorySelection['referrers'] {
  const deletedBy = subjectDecisions(graph, decisions);
  return [...untagged.values()].flatMap(manifest => {
    const node = graph.manifests.get(manifest.digest);
    const decision = deletedBy.get(manifest.digest);
    if (!node?.subject || kept.has(manifest.digest) || !decision) return [];
    if (!ATTACHMENT_KINDS.has(node.kind)) return [];
    return [{ manifest, subjectTag: decision.tag.tag, rule: ruleOf(decision) }];
  });
}
