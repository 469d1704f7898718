import { closureOfManifests, closureOfTags, Closure } from './closure';
import type { GraphManifest, ManifestKind, RepositoryGraph } from './model';

const short = (digest: string) => digest.slice(0, 19);

/** Why an untagged manifest is part of something else, or undefined when it stands alone. */
function belongingOf(
  graph: RepositoryGraph,
  manifest: GraphManifest,
): string | undefined {
  const parent = manifest.parents[0];
  if (parent) {
    const platform = parent.platform ? ` (${parent.platform})` : '';
    return `listed by index ${short(parent.digest)}${platform}`;
  }
  if (manifest.subject) {
    const where = graph.manifests.has(manifest.subject.digest)
      ? ''
      : ', not in this repository';
    return `${manifest.kind} of ${short(manifest.subject.digest)}${where}`;
  }
  return undefined;
}

/**
 * Untagged manifests that are not untagged in the retention sense: an index lists them (the
 * platforms of a multi-arch tag) or they are attached to a subject. Untagged-manifest rules
 * must not select them; they go with what they belong to. By digest, with the reason.
 */
export function referencedUntaggedManifests(
  graph: RepositoryGraph,
): Map<string, string> {
  const referenced = new Map<string, string>();
  for (const manifest of graph.manifests.values()) {
    if (manifest.tags.length > 0) continue;
    const reason = belongingOf(graph, manifest);
    if (reason) referenced.set(manifest.digest, reason);
  }
  return referenced;
}

/**
 * Why untagged-manifest rules may select nothing in the repository, if they may not: a manifest
 * of it is unreadable, and what an unreadable index lists, or a subject holds, looks untagged
 * and standalone (its parent is not known), though a tag that is kept holds it.
 */
export function untaggedHeldByUnreadable(
  graph: RepositoryGraph,
): string | undefined {
  const unreadable = [...graph.manifests.values()].find(
    manifest => manifest.kind === 'unreadable',
  );
  if (!unreadable) return undefined;
  return `${short(unreadable.digest)} of this repository is unreadable: what it lists cannot be known, so no untagged manifest is selected`;
}

/**
 * Untagged manifests in the retention sense, the ones untagged-manifest rules may select: no
 * tag, not listed by an index, attached to nothing, and of a known kind. None while a manifest
 * of the repository is unreadable (`untaggedHeldByUnreadable`).
 */
export function standaloneUntaggedManifests(
  graph: RepositoryGraph,
): GraphManifest[] {
  if (untaggedHeldByUnreadable(graph)) return [];
  const referenced = referencedUntaggedManifests(graph);
  return [...graph.manifests.values()].filter(
    manifest =>
      manifest.tags.length === 0 &&
      !referenced.has(manifest.digest) &&
      manifest.kind !== 'unknown' &&
      manifest.kind !== 'unreadable',
  );
}

/** A tag naming an attachment: it follows its subject, it takes no keepNewest place. */
export interface AttachmentTag {
  tag: string;
  digest: string;
  kind: ManifestKind;
  subject: string;
}

/** Tags whose manifest is attached to a subject (cosign's `sha256-<hex>.sig`, OCI `subject`). */
export function attachmentTags(
  graph: RepositoryGraph,
): Map<string, AttachmentTag> {
  const attachments = new Map<string, AttachmentTag>();
  for (const [tag, digest] of graph.tags) {
    const manifest = graph.manifests.get(digest);
    if (manifest?.subject) {
      attachments.set(tag, {
        tag,
        digest,
        kind: manifest.kind,
        subject: manifest.subject.digest,
      });
    }
  }
  return attachments;
}

/** What happens to an attachment tag once the other tags are decided. */
export interface AttachmentDecision {
  attachment: AttachmentTag;
  action: 'keep' | 'delete';
  reason: string;
}

/**
 * Attachment tags follow their subject: kept while it is kept (it is in `kept`, the closure of
 * everything the rules keep), deleted with it. One whose subject is not in this repository
 * (cosign's COSIGN_REPOSITORY, a subject deleted earlier) is kept: nothing here says its
 * subject is gone everywhere.
 */
export function decideAttachmentTags(
  graph: RepositoryGraph,
  kept: ReadonlySet<string>,
): AttachmentDecision[] {
  return [...attachmentTags(graph).values()].map(attachment => {
    const subject = short(attachment.subject);
    if (!graph.manifests.has(attachment.subject))
      return {
        attachment,
        action: 'keep',
        reason: `its subject ${subject} is not in this repository`,
      };
    return kept.has(attachment.subject)
      ? { attachment, action: 'keep', reason: `its subject ${subject} is kept` }
      : {
          attachment,
          action: 'delete',
          reason: `deleted with its subject ${subject}`,
        };
  });
}

/** Manifests kept whatever the rules say (unknown type, unreadable), with the reason. */
export function unresolvedManifests(
  graph: RepositoryGraph,
): Map<string, string> {
  const unresolved = new Map<string, string>();
  for (const manifest of graph.manifests.values()) {
    if (manifest.kind === 'unknown' || manifest.kind === 'unreadable')
      unresolved.set(
        manifest.digest,
        `${manifest.kind}: ${manifest.reason ?? 'no reason given'}`,
      );
  }
  return unresolved;
}

/**
 * Tags kept whatever the rules say: the tag's manifest is unknown or unreadable, or a manifest
 * of its closure is unreadable (what it references cannot be known). Unknown artifacts attached
 * to an image or listed by its index go with it.
 */
export function unresolvedTags(graph: RepositoryGraph): Map<string, string> {
  const unresolved = unresolvedManifests(graph);
  const kept = new Map<string, string>();
  for (const [tag, digest] of graph.tags) {
    const own = unresolved.get(digest);
    if (own) {
      kept.set(tag, own);
      continue;
    }
    const unreadable = [...closureOfManifests(graph, [digest]).manifests].find(
      member => graph.manifests.get(member)?.kind === 'unreadable',
    );
    if (unreadable)
      kept.set(
        tag,
        `${short(unreadable)} of its image is unreadable: ${unresolved.get(unreadable)}`,
      );
  }
  return kept;
}

/**
 * What deleting these tags deletes: their closures, less what the other tags' closures and
 * the untagged manifests kept hold (a platform or layer shared with a kept tag stays).
 */
export function deletedWithTags(
  graph: RepositoryGraph,
  deletedTags: ReadonlySet<string>,
  keptUntagged: Iterable<string> = [],
): Closure {
  const keptTags = [...graph.tags.keys()].filter(tag => !deletedTags.has(tag));
  const kept = closureOfManifests(graph, [
    ...closureOfTags(graph, keptTags).manifests,
    ...keptUntagged,
  ]);
  const deleted = closureOfTags(graph, deletedTags);
  return {
    manifests: new Set(
      [...deleted.manifests].filter(d => !kept.manifests.has(d)),
    ),
    blobs: new Set([...deleted.blobs].filter(d => !kept.blobs.has(d))),
  };
}
