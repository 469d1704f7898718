import {
  Descriptor,
  MEDIA_TYPES,
  ManifestDocument,
  digestOf,
  parseManifest,
} from './model/manifestDocument';
import { sha256Digest } from './model/registryStorage';

/**
 * The documents of the demo's OCI content, built deterministically from names and sizes so that
 * the same seed always gives the same digests. Configs, manifests, signatures and SBOMs are real
 * bytes; image layers and chart archives are held by size only, as the emulator's other images.
 */

/** A blob to store: with its bytes, or a layer known by its size. */
export interface SeedBlob {
  mediaType: string;
  digest: string;
  size: number;
  content?: Buffer;
}

/** A manifest with the blobs it needs. */
export interface SeedArtifact {
  manifest: ManifestDocument;
  blobs: SeedBlob[];
}

export const COSIGN_MEDIA_TYPES = {
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
  signatureAnnotation: 'dev.cosignproject.cosign/signature',
};
export const SPDX_MEDIA_TYPE = 'application/spdx+json';
export const HELM_MEDIA_TYPES = {
  config: 'application/vnd.cncf.helm.config.v1+json',
  chart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
};

function jsonBlob(mediaType: string, value: unknown): SeedBlob {
  const content = Buffer.from(JSON.stringify(value));
  return {
    mediaType,
    content,
    size: content.length,
    digest: digestOf(content),
  };
}

function sizedBlob(mediaType: string, name: string, size: number): SeedBlob {
  return { mediaType, digest: sha256Digest(name), size };
}

const descriptor = ({ mediaType, digest, size }: SeedBlob): Descriptor => ({
  mediaType,
  digest,
  size,
});

const manifestDescriptor = (manifest: ManifestDocument): Descriptor => ({
  mediaType: manifest.mediaType,
  digest: manifest.digest,
  size: manifest.raw.length,
});

function ociManifest(
  config: SeedBlob,
  layers: SeedBlob[],
  extra: {
    artifactType?: string;
    subject?: Descriptor;
    annotations?: Record<string, string>;
  } = {},
): ManifestDocument {
  const { artifactType, subject, annotations } = extra;
  const document = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    ...(artifactType ? { artifactType } : {}),
    config: descriptor(config),
    layers: layers.map(descriptor),
    ...(subject ? { subject } : {}),
    ...(annotations ? { annotations } : {}),
  };
  return parseManifest(Buffer.from(JSON.stringify(document)), undefined);
}

/** An image for one platform (`linux/arm64`): its config and `layerCount` layers of `bytes`. */
export function platformImage(
  id: string,
  platform: string,
  bytes: number,
  layerCount: number,
): SeedArtifact {
  const [os, architecture] = platform.split('/');
  const layers = Array.from({ length: layerCount }, (_, i) =>
    sizedBlob(
      MEDIA_TYPES.ociLayer,
      `${id}:${platform}:layer-${i}`,
      Math.floor(bytes / layerCount) + (i === 0 ? bytes % layerCount : 0),
    ),
  );
  const config = jsonBlob(MEDIA_TYPES.ociConfig, {
    architecture,
    os,
    config: { Labels: { 'org.opencontainers.image.source': id } },
    rootfs: { type: 'layers', diff_ids: layers.map(l => l.digest) },
  });
  return { manifest: ociManifest(config, layers), blobs: [config, ...layers] };
}

/** An OCI index over platform images. */
export function imageIndex(
  platforms: Array<{ platform: string; image: SeedArtifact }>,
): ManifestDocument {
  const document = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: platforms.map(({ platform, image }) => {
      const [os, architecture] = platform.split('/');
      return {
        ...manifestDescriptor(image.manifest),
        platform: { architecture, os },
      };
    }),
  };
  return parseManifest(Buffer.from(JSON.stringify(document)), undefined);
}

/** cosign's tag for what it attaches to a manifest: `sha256-<hex>.sig`, `.att`. */
export function cosignTag(digest: string, suffix: 'sig' | 'att'): string {
  return `${digest.replace(':', '-')}.${suffix}`;
}

