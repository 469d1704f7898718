import type { RetentionTagPreviewView } from '@backstage-docr/plugin-docr-common';
import {
  cosignTag,
  describePreviewTag,
  describeReason,
  displayTag,
  pullCommand,
} from './imageGraph';

const HEX = `0123456789ab${'c'.repeat(52)}`;

const previewTag = (
  fields: Partial<RetentionTagPreviewView>,
): RetentionTagPreviewView => ({
  tag: 'v1',
  digest: 'sha256:11',
  updatedAt: '2026-11-23T09:00:00Z',
  compressedSizeBytes: 1,
  reasons: [],
  reason: '',
  ...fields,
});

describe('the words for an image graph', () => {
  it('reads the subject and the kind from cosign’s tag names', () => {
    expect(cosignTag(`sha256-${HEX}.sig`)).toEqual({
      subjectDigest: `sha256:${HEX}`,
      kind: 'signature',
    });
    expect(cosignTag(`sha256-${HEX}.att`)?.kind).toBe('attestation');
    expect(cosignTag('v1.sig')).toBeUndefined();
  });

  it('shortens cosign tags as digests are, and leaves other tags as they are', () => {
    expect(displayTag(`sha256-${HEX}.sig`)).toBe('sha256-0123456789ab….sig');
    expect(displayTag('v1.4.0')).toBe('v1.4.0');
  });

  it('pulls a Helm chart with helm and anything else with docker', () => {
    expect(
      pullCommand('acme-prod', 'charts/gateway', '1.4.0', 'helm-chart'),
    ).toBe(
      'helm pull oci://registry.digitalocean.com/acme-prod/charts/gateway --version 1.4.0',
    );
    expect(pullCommand('acme-prod', 'gateway', '1.4.0', 'index')).toBe(
      'docker pull registry.digitalocean.com/acme-prod/gateway:1.4.0',
    );
  });

  it('says an attachment follows its subject, by tag or by digest', () => {
    expect(
      describeReason(
        {
          kind: 'attachment',
          subjectDigest: `sha256:${HEX}`,
          subjectTag: 'v1.4.0',
          follows: 'kept',
        },
        'signature',
      ),
    ).toBe('signature of v1.4.0: kept with it');
    expect(
      describeReason(
        {
          kind: 'attachment',
          subjectDigest: `sha256:${HEX}`,
          follows: 'deleted',
        },
        'sbom',
      ),
    ).toBe('SBOM of sha256:0123456789ab: deleted with it');
  });

  it('says why manifests it cannot tell or read are kept', () => {
    expect(
      describeReason({ kind: 'unknownType', reason: 'artifactType x/y' }),
    ).toBe('kept: type unknown (artifactType x/y)');
    expect(describeReason({ kind: 'unreadable', reason: 'HTTP 500' })).toBe(
      'kept: unreadable (HTTP 500)',
    );
    expect(describeReason({ kind: 'newest', rule: 0, keepNewest: 3 })).toBe(
      'among the 3 newest of rule 1',
    );
  });

  it('names an attachment tag as its subject’s closure lists it, else by its cosign name', () => {
    const reasons: RetentionTagPreviewView['reasons'] = [
      {
        kind: 'attachment',
        subjectDigest: `sha256:${HEX}`,
        subjectTag: '2.3.1',
        follows: 'kept',
      },
    ];
    const signature = previewTag({ tag: 'signed-by-ci', reasons });
    const subject = previewTag({
      tag: '2.3.1',
      closure: {
        platforms: [],
        attachments: [
          { kind: 'signature', tag: 'signed-by-ci', digest: 'sha256:22' },
        ],
      },
    });
    expect(describePreviewTag(signature, [subject, signature])).toBe(
      'signature of 2.3.1: kept with it',
    );
    const attestation = previewTag({ tag: `sha256-${HEX}.att`, reasons });
    expect(describePreviewTag(attestation, [attestation])).toBe(
      'attestation of 2.3.1: kept with it',
    );
  });

  it('keeps the backend’s words when a tag comes without structured reasons', () => {
    expect(
      describePreviewTag(previewTag({ reason: 'push time unknown: kept' }), []),
    ).toBe('push time unknown: kept');
  });
});
