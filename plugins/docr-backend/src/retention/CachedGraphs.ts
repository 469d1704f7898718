import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import type {
  RegistryContents,
  RepositoryContents,
} from '../repositories/RepositoryCache';
import type { RepositoryGraph, RepositoryGraphs } from './graph';
import type { GraphOrFailure } from './graphSelection';
import { readGraphsSafely } from './imageGraphs';

/** Repositories whose graphs are held, over every account (least recently read dropped). */
export const MAX_CACHED_GRAPHS = 2_000;

/** A repository's graph as last read, for the listing it was read for. */
interface Slot {
  graph?: GraphOrFailure;
  /** The listing the graph was read for: the cache's arrays, replaced by each new listing. */
  readFor?: RepositoryContents;
  refreshing?: Promise<void>;
}

/**
 * The image graphs of the repository cache's listings, for the preview and the tag listing:
 * read through the registry host in the background when the cache holds a new listing of a
 * repository (as the cache lists: the read that finds it missing starts it and answers 503),
 * never from a request. A graph read for an older listing is served until the new one is read:
 * tags it does not know are kept by the selection.
 */
export class CachedGraphs {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly deps: {
      graphs: Pick<RepositoryGraphs, 'readRegistry'>;
      logger?: LoggerService;
      maxGraphs?: number;
    },
  ) {}

  /** Each repository's graph for the registry's listing; 503 while one was never read. */
  forPreview(
    account: string,
    registry: string,
    contents: RegistryContents,
  ): Map<string, GraphOrFailure> {
    const graphs = new Map<string, GraphOrFailure>();
    let pending = false;
    for (const repository of contents.repositories) {
      const slot = this.touch(this.key(account, registry, repository.name));
      this.refreshIfStale(slot, account, registry, repository);
      if (slot.graph) graphs.set(repository.name, slot.graph);
      else pending = true;
    }
    if (pending)
      throw new ServiceUnavailableError(
        `The docr API is reading the images of "${registry}" through the registry host; try again in a few seconds`,
      );
    return graphs;
  }

  /** Starts reading the repository's graph for this listing in the background, if not held. */
  readSoon(account: string, registry: string, repository: RepositoryContents) {
    const slot = this.touch(this.key(account, registry, repository.name));
    this.refreshIfStale(slot, account, registry, repository);
  }

  /** The repository's graph as last read, if any; reads nothing. */
  graphOf(
    account: string,
    registry: string,
    repository: string,
  ): RepositoryGraph | undefined {
    const graph = this.slots.get(
      this.key(account, registry, repository),
    )?.graph;
    return graph && !('unreadable' in graph) ? graph : undefined;
  }

  /**
   * Whether a later ask may know more of the repository's images: its graph was never read (its
   * listing is not complete yet, or the read is under way) or is being read again.
   */
  pending(account: string, registry: string, repository: string): boolean {
    const slot = this.slots.get(this.key(account, registry, repository));
    return !slot?.graph || !!slot.refreshing;
  }

  private key(account: string, registry: string, repository: string) {
    return `${account}:${registry}/${repository}`;
  }

  private touch(key: string): Slot {
    const slot = this.slots.get(key) ?? {};
    this.slots.delete(key);
    this.slots.set(key, slot);
    const max = this.deps.maxGraphs ?? MAX_CACHED_GRAPHS;
    for (const oldest of this.slots.keys()) {
      if (this.slots.size <= max) break;
      this.slots.delete(oldest);
    }
    return slot;
  }

  /** Reads again unless the slot holds (or is reading) the graph of this very listing. */
  private refreshIfStale(
    slot: Slot,
    account: string,
    registry: string,
    repository: RepositoryContents,
  ) {
    const current =
      slot.readFor?.tags === repository.tags &&
      slot.readFor?.manifests === repository.manifests;
    if (!current && !slot.refreshing)
      this.refresh(slot, account, registry, repository);
  }

  private refresh(
    slot: Slot,
    account: string,
    registry: string,
    repository: RepositoryContents,
  ) {
    slot.refreshing = readGraphsSafely(this.deps, account, registry, [
      repository,
    ])
      .then(graphs => {
        const graph = graphs.get(repository.name);
        slot.graph = graph ?? { unreadable: 'its image graph was not read' };
        slot.readFor = repository;
        if (graph && 'unreadable' in graph)
          this.deps.logger?.warn(
            `Reading the images of ${registry}/${repository.name} failed: ${graph.unreadable}`,
          );
      })
      .finally(() => {
        slot.refreshing = undefined;
      });
  }
}
