import type { RepositoryTagImageView } from '@backstage-docr/plugin-docr-common';
import { closureOfManifests, type RepositoryGraph } from './graph';

/**
 * What a tag's manifest is, from its repository's graph: kind, platforms, and whether its
 * closure holds a signature, an attestation and an SBOM. Undefined for a digest not read.
 */
export function tagImage(
  graph: RepositoryGraph | undefined,
  digest: string,
): RepositoryTagImageView | undefined {
  const manifest = graph?.manifests.get(digest);
  if (!graph || !manifest) return undefined;
  const kinds = new Set(
    [...closureOfManifests(graph, [digest]).manifests].map(
      member => graph.manifests.get(member)?.kind,
    ),
  );
  return {
    kind: manifest.kind,
    platforms: (manifest.facts?.children ?? []).flatMap(child =>
      child.platform ? [child.platform] : [],
    ),
    signed: kinds.has('signature'),
    attested: kinds.has('attestation'),
    sbom: kinds.has('sbom'),
    ...(manifest.reason ? { reason: manifest.reason } : {}),
  };
}
