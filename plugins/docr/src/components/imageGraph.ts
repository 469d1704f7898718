import {
  describeRetentionReason,
  type RetentionReason,
  type RetentionTagPreviewView,
} from '@backstage-docr/plugin-docr-common';

const ATTACHMENT_KINDS: ReadonlySet<string> = new Set([
  'signature',
  'attestation',
  'sbom',
  'referrer',
]);

/** Signatures, attestations, SBOMs and other referrers belong to a subject: no build of their own. */
export function isAttachment(kind: string | undefined): boolean {
  return kind !== undefined && ATTACHMENT_KINDS.has(kind);
}

/** "signature", "attestation", "SBOM", "referrer"; "attachment" for any other kind. */
export function attachmentNoun(kind: string | undefined): string {
  if (kind === 'sbom') return 'SBOM';
  return isAttachment(kind) ? kind! : 'attachment';
}

/** sha256:0123456789abcdef… → sha256:0123456789ab */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}

const COSIGN_TAG = /^(sha256)-([0-9a-f]{64})\.(sig|att|sbom)$/;
const COSIGN_KINDS: Record<string, string> = {
  sig: 'signature',
  att: 'attestation',
  sbom: 'sbom',
};

/** Cosign's tag scheme: `sha256-<hex>.sig` is a signature of `sha256:<hex>`. */
export function cosignTag(
  tag: string,
): { subjectDigest: string; kind: string } | undefined {
  const match = COSIGN_TAG.exec(tag);
  return match
    ? { subjectDigest: `${match[1]}:${match[2]}`, kind: COSIGN_KINDS[match[3]] }
    : undefined;
}

/** A cosign tag, shortened as digests are: `sha256-0123456789ab….sig`; any other tag as it is. */
export function displayTag(tag: string): string {
  const match = COSIGN_TAG.exec(tag);
  return match ? `${match[1]}-${match[2].slice(0, 12)}….${match[3]}` : tag;
}

/** The command that pulls a tag: Helm charts with helm, anything else with docker. */
export function pullCommand(
  registry: string,
  repository: string,
  tag: string,
  kind?: string,
): string {
  return kind === 'helm-chart'
    ? `helm pull oci://registry.digitalocean.com/${registry}/${repository} --version ${tag}`
    : `docker pull registry.digitalocean.com/${registry}/${repository}:${tag}`;
}

/**
 * A reason in words. `attachmentKind` names what an attachment is ("signature of 1.4.0: kept
 * with it"); the reasons about rules read as docr-common words them.
 */
export function describeReason(
  reason: RetentionReason,
  attachmentKind?: string,
): string {
  switch (reason.kind) {
    case 'attachment': {
      const subject = reason.subjectTag ?? shortDigest(reason.subjectDigest);
      return `${attachmentNoun(attachmentKind)} of ${subject}: ${reason.follows} with it`;
    }
    case 'unknownType':
      return `kept: type unknown (${reason.reason})`;
    case 'unreadable':
      return `kept: unreadable (${reason.reason})`;
    default:
      return describeRetentionReason(reason);
  }
}

/**
 * What an attachment tag of a repository's preview is: as a kept or deleted tag's closure lists
 * it, else as its cosign tag name says.
 */
export function attachmentKindOf(
  tag: RetentionTagPreviewView,
  repositoryTags: RetentionTagPreviewView[],
): string | undefined {
  for (const other of repositoryTags) {
    const found = other.closure?.attachments.find(
      a => a.tag === tag.tag || a.digest === tag.digest,
    );
    if (found) return found.kind;
  }
  return cosignTag(tag.tag)?.kind;
}

/** A preview tag's reasons in words, joined as the backend joins them. */
export function describePreviewTag(
  tag: RetentionTagPreviewView,
  repositoryTags: RetentionTagPreviewView[],
): string {
  if (!tag.reasons.length) return tag.reason;
  const kind = attachmentKindOf(tag, repositoryTags);
  return tag.reasons.map(reason => describeReason(reason, kind)).join('; ');
}
