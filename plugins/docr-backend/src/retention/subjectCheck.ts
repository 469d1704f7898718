import type {
  DeletionJournal,
  JournalEntry,
  RetentionRunKey,
} from './DeletionJournal';
import type { CheckResult, TagChecker } from './TagChecker';

const short = (digest: string) => digest.slice(0, 19);

/**
 * Whether an attachment (a signature, attestation or SBOM tag, an untagged referrer) may go:
 * only once the deletion of the manifest it is deleted with is settled as deleted in this
 * occurrence, and no tag of a fresh listing points at that manifest. Otherwise it is kept with
 * its subject (`changed`), or left planned while its subject's deletion is (`later`).
 * An entry that follows no subject may go.
 */
export async function checkSubject(
  journal: DeletionJournal,
  checker: TagChecker,
  key: RetentionRunKey,
  entry: JournalEntry,
): Promise<CheckResult | { later: string }> {
  const subject = entry.subjectDigest;
  if (!subject) return { value: { verdict: 'delete' } };
  const outcome = await journal.subjectOutcome(key, entry.repository, subject);
  if (outcome === 'planned')
    return { later: `its subject ${short(subject)} is still to be deleted` };
  if (outcome === 'kept')
    return {
      value: {
        verdict: 'changed',
        detail: `kept with its subject ${short(subject)}, whose deletion was not done in this window`,
      },
    };
  const tagged = await checker.tagsPointingAt(entry.repository, subject);
  if (tagged.value === undefined) return tagged;
  if (tagged.value.length > 0)
    return {
      value: {
        verdict: 'changed',
        detail: `kept with its subject ${short(subject)}, tagged again (${tagged.value.join(', ')})`,
      },
    };
  return { value: { verdict: 'delete' } };
}
