import type { GraphManifest, RepositoryGraph } from './model';

/** Manifests and the blobs they reference. */
export interface Closure {
  manifests: Set<string>;
  blobs: Set<string>;
}

/** A manifest's blobs: its config and layers as read, and those DigitalOcean lists for it. */
export function blobsOf(manifest: GraphManifest): string[] {
  const read = manifest.facts
    ? [manifest.facts.config, ...manifest.facts.layers].flatMap(blob =>
        blob ? [blob.digest] : [],
      )
    : [];
  const listed = (manifest.listed?.blobs ?? []).flatMap(blob =>
    blob.digest ? [blob.digest] : [],
  );
  return [...new Set([...read, ...listed])];
}

/**
 * The manifests given, every child of an index among them, and every manifest attached to any
 * of those (signature, attestation, SBOM, referrer), transitively; with their configs and
 * layers. Digests the repository does not hold are left out.
 */
export function closureOfManifests(
  graph: RepositoryGraph,
  digests: Iterable<string>,
): Closure {
  const closure: Closure = { manifests: new Set(), blobs: new Set() };
  const pending = [...digests];
  for (let digest = pending.pop(); digest; digest = pending.pop()) {
    const manifest = graph.manifests.get(digest);
    if (!manifest || closure.manifests.has(digest)) continue;
    closure.manifests.add(digest);
    blobsOf(manifest).forEach(blob => closure.blobs.add(blob));
    pending.push(
      ...(manifest.facts?.children ?? []).map(child => child.digest),
      ...manifest.referrers,
    );
  }
  return closure;
}

/** What a tag holds: its manifest's closure; empty for a tag the repository does not have. */
export function closureOf(graph: RepositoryGraph, tag: string): Closure {
  const digest = graph.tags.get(tag);
  return closureOfManifests(graph, digest ? [digest] : []);
}

/** The closure of several tags together. */
export function closureOfTags(
  graph: RepositoryGraph,
  tags: Iterable<string>,
): Closure {
  const digests = [...tags].flatMap(tag => {
    const digest = graph.tags.get(tag);
    return digest ? [digest] : [];
  });
  return closureOfManifests(graph, digests);
}
