import {
  RetentionRule,
  TagDecision,
  describeRetentionReason,
} from '@backstage-docr/plugin-docr-common';
import type { RepositoryContents } from '../repositories/RepositoryCache';
import type { PlannedDeletion } from './DeletionJournal';
import type { GraphOrFailure } from './graphSelection';
import type { RegistryInUse } from './inUseSelection';
import { ListedTag, selectRetention } from './selection';

const isAttachment = (d: TagDecision<ListedTag>) =>
  d.reasons.some(r => r.kind === 'attachment');
/** Deleted tags have a known push time (unknown ones are kept), but for attachments. */
const pushedAt = (d: TagDecision<ListedTag>) => d.tag.updatedAt?.getTime() ?? 0;

type Selection = ReturnType<typeof selectRetention>;

/**
 * The digest of the tag an attachment is deleted with: the deleted tag (not itself an attachment)
 * whose closure holds it, else the subject its reason names.
 */
function subjectDigestOf(
  attachment: TagDecision<ListedTag>,
  { decisions, graph }: Selection,
): string | undefined {
  const digest = attachment.tag.listed.manifest_digest;
  const holder = decisions.find(
    d =>
      d.action === 'delete' &&
      !isAttachment(d) &&
      d.tag.repository === attachment.tag.repository &&
      graph?.closures
        .get(`${d.tag.repository}\n${d.tag.tag}`)
        ?.attachments.some(a => a.digest === digest),
  );
  const named = attachment.reasons.flatMap(r =>
    r.kind === 'attachment' ? [r.subjectDigest] : [],
  )[0];
  return holder?.tag.listed.manifest_digest ?? named;
}

/** The digest of the deleted tag an untagged referrer is deleted with. */
function referrerSubjectDigest(
  repository: string,
  subjectTag: string,
  { decisions }: Selection,
): string | undefined {
  return decisions.find(
    d => d.tag.repository === repository && d.tag.tag === subjectTag,
  )?.tag.listed.manifest_digest;
}

/**
 * The deletions the rules select in a listing, as the journal holds them: per repository, the
 * tags oldest first (a run cut short by the window's end has deleted the oldest), then the
 * untagged manifests. The same selection as the preview's (`selectRetention`).
 */
export function planDeletions(
  repositories: RepositoryContents[],
  rules: RetentionRule[],
  now: Date,
  /** Each repository's image graph (or why none was read); without, the listing alone. */
  graphs?: ReadonlyMap<string, GraphOrFailure>,
  /** What runs from the registry: kept with its closure; held back, nothing is deleted. */
  inUse?: RegistryInUse,
): {
  deletions: PlannedDeletion[];
  estimatedFreedBytes: number;
  tagsListed: number;
  /** Manifests in use by digest that no kept tag holds (the GC must not remove them). */
  untaggedInUse: Array<{ repository: string; digest: string }>;
} {
  const selection = selectRetention(repositories, rules, now, graphs, inUse);
  const { decisions, untagged, freed, graph } = selection;
  const followed = (d: TagDecision<ListedTag>) =>
    isAttachment(d) ? subjectDigestOf(d, selection) : undefined;
  const tags = decisions
    .filter(d => d.action === 'delete')
    .sort(
      (a, b) =>
        a.tag.repository.localeCompare(b.tag.repository) ||
        // Attachments after their subjects: a run cut short leaves no kept tag unsigned.
        Number(isAttachment(a)) - Number(isAttachment(b)) ||
        pushedAt(a) - pushedAt(b) ||
        a.tag.tag.localeCompare(b.tag.tag),
    )
    .map(decision => ({ ...decision, subject: followed(decision) }))
    .map(({ tag, reasons, subject }) => ({
      ...(subject ? { subjectDigest: subject } : {}),
      repository: tag.repository,
      tag: tag.tag,
      digest: tag.listed.manifest_digest ?? '',
      rule:
        tag.rule ??
        Math.min(
          ...reasons.map(r => ('rule' in r ? r.rule : Number.MAX_SAFE_INTEGER)),
        ),
      reason: reasons.map(describeRetentionReason).join('; '),
      compressedSizeBytes: tag.listed.compressed_size_bytes ?? 0,
    }));
  const manifests = untagged.map(({ manifest, rule }) => ({
    repository: manifest.repository,
    digest: manifest.digest,
    rule,
    reason: `rule ${rule + 1}: untagged and pushed longer ago than ${rules[rule].untaggedManifestsOlderThan}`,
    compressedSizeBytes: manifest.listed.compressed_size_bytes ?? 0,
  }));
  const referrers = (graph?.referrers ?? []).map(
    ({ manifest, subjectTag, rule }) => ({
      subjectDigest: referrerSubjectDigest(
        manifest.repository,
        subjectTag,
        selection,
      ),
      repository: manifest.repository,
      digest: manifest.digest,
      rule,
      reason: `rule ${rule + 1}: attached to ${subjectTag}, deleted with it`,
      compressedSizeBytes: manifest.listed.compressed_size_bytes ?? 0,
    }),
  );
  return {
    deletions: [...tags, ...referrers, ...manifests],
    estimatedFreedBytes: freed.total,
    tagsListed: decisions.length,
    untaggedInUse: selection.untaggedInUse,
  };
}
