import {
  RetentionRule,
  describeRetentionReason,
} from '@backstage-docr/plugin-docr-common';
import type { RepositoryContents } from '../repositories/RepositoryCache';
import type { PlannedDeletion } from './DeletionJournal';
import { selectRetention } from './selection';

/**
 * The deletions the rules select in a listing, as the journal holds them: per repository, the
 * tags oldest first (a run cut short by the window's end has deleted the oldest), then the
 * untagged manifests. The same selection as the preview's (`selectRetention`).
 */
export function planDeletions(
  repositories: RepositoryContents[],
  rules: RetentionRule[],
  now: Date,
): {
  deletions: PlannedDeletion[];
  estimatedFreedBytes: number;
  tagsListed: number;
} {
  const { decisions, untagged, freed } = selectRetention(
    repositories,
    rules,
    now,
  );
  const tags = decisions
    .filter(d => d.action === 'delete')
    .sort(
      (a, b) =>
        a.tag.repository.localeCompare(b.tag.repository) ||
        // Deleted tags have a known push time: unknown ones are kept.
        a.tag.updatedAt!.getTime() - b.tag.updatedAt!.getTime() ||
        a.tag.tag.localeCompare(b.tag.tag),
    )
    .map(({ tag, reasons }) => ({
      repository: tag.repository,
      tag: tag.tag,
      digest: tag.listed.manifest_digest ?? '',
      rule: Math.min(
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
  return {
    deletions: [...tags, ...manifests],
    estimatedFreedBytes: freed.total,
    tagsListed: decisions.length,
  };
}
