import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type {
  RepositoryManifest,
  RepositoryTag,
  RepositoryV2,
} from '@backstage-docr/digitalocean-openapi';
import {
  DEFAULT_ACCOUNT_ID,
  DigitalOceanApiError,
  type DigitalOceanClient,
} from '@backstage-docr/plugin-docr-node';
import type { RepositoryCacheConfig } from '../config';
import type { ListingGate } from '../limits/DocrLimits';

/** After a failed listing, how long the error is answered before DigitalOcean is asked again. */
export const FAILED_LISTING_BACKOFF_MS = 30_000;

/** DigitalOcean lists 200 items a page: a listing of `count` items costs this many calls. */
const PAGE_SIZE = 200;
const callsToList = (count: number | undefined) =>
  Math.max(1, Math.ceil((count ?? 0) / PAGE_SIZE));

export interface CachedListing<T> {
  items: T[];
  fetchedAt: Date;
}

/** A repository's tags (newest first) and manifests, for work on the whole registry. */
export interface RepositoryContents {
  name: string;
  tags: RepositoryTag[];
  manifests: RepositoryManifest[];
}

export interface RegistryContents {
  repositories: RepositoryContents[];
  /** When the oldest of the listings was made. */
  fetchedAt: Date;
}

/** One listing from DigitalOcean: what it held last, the listing under way, the last failure. */
interface Slot<T> {
  items?: T[];
  fetchedAt?: Date;
  /** Known to be out of date (the portal changed the registry): listed again on the next read. */
  stale?: boolean;
  refreshing?: Promise<void>;
  failure?: { error: Error; atMs: number };
}

const timeOf = (iso: string | undefined) => (iso ? Date.parse(iso) : 0);

type ContentKind = 'tags' | 'manifests';

/** Every account's listings: registries by `account:registry`, contents by `contentKey`. */
interface Listings {
  /** Insertion order is recency: a read moves its key to the end. */
  registries: Map<string, Slot<RepositoryV2>>;
  contents: Map<string, Slot<unknown>>;
}

/** Registry keys hold no "/", so a registry's keys are the ones starting with its key and "/". */
const contentKey = (registry: string, kind: ContentKind, repository: string) =>
  `${registry}/${kind}/${repository}`;

/**
 * Each registry's repositories and each repository's tags and manifests (with their blobs) as
 * DigitalOcean listed them, so reads
 * never wait for DigitalOcean: a listing is made in the background on the first read (which is
 * told to come back: 503) and when the one held is older than the TTL (served meanwhile).
 * Concurrent reads share one listing. Held in memory, per replica, with LRU bounds on the
 * registries and on the tags and manifests held (together, `maxTags`).
 */
export class RepositoryCache {
  constructor(
    private readonly deps: {
      client: DigitalOceanClient;
      now: () => Date;
      config: RepositoryCacheConfig;
      logger?: LoggerService;
      /** The account whose registries `client` lists (default: default). */
      account?: string;
      /** Whether the account may start a listing now (its share of calls, listings at once). */
      gate?: ListingGate;
    },
    /** Shared by every account's view, so the bounds hold over all accounts together. */
    private readonly listings: Listings = {
      registries: new Map(),
      contents: new Map(),
    },
  ) {}

  /** The same cache (and bounds) for another account's registries. */
  forAccount(
    account: string,
    client: DigitalOceanClient,
    gate?: ListingGate,
  ): RepositoryCache {
    return new RepositoryCache(
      { ...this.deps, account, client, gate },
      this.listings,
    );
  }

  /**
   * Whether every listing of the registry is held (stale or not), so reading its contents starts
   * nothing but refreshes: a preview of a registry not held is cold.
   */
  holdsContents(registry: string): boolean {
    const key = this.key(registry);
    const listed = this.listings.registries.get(key)?.items;
    if (!listed) return false;
    return listed.every(({ name = '' }) =>
      (['tags', 'manifests'] as const).every(
        kind =>
          this.listings.contents.get(contentKey(key, kind, name))?.items !==
          undefined,
      ),
    );
  }

  /** The repository as the registry's listing counts it, to price its listings. */
  private listed(registry: string, repository: string) {
    return this.listings.registries
      .get(this.key(registry))
      ?.items?.find(r => r.name === repository);
  }

  /** Registry names are unique per account only. */
  private key(registry: string) {
    return `${this.deps.account ?? DEFAULT_ACCOUNT_ID}:${registry}`;
  }

  /**
   * The registry changed through the portal (retention deleted tags, a GC ended): its listings
   * are listed again on their next read, served as held meanwhile, not after the TTL.
   */
  markStale(registry: string): void {
    const key = this.key(registry);
    const registrySlot = this.listings.registries.get(key);
    if (registrySlot) registrySlot.stale = true;
    for (const [contentsKey, slot] of this.listings.contents)
      if (contentsKey.startsWith(`${key}/`)) slot.stale = true;
  }

  /** The registry's repositories by name; 503 before the first listing of the registry. */
  repositories(registry: string): CachedListing<RepositoryV2> {
    const slot = this.touch(this.listings.registries, this.key(registry));
    return this.read(slot, `the repositories of "${registry}"`, async () =>
      (await this.deps.client.listRepositories(registry)).sort((a, b) =>
        (a.name ?? '').localeCompare(b.name ?? ''),
      ),
    );
  }

