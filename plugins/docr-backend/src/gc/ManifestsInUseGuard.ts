import { toError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { GcPolicy, GcType } from '@backstage-docr/plugin-docr-common';
import {
  type DigitalOceanClient,
  isNotFoundError,
} from '@backstage-docr/plugin-docr-node';
import type { ImagesInUseCache } from '../inUse/ImagesInUseCache';
import type { ImageUse } from '../inUse/types';
import type { RepositoryContents } from '../repositories/RepositoryCache';
import type { ImageGraphAccess } from '../retention/imageGraphs';
import {
  readRegistryInUse,
  untaggedInUseDigests,
  untaggedInUseNarrowsGc,
} from '../retention/inUseSelection';

/** The collection a window run may start, and why it is narrower than the policy's, if it is. */
export interface SafeGcType {
  type: GcType;
  /** Why the GC frees unreferenced blobs only. */
  narrowed?: string;
}

const BLOBS_ONLY: GcType = 'unreferenced blobs only';

/**
 * Before a window's GC that deletes untagged manifests, when no retention plan looked already:
 * reads what runs from the registry (DOKS pods, rollback targets, App Platform deployments) and
 * narrows the GC to unreferenced blobs when a manifest in use by digest has no tag that holds it
 * (directly, or as a platform image of a tagged index): a pod pinned by digest, or rescheduled
 * after its tag was pushed again, pulls a manifest no tag names. When what runs cannot be read,
 * it narrows too (fail safe, unless the policy's `retention.ignoreUnreadable` names the source).
 * Costs the account's images-in-use read (shared by the tick) and, per repository with images in
 * use by digest, its tags and manifests listed and its graph read (cached by manifest).
 */
export class ManifestsInUseGuard {
  constructor(
    private readonly deps: {
      client: DigitalOceanClient;
      inUse: Pick<ImagesInUseCache, 'forPlan'>;
      account: string;
      /** Without it a platform image of a tagged index counts as untagged (narrowing, safe). */
      imageGraph?: Pick<ImageGraphAccess, 'graphs'>;
      logger: LoggerService;
    },
  ) {}

  async safeType(
    registryName: string,
    policy: GcPolicy,
    type: GcType,
    signal?: AbortSignal,
  ): Promise<SafeGcType> {
    if (type === BLOBS_ONLY) return { type };
    const inUse = await readRegistryInUse(
      this.deps.inUse,
      { registryName, retention: policy.retention, signal },
      this.deps.logger,
    );
    signal?.throwIfAborted();
    if (inUse.heldBack) return { type: BLOBS_ONLY, narrowed: inUse.heldBack };
    const untagged: Array<{ repository: string; digest: string }> = [];
    for (const [repository, uses] of usesByDigest(inUse.uses)) {
      try {
        for (const digest of await this.untaggedIn(
          registryName,
          repository,
          uses,
          signal,
        ))
          untagged.push({ repository, digest });
      } catch (error) {
        signal?.throwIfAborted();
        return {
          type: BLOBS_ONLY,
          narrowed: `the manifests in use in ${repository} could not be checked (${toError(error).message})`,
        };
      }
    }
    const narrowed = untaggedInUseNarrowsGc(untagged);
    if (!narrowed) return { type };
    this.deps.logger.info(
      `Garbage collection of ${registryName} frees unreferenced blobs only: ${narrowed}`,
    );
    return { type: BLOBS_ONLY, narrowed };
  }

  /** The digests in use in the repository that no tag holds now. */
  private async untaggedIn(
    registryName: string,
    repository: string,
    uses: ImageUse[],
    signal?: AbortSignal,
  ): Promise<string[]> {
    const { client } = this.deps;
    const orNone = <T>(error: unknown): T[] => {
      if (isNotFoundError(error)) return [];
      throw error;
    };
    const tags = await client
      .listTags(registryName, repository, { signal })
      .catch(orNone<never>);
    const tagged = tags.flatMap(t =>
      t.manifest_digest ? [t.manifest_digest] : [],
    );
    const taggedSet = new Set(tagged);
    if (uses.every(use => taggedSet.has(use.digest!))) return [];
    const contents: RepositoryContents = {
      name: repository,
      tags,
      manifests: await client
        .listManifests(registryName, repository, { signal })
        .catch(orNone<never>),
    };
    const graph = this.deps.imageGraph
      ? (
          await this.deps.imageGraph.graphs.readRegistry(
            this.deps.account,
            registryName,
            [contents],
            signal,
          )
        ).get(repository)
      : undefined;
    return untaggedInUseDigests(graph, tagged, uses);
  }
}

/** The uses naming a digest, by repository. */
function usesByDigest(uses: ImageUse[]): Map<string, ImageUse[]> {
  const byRepository = new Map<string, ImageUse[]>();
  for (const use of uses) {
    if (!use.digest) continue;
    const inRepository = byRepository.get(use.repository);
    if (inRepository) inRepository.push(use);
    else byRepository.set(use.repository, [use]);
  }
  return byRepository;
}
