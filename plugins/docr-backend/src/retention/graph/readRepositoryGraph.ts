import { toError } from '@backstage/errors';
import {
  RegistryHostError,
  type RegistryHostClient,
} from '@backstage-docr/plugin-docr-node';
import type { RepositoryContents } from '../../repositories/RepositoryCache';
import { classify, factsOf } from './classify';
import { ManifestFactsCache } from './ManifestFactsCache';
import type { GraphManifest, ManifestFacts, RepositoryGraph } from './model';

/** Reads manifests by digest: the registry host client, or any stand-in with its signature. */
export type ManifestReader = Pick<RegistryHostClient, 'getManifest'>;

/** Manifests of one repository read at once (the client paces the account's requests too). */
const READS_AT_ONCE = 8;

type ReadResult = { facts: ManifestFacts } | { unreadable: string };

/** Errors about one manifest; any other (auth, rate limit, network) stops reading. */
function isAboutTheManifest(error: unknown): boolean {
  return (
    error instanceof RegistryHostError &&
    (error.status === 404 ||
      [
        'DIGEST_MISMATCH',
        'UNSUPPORTED_MANIFEST',
        'MANIFEST_TOO_LARGE',
      ].includes(error.code))
  );
}

/**
 * Reads every digest given and, transitively, the children of indexes; held facts are not read
 * again. After an error that is not about one manifest, the rest are marked unreadable with it
 * rather than asked for one by one.
 */
async function readAll(
  options: ReadRepositoryGraphOptions,
  digests: Iterable<string>,
): Promise<Map<string, ReadResult>> {
  const results = new Map<string, ReadResult>();
  const started = new Set<string>();
  const queue = [...new Set(digests)];
  let stoppedBy: string | undefined;
  const readOne = async (digest: string): Promise<ReadResult> => {
    const held = options.cache.get(digest);
    if (held) return { facts: held };
    if (stoppedBy) return { unreadable: `not read: ${stoppedBy}` };
    try {
      const manifest = await options.reader.getManifest(
        options.registry,
        options.contents.name,
        digest,
        { signal: options.signal },
      );
      const facts = factsOf(manifest);
      options.cache.set(digest, facts);
      return { facts };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const reason = toError(error).message;
      if (!isAboutTheManifest(error)) stoppedBy ??= reason;
      return { unreadable: reason };
    }
  };
  const worker = async () => {
    for (let digest = queue.shift(); digest; digest = queue.shift()) {
      if (started.has(digest)) continue;
      started.add(digest);
      const result = await readOne(digest);
      results.set(digest, result);
      if ('facts' in result)
        queue.push(...result.facts.children.map(child => child.digest));
    }
  };
  // A worker that reads an index goes on with its children, so none is left unread when the
  // last worker ends.
  await Promise.all(Array.from({ length: READS_AT_ONCE }, worker));
  return results;
}

export interface ReadRepositoryGraphOptions {
  registry: string;
  /** The repository as DigitalOcean lists it: its tags and manifests with their blobs. */
  contents: RepositoryContents;
  reader: ManifestReader;
  /** Shared across runs so that a re-read costs one request per new digest only. */
  cache: ManifestFactsCache;
  signal?: AbortSignal;
}

/**
 * One repository's graph: every manifest DigitalOcean lists (and every child an index lists),
 * read through the registry host once per digest, classified and linked to its tags, parents
 * and referrers. A manifest that cannot be read is `unreadable`, with the reason, never guessed.
 */
export async function readRepositoryGraph(
  options: ReadRepositoryGraphOptions,
): Promise<RepositoryGraph> {
  const { contents } = options;
  const tags = new Map<string, string>();
  const tagsByDigest = new Map<string, string[]>();
  for (const { tag, manifest_digest: digest } of contents.tags) {
    if (!tag || !digest) continue;
    tags.set(tag, digest);
    tagsByDigest.set(digest, [...(tagsByDigest.get(digest) ?? []), tag]);
  }
  const listed = new Map(contents.manifests.map(m => [m.digest ?? '', m]));
  listed.delete('');
  const read = await readAll(options, [...tags.values(), ...listed.keys()]);
  const manifests = new Map<string, GraphManifest>();
  for (const [digest, result] of read) {
    const tagsOf = tagsByDigest.get(digest) ?? [];
    const base = {
      digest,
      tags: tagsOf,
      listed: listed.get(digest),
      parents: [],
      referrers: [],
    };
    manifests.set(
      digest,
      'facts' in result
        ? { ...base, facts: result.facts, ...classify(result.facts, tagsOf) }
        : { ...base, kind: 'unreadable', reason: result.unreadable },
    );
  }
  linkParentsAndReferrers(manifests);
  return {
    registry: options.registry,
    repository: contents.name,
    manifests,
    tags,
  };
}

function linkParentsAndReferrers(manifests: Map<string, GraphManifest>): void {
  for (const manifest of manifests.values()) {
    for (const child of manifest.facts?.children ?? []) {
      manifests
        .get(child.digest)
        ?.parents.push({ digest: manifest.digest, platform: child.platform });
    }
    if (manifest.subject)
      manifests.get(manifest.subject.digest)?.referrers.push(manifest.digest);
  }
}