  /** The repository's tags, newest first; 503 before the first listing of the repository. */
  tags(registry: string, repository: string): CachedListing<RepositoryTag> {
    return this.content(
      registry,
      'tags',
      repository,
      async () =>
        (await this.deps.client.listTags(registry, repository)).sort(
          (a, b) => timeOf(b.updated_at) - timeOf(a.updated_at),
        ),
      callsToList(this.listed(registry, repository)?.tag_count),
    );
  }

  /** The repository's manifests with their blobs; 503 before the first listing of the repository. */
  manifests(
    registry: string,
    repository: string,
  ): CachedListing<RepositoryManifest> {
    return this.content(
      registry,
      'manifests',
      repository,
      () => this.deps.client.listManifests(registry, repository),
      callsToList(this.listed(registry, repository)?.manifest_count),
    );
  }

  /**
   * Every repository's tags and manifests: the listings not held yet are all started at once and
   * 503 is answered until each is held. 409 when the registry holds more tags and manifests than
   * `maxTags`: its listings would evict one another and never all be held. A repository gone
   * from DigitalOcean since the registry was listed is left out.
   */
  registryContents(registry: string): RegistryContents {
    const listed = this.repositories(registry);
    const items = listed.items.reduce(
      (sum, r) => sum + (r.tag_count ?? 0) + (r.manifest_count ?? 0),
      0,
    );
    if (items > this.deps.config.maxTags) {
      throw new ConflictError(
        `"${registry}" holds ${items} tags and manifests, more than the ${this.deps.config.maxTags} the docr API may hold (docr.repositories.maxTags)`,
      );
    }
    const repositories: RepositoryContents[] = [];
    let fetchedAt = listed.fetchedAt;
    let pending: Error | undefined;
    /** The listing, or undefined while it is made or when the repository is gone. */
    const attempt = <T>(read: () => CachedListing<T>) => {
      try {
        const listing = read();
        if (listing.fetchedAt < fetchedAt) fetchedAt = listing.fetchedAt;
        return listing.items;
      } catch (error) {
        if (error instanceof ServiceUnavailableError) pending = error;
        else if (!(error instanceof NotFoundError)) throw error;
        return undefined;
      }
    };
    for (const { name = '' } of listed.items) {
      const tags = attempt(() => this.tags(registry, name));
      const manifests = attempt(() => this.manifests(registry, name));
      if (tags && manifests) repositories.push({ name, tags, manifests });
    }
    if (pending) throw pending;
    return { repositories, fetchedAt };
  }

  private content<T>(
    registry: string,
    kind: ContentKind,
    repository: string,
    list: () => Promise<T[]>,
    cost: number,
  ): CachedListing<T> {
    const key = contentKey(this.key(registry), kind, repository);
    const slot = this.touch(this.listings.contents, key) as Slot<T>;
    return this.read(
      slot,
      `the ${kind} of "${registry}/${repository}"`,
      () =>
        list().catch(error => {
          if (error instanceof DigitalOceanApiError && error.status === 404)
            throw new NotFoundError(
              `DigitalOcean has no repository "${repository}" in "${registry}"`,
            );
          throw error;
        }),
      cost,
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
    cost = 1,
  ): CachedListing<T> {
    const nowMs = this.deps.now().getTime();
    const fresh =
      !slot.stale &&
      slot.fetchedAt !== undefined &&
      nowMs - slot.fetchedAt.getTime() < this.deps.config.cacheTtlMs;
    const backingOff =
      slot.failure !== undefined &&
      nowMs - slot.failure.atMs <
        Math.min(FAILED_LISTING_BACKOFF_MS, this.deps.config.cacheTtlMs);
    if (!fresh && !backingOff && !slot.refreshing)
      this.refresh(slot, what, list, cost);
    if (slot.items && slot.fetchedAt)
      return { items: slot.items, fetchedAt: slot.fetchedAt };
    if (slot.failure && !slot.refreshing) throw slot.failure.error;
    throw new ServiceUnavailableError(
      `The docr API is listing ${what} from DigitalOcean; try again in a few seconds`,
    );
  }

  /** Starts a listing, unless the account's gate holds it back (a later read asks again). */
  private refresh<T>(
    slot: Slot<T>,
    what: string,
    list: () => Promise<T[]>,
    cost: number,
  ) {
    const gate = this.deps.gate;
    if (gate && !gate.tryStart(cost)) return;
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
        gate?.finished();
      });
  }

  private hold<T>(slot: Slot<T>, items: T[]) {
    slot.items = items;
    slot.fetchedAt = this.deps.now();
    slot.stale = false;
    this.evict();
  }

  /** Drops the least recently read until within bounds; the most recent is always kept. */
  private evict() {
    const { maxRegistries, maxTags } = this.deps.config;
    const { registries, contents } = this.listings;
    for (const registry of registries.keys()) {
      if (registries.size <= maxRegistries) break;
      registries.delete(registry);
      for (const key of contents.keys())
        if (key.startsWith(`${registry}/`)) contents.delete(key);
    }
    let itemsHeld = 0;
    for (const slot of contents.values()) itemsHeld += slot.items?.length ?? 0;
    for (const [key, slot] of contents) {
      if (itemsHeld <= maxTags || contents.size <= 1) break;
      itemsHeld -= slot.items?.length ?? 0;
      contents.delete(key);
    }
  }
}
