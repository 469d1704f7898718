import {
  isIndexMediaType,
  type RegistryManifest,
} from '@backstage-docr/plugin-docr-node';
import type { ManifestFacts, ManifestKind, SubjectSource } from './model';

export const HELM_CONFIG_MEDIA_TYPE =
  'application/vnd.cncf.helm.config.v1+json';
const IMAGE_CONFIG_MEDIA_TYPES = new Set([
  'application/vnd.docker.container.image.v1+json',
  'application/vnd.oci.image.config.v1+json',
]);
const COSIGN_SIGNATURE_LAYER =
  'application/vnd.dev.cosign.simplesigning.v1+json';
const SIGNATURE_ARTIFACT_TYPES = [
  'application/vnd.dev.cosign.artifact.sig.v1+json',
  'application/vnd.cncf.notary.signature',
  'application/vnd.dev.sigstore.bundle',
];
const ATTESTATION_TYPES = [
  'application/vnd.dsse.envelope.v1+json',
  'application/vnd.in-toto',
  'application/vnd.dev.cosign.artifact.att.v1+json',
];
const SBOM_TYPES = [
  'text/spdx',
  'application/spdx',
  'application/vnd.cyclonedx',
  'application/vnd.syft',
  'application/vnd.dev.cosign.artifact.sbom.v1+json',
];

const startsWithAny = (value: string | undefined, prefixes: string[]) =>
  value !== undefined && prefixes.some(prefix => value.startsWith(prefix));

/** The few fields of a manifest document that the graph keeps. */
export function factsOf(manifest: RegistryManifest): ManifestFacts {
  const { document } = manifest;
  if (document.kind === 'index') {
    return {
      mediaType: manifest.mediaType,
      artifactType: document.index.artifactType,
      layers: [],
      children: document.index.manifests.map(child => ({
        digest: child.digest,
        mediaType: child.mediaType,
        platform: child.platform
          ? [
              child.platform.os,
              child.platform.architecture,
              child.platform.variant,
            ]
              .filter(Boolean)
              .join('/')
          : undefined,
      })),
      subject: document.index.subject?.digest,
    };
  }
  const blob = ({ digest, mediaType, size }: ManifestFacts['layers'][0]) => ({
    digest,
    mediaType,
    size,
  });
  return {
    mediaType: manifest.mediaType,
    artifactType: document.manifest.artifactType,
    config: blob(document.manifest.config),
    layers: document.manifest.layers.map(blob),
    children: [],
    subject: document.manifest.subject?.digest,
  };
}

const COSIGN_TAG =
  /^(sha256|sha512)-([a-f0-9]{64}|[a-f0-9]{128})(?:\.(sig|att|sbom))?$/;
const COSIGN_SUFFIX_KIND = {
  sig: 'signature',
  att: 'attestation',
  sbom: 'sbom',
} as const;

/**
 * The subject a tag names by cosign's scheme (`sha256-<hex>.sig|.att|.sbom`) or by the OCI
 * referrers tag schema (`sha256-<hex>`), with the kind the suffix promises.
 */
export function subjectOfTag(tag: string):
  | {
      digest: string;
      source: SubjectSource;
      kind?: 'signature' | 'attestation' | 'sbom';
    }
  | undefined {
  const match = tag.match(COSIGN_TAG);
  if (!match) return undefined;
  const digest = `${match[1]}:${match[2]}`;
  const suffix = match[3] as keyof typeof COSIGN_SUFFIX_KIND | undefined;
  return suffix
    ? { digest, source: 'cosign-tag', kind: COSIGN_SUFFIX_KIND[suffix] }
    : { digest, source: 'referrers-tag' };
}

/** What the layers' media types say the artifact is, when they all agree. */
function kindOfLayers(facts: ManifestFacts): ManifestKind | undefined {
  const types = facts.layers.map(layer => layer.mediaType);
  if (types.length === 0) return undefined;
  if (types.every(type => type === COSIGN_SIGNATURE_LAYER)) return 'signature';
  if (types.every(type => startsWithAny(type, ATTESTATION_TYPES)))
    return 'attestation';
  if (types.every(type => startsWithAny(type, SBOM_TYPES))) return 'sbom';
  return undefined;
}

/**
 * The kind of an artifact attached to a subject, by its artifact type, else its layers; an
 * artifact of any other type is `unknown` (kept: nothing says it may go with its subject).
 */
function kindOfAttached(facts: ManifestFacts): Classification {
  const type = facts.artifactType ?? facts.config?.mediaType;
  if (startsWithAny(type, SIGNATURE_ARTIFACT_TYPES))
    return { kind: 'signature' };
  if (startsWithAny(type, ATTESTATION_TYPES)) return { kind: 'attestation' };
  if (startsWithAny(type, SBOM_TYPES)) return { kind: 'sbom' };
  const byLayers = kindOfLayers(facts);
  if (byLayers) return { kind: byLayers };
  return {
    kind: 'unknown',
    reason: `artifact of type ${type ?? 'none'} attached to ${facts.subject}, not a signature, attestation or SBOM`,
  };
}

export interface Classification {
  kind: ManifestKind;
  reason?: string;
  subject?: { digest: string; source: SubjectSource };
}

/**
 * A readable manifest's kind and subject. Its own `subject` field wins; then a tag in cosign's
 * scheme, if the layers are what that scheme's suffix promises (a tag that only looks like one
 * is `unknown`, so kept); then index, Helm chart (by config media type), image; else `unknown`.
 */
export function classify(facts: ManifestFacts, tags: string[]): Classification {
  if (facts.subject) {
    return {
      ...kindOfAttached(facts),
      subject: { digest: facts.subject, source: 'subject' },
    };
  }
  const named = tags.map(subjectOfTag).find(Boolean);
  if (named?.source === 'cosign-tag') {
    const { digest, source } = named;
    return kindOfLayers(facts) === named.kind
      ? { kind: named.kind!, subject: { digest, source } }
      : {
          kind: 'unknown',
          reason: `tagged as a cosign ${named.kind} of ${digest}, but its layers are not one`,
        };
  }
  if (isIndexMediaType(facts.mediaType)) {
    return named
      ? {
          kind: 'index',
          subject: { digest: named.digest, source: named.source },
        }
      : { kind: 'index' };
  }
  const configType = facts.config?.mediaType;
  if (configType === HELM_CONFIG_MEDIA_TYPE) return { kind: 'helm-chart' };
  if (configType && IMAGE_CONFIG_MEDIA_TYPES.has(configType)) {
    // Buildx stores provenance and SBOMs as image manifests of in-toto layers in the index.
    return {
      kind: kindOfLayers(facts) === 'attestation' ? 'attestation' : 'image',
    };
  }
  return {
    kind: 'unknown',
    reason: `artifact of type ${facts.artifactType ?? configType ?? 'none'}, not an image, index or Helm chart`,
  };
}
