import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import type {
  RepositoryTag,
  RepositoryV2,
} from '@backstage-docr/digitalocean-openapi';
import {
  DigitalOceanApiError,
  type DigitalOceanClient,
} from '@backstage-docr/plugin-docr-node';
import type { RepositoryCacheConfig } from '../config';

/** After a failed listing, how long the error is answered before DigitalOcean is asked again. */
export const FAILED_LISTING_BACKOFF_MS = 30_000;

export interface CachedListing<T> {
  items: T[];
  fetchedAt: Date;
}

/** One listing from DigitalOcean: what it held last, the listing under way, the last failure. */
interface Slot<T> {
  items?: T[];
  fetchedAt?: Date;
  refreshing?: Promise<void>;
  failure?: { error: Error; atMs: number };
}

const timeOf = (iso: string | undefined) => (iso ? Date.parse(iso) : 0);

const tagsKey = (registry: string, repository: string) =>
  `${registry}/${repository}`;

/**
 * Each registry's repositories and each repository's tags as DigitalOcean listed them, so reads
 * never wait for DigitalOcean: a listing is made in the background on the first read (which is
 * told to come back: 503) and when the one held is older than the TTL (served meanwhile).
 * Concurrent reads share one listing. Held in memory, per replica, with LRU bounds on the
 * registries and on the tags held.
 */
export class RepositoryCache {
  /** Insertion order is recency: a read moves its key to the end. */
  private readonly registries = new Map<string, Slot<RepositoryV2>>();
  private readonly tagLists = new Map<string, Slot<RepositoryTag>>();

  constructor(
    private readonly deps: {
      client: DigitalOceanClient;
      now: () => Date;
      config: RepositoryCacheConfig;
      logger?: LoggerService;
    },
  ) {}

  /** The registry's repositories by name; 503 before the first listing of the registry. */
  repositories(registry: string): CachedListing<RepositoryV2> {
    const slot = this.touch(this.registries, registry);
    return this.read(slot, `the repositories of "${registry}"`, async () =>
      (await this.deps.client.listRepositories(registry)).sort((a, b) =>
        (a.name ?? '').localeCompare(b.name ?? ''),
      ),
    );
  }

  /** The repository's tags, newest first; 503 before the first listing of the repository. */
  tags(registry: string, repository: string): CachedListing<RepositoryTag> {
    const slot = this.touch(this.tagLists, tagsKey(registry, repository));
    return this.read(slot, `the tags of "${registry}/${repository}"`, () =>
      this.deps.client.listTags(registry, repository).then(
        tags =>
          tags.sort((a, b) => timeOf(b.updated_at) - timeOf(a.updated_at)),
        error => {
          if (error instanceof DigitalOceanApiError && error.status === 404)
            throw new NotFoundError(
              `DigitalOcean has no repository "${repository}" in "${registry}"`,
            );
          throw error;
        },
      ),
    );
  }

  /** Returns the key's slot (a new one if there is none), as the most recently read. */
  private touch<T>(map: Map<string, Slot<T>>, key: string): Slot<T> {
    const slot = map.get(key) ?? {};
    map.delete(key);
    map.set(key, slot);
    return slot;
  }

  private read<T>(
    slot: Slot<T>,
    what: string,
    list: () => Promise<T[]>,
  ): CachedListing<T> {
    const nowMs = this.deps.now().getTime();
    const fresh =
      slot.fetchedAt !== undefined &&
      nowMs - slot.fetchedAt.getTime() < this.deps.config.cacheTtlMs;
    const backingOff =
      slot.failure !== undefined &&
      nowMs - slot.failure.atMs <
        Math.min(FAILED_LISTING_BACKOFF_MS, this.deps.config.cacheTtlMs);
    if (!fresh && !backingOff && !slot.refreshing)
      this.refresh(slot, what, list);
    if (slot.items && slot.fetchedAt)
      return { items: slot.items, fetchedAt: slot.fetchedAt };
    if (slot.failure && !slot.refreshing) throw slot.failure.error;
    throw new ServiceUnavailableError(
      `The docr API is listing ${what} from DigitalOcean; try again in a few seconds`,
    );
  }

  private refresh<T>(slot: Slot<T>, what: string, list: () => Promise<T[]>) {
    slot.refreshing = list()
      .then(
        items => {
          this.hold(slot, items);
          slot.failure = undefined;
        },
        error => {
          slot.failure = { error, atMs: this.deps.now().getTime() };
          this.deps.logger?.warn(
            `Listing ${what} from DigitalOcean failed: ${error}`,
          );
        },
      )
      .finally(() => {
        slot.refreshing = undefined;
      });
  }

  private hold<T>(slot: Slot<T>, items: T[]) {
    slot.items = items;
    slot.fetchedAt = this.deps.now();
    this.evict();
  }

  /** Drops the least recently read until within bounds; the most recent is always kept. */
  private evict() {
    const { maxRegistries, maxTags } = this.deps.config;
    for (const registry of this.registries.keys()) {
      if (this.registries.size <= maxRegistries) break;
      this.registries.delete(registry);
      for (const key of this.tagLists.keys())
        if (key.startsWith(`${registry}/`)) this.tagLists.delete(key);
    }
    let tagsHeld = 0;
    for (const slot of this.tagLists.values())
      tagsHeld += slot.items?.length ?? 0;
    for (const [key, slot] of this.tagLists) {
      if (tagsHeld <= maxTags || this.tagLists.size <= 1) break;
      tagsHeld -= slot.items?.length ?? 0;
      this.tagLists.delete(key);
    }
  }
}