/** A cosign signature manifest: one simple-signing payload layer with its signature annotation. */
export function cosignSignature(
  reference: string,
  image: ManifestDocument,
): SeedArtifact {
  const payload = jsonBlob(COSIGN_MEDIA_TYPES.simpleSigning, {
    critical: {
      identity: { 'docker-reference': reference },
      image: { 'docker-manifest-digest': image.digest },
      type: 'cosign container image signature',
    },
    optional: null,
  });
  const annotations = {
    [COSIGN_MEDIA_TYPES.signatureAnnotation]: fakeSignature(payload.digest),
  };
  return cosignManifest(payload, annotations);
}

/** A cosign attestation manifest: one DSSE envelope of an in-toto SLSA provenance statement. */
export function cosignAttestation(
  reference: string,
  image: ManifestDocument,
): SeedArtifact {
  const predicateType = 'https://slsa.dev/provenance/v0.2';
  const statement = {
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType,
    subject: [{ name: reference, digest: { sha256: image.digest.slice(7) } }],
    predicate: { builder: { id: 'https://github.com/acme/ci' } },
  };
  const payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  const envelope = jsonBlob(COSIGN_MEDIA_TYPES.dsseEnvelope, {
    payloadType: 'application/vnd.in-toto+json',
    payload,
    signatures: [{ keyid: '', sig: fakeSignature(digestOf(payload)) }],
  });
  return cosignManifest(envelope, {
    [COSIGN_MEDIA_TYPES.signatureAnnotation]: '',
    predicateType,
  });
}

function cosignManifest(
  layer: SeedBlob,
  annotations: Record<string, string>,
): SeedArtifact {
  const config = jsonBlob(MEDIA_TYPES.ociConfig, {
    architecture: '',
    config: {},
    created: '0001-01-01T00:00:00Z',
    history: [{ created: '0001-01-01T00:00:00Z' }],
    os: '',
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
  });
  const document = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: descriptor(config),
    layers: [{ ...descriptor(layer), annotations }],
  };
  return {
    manifest: parseManifest(Buffer.from(JSON.stringify(document)), undefined),
    blobs: [config, layer],
  };
}

/** An OCI 1.1 referrer: an SPDX SBOM whose `subject` is the image. */
export function spdxReferrer(
  reference: string,
  image: ManifestDocument,
): SeedArtifact {
  const empty = jsonBlob(MEDIA_TYPES.ociEmpty, {});
  const sbom = jsonBlob(SPDX_MEDIA_TYPE, {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: reference,
    documentNamespace: `https://acme.example/spdx/${image.digest}`,
    packages: [
      { name: reference, SPDXID: 'SPDXRef-image', versionInfo: image.digest },
    ],
  });
  const manifest = ociManifest(empty, [sbom], {
    artifactType: SPDX_MEDIA_TYPE,
    subject: manifestDescriptor(image),
  });
  return { manifest, blobs: [empty, sbom] };
}

/** A Helm chart as `helm push` stores it: the chart's metadata as config, the archive as layer. */
export function helmChart(
  name: string,
  version: string,
  archiveBytes: number,
): SeedArtifact {
  const config = jsonBlob(HELM_MEDIA_TYPES.config, {
    name,
    version,
    description: `A Helm chart for ${name}`,
    apiVersion: 'v2',
    appVersion: version,
    type: 'application',
  });
  const archive = sizedBlob(
    HELM_MEDIA_TYPES.chart,
    `helm:${name}-${version}.tgz`,
    archiveBytes,
  );
  const manifest = ociManifest(config, [archive], {
    annotations: {
      'org.opencontainers.image.title': name,
      'org.opencontainers.image.version': version,
    },
  });
  return { manifest, blobs: [config, archive] };
}

/** Not a real signature: stable base64 standing in for one (no key signs the demo). */
function fakeSignature(digest: string): string {
  return Buffer.from(`MEUCIQ${digest.slice(7, 71)}`).toString('base64');
}
