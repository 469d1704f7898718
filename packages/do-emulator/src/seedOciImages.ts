import type { EmulatedAccount } from './model/account';
import type { ManifestDocument } from './model/manifestDocument';
import {
  SeedArtifact,
  cosignAttestation,
  cosignSignature,
  cosignTag,
  helmChart,
  imageIndex,
  platformImage,
  spdxReferrer,
} from './seedOciDocuments';

const MIB = 1024 ** 2;

/**
 * OCI content to seed a registry with, pushed through the same store as the registry host's
 * pushes: a (multi-arch) image with cosign's signature and attestation or an SBOM referrer, or a
 * Helm chart. Its digests depend only on these fields, so they are the same at every start.
 */
export interface SeedOciImage {
  repository: string;
  tags: string[];
  /** `os/architecture` per platform (default `linux/amd64`); two or more make an OCI index. */
  platforms?: string[];
  /** Compressed size of each platform's layers (default 50). */
  sizeMiB?: number;
  layerCount?: number;
  /** cosign's tag-based `sha256-<hex>.sig` signature and `.att` attestation. */
  cosign?: Array<'signature' | 'attestation'>;
  /** An OCI 1.1 referrer: an SPDX SBOM (`artifactType` application/spdx+json) of the image. */
  sbom?: boolean;
  /** A Helm chart (config application/vnd.cncf.helm.config.v1+json) instead of an image. */
  helmChart?: { name: string; version: string; sizeKiB?: number };
  /** An ISO 8601 time to date the push in the past; default when the seed is applied. */
  pushedAt?: string;
}

/** Pushes the seed's OCI image (its platforms, index, signatures, SBOM) into the registry. */
export function pushSeedOciImage(
  account: EmulatedAccount,
  registryName: string,
  image: SeedOciImage,
): void {
  const pushedAt = image.pushedAt ? Date.parse(image.pushedAt) : account.now();
  if (Number.isNaN(pushedAt)) {
    throw new Error(
      `Seed OCI image ${registryName}/${image.repository} has pushedAt "${image.pushedAt}", not an ISO 8601 time`,
    );
  }
  const store = (artifact: SeedArtifact, tags: string[]) =>
    storeArtifact(
      account,
      registryName,
      image.repository,
      artifact,
      tags,
      pushedAt,
    );
  if (image.helmChart) {
    const { name, version, sizeKiB } = image.helmChart;
    store(
      helmChart(name, version, Math.round((sizeKiB ?? 4) * 1024)),
      image.tags,
    );
    return;
  }
  const top = pushImage(image, registryName, store);
  const reference = `registry.digitalocean.com/${registryName}/${image.repository}`;
  if (image.cosign?.includes('signature'))
    store(cosignSignature(reference, top), [cosignTag(top.digest, 'sig')]);
  if (image.cosign?.includes('attestation'))
    store(cosignAttestation(reference, top), [cosignTag(top.digest, 'att')]);
  if (image.sbom) store(spdxReferrer(reference, top), []);
}

/** The image itself: one manifest, or an index tagged over untagged platform manifests. */
function pushImage(
  image: SeedOciImage,
  registryName: string,
  store: (artifact: SeedArtifact, tags: string[]) => void,
): ManifestDocument {
  const bytes = Math.round((image.sizeMiB ?? 50) * MIB);
  const platforms = (image.platforms ?? ['linux/amd64']).map(platform => ({
    platform,
    image: platformImage(
      `${registryName}/${image.repository}`,
      platform,
      bytes,
      Math.max(1, image.layerCount ?? 3),
    ),
  }));
  if (platforms.length === 1) {
    store(platforms[0].image, image.tags);
    return platforms[0].image.manifest;
  }
  for (const platform of platforms) store(platform.image, []);
  const index = imageIndex(platforms);
  store({ manifest: index, blobs: [] }, image.tags);
  return index;
}

function storeArtifact(
  account: EmulatedAccount,
  registryName: string,
  repository: string,
  { manifest, blobs }: SeedArtifact,
  tags: string[],
  pushedAt: number,
): void {
  const bytes = blobs.reduce((sum, b) => sum + b.size, manifest.raw.length);
  account.writeContent(
    registryName,
    repository,
    () => bytes,
    storage => {
      for (const blob of blobs)
        storage.storeBlob(repository, blob.digest, blob.size, blob.content);
      for (const tag of tags.length ? tags : [undefined])
        storage.putManifest(repository, manifest, tag, pushedAt);
    },
  );
}
