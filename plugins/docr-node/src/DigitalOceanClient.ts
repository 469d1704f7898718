import createClient from 'openapi-fetch';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  DockerCredentials,
  GarbageCollection,
  GarbageCollectionType,
  KubernetesCluster,
  PatchedPaths,
  Region,
  Registry,
  RegistryOptions,
  RepositoryManifest,
  RepositoryTag,
  RepositoryV2,
  Subscription,
} from '@backstage-docr/digitalocean-openapi';
import { DEFAULT_GC_TYPE } from '@backstage-docr/plugin-docr-common';
import { DigitalOceanApiError, DigitalOceanRateLimitError } from './errors';
import { createTransport, operationOf, rateLimitWaitMs } from './transport';

export const DIGITALOCEAN_API_URL = 'https://api.digitalocean.com';

export interface DigitalOceanClientOptions {
  token: string;
  /** Base URL without `/v2` (default https://api.digitalocean.com). */
  apiUrl?: string;
  /** Time allowed for one attempt of a request (default 30 s). */
  timeoutMs?: number;
  /** Retries of a failed request that is safe to repeat (default 3). */
  maxRetries?: number;
  /** Longest single wait for a rate limit to reset (default 120 s). */
  maxRateLimitWaitMs?: number;
  /** First retry backoff step (default 250 ms); tests shorten it. */
  baseBackoffMs?: number;
  logger?: LoggerService;
  fetch?: typeof globalThis.fetch;
}

/** Options every call takes. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface DockerCredentialsOptions extends CallOptions {
  /** Read-write credentials; read-only unless asked for. */
  readWrite?: boolean;
  /** Lifetime of the credentials in seconds; 0 means they never expire. */
  expirySeconds?: number;
}

type ApiResult<T> = { data?: T; error?: unknown; response: Response };

const PER_PAGE = 200;

/**
 * A client for the parts of DigitalOcean's API v2 that the DOCR plugins use, typed by the types
 * generated from DigitalOcean's OpenAPI spec. The same client talks to the real API or to the
 * emulator, depending on `apiUrl`.
 */
export class DigitalOceanClient {
  private readonly api: ReturnType<typeof createClient<PatchedPaths>>;
  readonly apiUrl: string;

  constructor(options: DigitalOceanClientOptions) {
    if (!options.token) {
      throw new Error('A DigitalOcean API token is required');
    }
    this.apiUrl = (options.apiUrl ?? DIGITALOCEAN_API_URL).replace(/\/+$/, '');
    this.api = createClient<PatchedPaths>({
      baseUrl: this.apiUrl,
      fetch: createTransport({
        token: options.token,
        timeoutMs: options.timeoutMs ?? 30_000,
        maxRetries: options.maxRetries ?? 3,
        maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 120_000,
        baseBackoffMs: options.baseBackoffMs,
        logger: options.logger,
        fetch: options.fetch,
        userAgent: 'backstage-docr',
      }),
    });
  }

  /**
   * The typed openapi-fetch client underneath, with the same token, retries and rate-limit
   * handling, for endpoints that have no method here (such as the deprecated `/v2/registry` API).
   */
  get raw() {
    return this.api;
  }

  // Registries

  async listRegistries(options?: CallOptions): Promise<Registry[]> {
    const data = await this.unwrap(
      this.api.GET('/v2/registries', { signal: options?.signal }),
    );
    return data.registries ?? [];
  }

  async getRegistry(name: string, options?: CallOptions): Promise<Registry> {
    const data = await this.unwrap(
      this.api.GET('/v2/registries/{registry_name}', {
        params: { path: { registry_name: name } },
        signal: options?.signal,
      }),
    );
    return data.registry!;
  }

  /** The registry, or undefined when the account has none of that name. */
  async findRegistry(
    name: string,
    options?: CallOptions,
  ): Promise<Registry | undefined> {
    return this.orUndefinedOn404(this.getRegistry(name, options));
  }

  async createRegistry(
    input: {
      name: string;
      subscriptionTier?: 'starter' | 'basic' | 'professional';
      region?: string;
    },
    options?: CallOptions,
  ): Promise<Registry> {
    const data = await this.unwrap(
      this.api.POST('/v2/registries', {
        body: {
          name: input.name,
          subscription_tier_slug: input.subscriptionTier,
          region: input.region as any,
        },
        signal: options?.signal,
      }),
    );
    return data.registry!;
  }

  async deleteRegistry(name: string, options?: CallOptions): Promise<void> {
    await this.unwrap(
      this.api.DELETE('/v2/registries/{registry_name}', {
        params: { path: { registry_name: name } },
        signal: options?.signal,
      }),
    );
  }

  /** True when the name is free for this account to take, false when it is taken (409). */
  async isRegistryNameAvailable(
    name: string,
    options?: CallOptions,
  ): Promise<boolean> {
    const result = await this.api.POST('/v2/registries/validate-name', {
      body: { name },
      signal: options?.signal,
    });
    if (result.response.status === 409) return false;
    await this.unwrap(Promise.resolve(result));
    return true;
  }

  // Subscription and options

  /** The account's subscription (shared by all its registries), or undefined when it has none. */
  async getSubscription(
    options?: CallOptions,
  ): Promise<Subscription | undefined> {
    return this.orUndefinedOn404(
      this.unwrap(
        this.api.GET('/v2/registries/subscription', {
          signal: options?.signal,
        }),
      ).then(d => d.subscription!),
    );
  }

  async updateSubscription(
    tierSlug: 'starter' | 'basic' | 'professional',
    options?: CallOptions,
  ): Promise<Subscription> {
    const data = await this.unwrap(
      this.api.POST('/v2/registries/subscription', {
        body: { tier_slug: tierSlug },
        signal: options?.signal,
      }),
    );
    return data.subscription!;
  }

  /** Subscription tiers (limits, prices, eligibility) and the regions registries may use. */
  async getOptions(options?: CallOptions): Promise<Required<RegistryOptions>> {
    const data = await this.unwrap(
      this.api.GET('/v2/registries/options', { signal: options?.signal }),
    );
    return {
      available_regions: data.options?.available_regions ?? [],
      subscription_tiers: data.options?.subscription_tiers ?? [],
    };
  }

  async listRegions(options?: CallOptions): Promise<Region[]> {
    return this.listAllPages(
      query =>
        this.api.GET('/v2/regions', {
          params: { query },
          signal: options?.signal,
        }),
      data => data.regions ?? [],
    );
  }

  // Credentials

  /**
   * A docker `config.json` for the registry: read-only unless `readWrite` is set. Treat the
   * result as a secret.
   */
  async getDockerCredentials(
    registryName: string,
    options: DockerCredentialsOptions = {},
  ): Promise<DockerCredentials> {
    return this.unwrap(
      this.api.GET('/v2/registries/{registry_name}/docker-credentials', {
        params: {
          path: { registry_name: registryName },
          query: {
            read_write: options.readWrite ?? false,
            expiry_seconds: options.expirySeconds ?? 0,
          },
        },
        signal: options.signal,
      }),
    );
  }

  // Repositories, tags and manifests

  async listRepositories(
    registryName: string,
    options?: CallOptions,
  ): Promise<RepositoryV2[]> {
    return this.listAllPages(
      query =>
        this.api.GET('/v2/registries/{registry_name}/repositoriesV2', {
          params: { path: { registry_name: registryName }, query },
          signal: options?.signal,
        }),
      data => data.repositories ?? [],
    );
  }

  async deleteRepository(
    registryName: string,
    repository: string,
    options?: CallOptions,
  ) {
    await this.unwrap(
      this.api.DELETE(
        '/v2/registries/{registry_name}/repositories/{repository_name}',
        {
          params: {
            path: { registry_name: registryName, repository_name: repository },
          },
          signal: options?.signal,
        },
      ),
    );
  }

  async listTags(
    registryName: string,
    repository: string,
    options?: CallOptions,
  ): Promise<RepositoryTag[]> {
    return this.listAllPages(
      query =>
        this.api.GET(
          '/v2/registries/{registry_name}/repositories/{repository_name}/tags',
          {
            params: {
              path: {
                registry_name: registryName,
                repository_name: repository,
              },
              query,
            },
            signal: options?.signal,
          },
        ),
      data => data.tags ?? [],
    );
  }

  async deleteTag(
    registryName: string,
    repository: string,
    tag: string,
    options?: CallOptions,
  ) {
    await this.unwrap(
      this.api.DELETE(
        '/v2/registries/{registry_name}/repositories/{repository_name}/tags/{repository_tag}',
        {
          params: {
            path: {
              registry_name: registryName,
              repository_name: repository,
              repository_tag: tag,
            },
          },
          signal: options?.signal,
        },
      ),
    );
  }

  async listManifests(
    registryName: string,
    repository: string,
    options?: CallOptions,
  ): Promise<RepositoryManifest[]> {
    return this.listAllPages(
      query =>
        this.api.GET(
          '/v2/registries/{registry_name}/repositories/{repository_name}/digests',
          {
            params: {
              path: {
                registry_name: registryName,
                repository_name: repository,
              },
              query,
            },
            signal: options?.signal,
          },
        ),
      data => data.manifests ?? [],
    );
  }

  async deleteManifest(
    registryName: string,
    repository: string,
    digest: string,
    options?: CallOptions,
  ) {
    await this.unwrap(
      this.api.DELETE(
        '/v2/registries/{registry_name}/repositories/{repository_name}/digests/{manifest_digest}',
        {
          params: {
            path: {
              registry_name: registryName,
              repository_name: repository,
              manifest_digest: digest,
            },
          },
          signal: options?.signal,
        },
      ),
    );
  }

  // Garbage collection

  /**
   * Starts a garbage collection. The registry is read-only until it ends. Defaults to collecting
   * untagged manifests and unreferenced blobs: without a type DigitalOcean collects only blobs,
   * which frees nothing while untagged manifests still reference them.
   */
  async startGarbageCollection(
    registryName: string,
    type: GarbageCollectionType = DEFAULT_GC_TYPE,
    options?: CallOptions,
  ): Promise<GarbageCollection> {
    const data = await this.unwrap(
      this.api.POST('/v2/registries/{registry_name}/garbage-collection', {
        params: { path: { registry_name: registryName } },
        body: { type },
        signal: options?.signal,
      }),
    );
    return data.garbage_collection!;
  }

  /** The registry's active garbage collection, or undefined when none is running. */
  async getActiveGarbageCollection(
    registryName: string,
    options?: CallOptions,
  ): Promise<GarbageCollection | undefined> {
    return this.orUndefinedOn404(
      this.unwrap(
        this.api.GET('/v2/registries/{registry_name}/garbage-collection', {
          params: { path: { registry_name: registryName } },
          signal: options?.signal,
        }),
      ).then(d => d.garbage_collection!),
    );
  }

  /** Past and current garbage collections, newest first. */
  async listGarbageCollections(
    registryName: string,
    options?: CallOptions & { limit?: number },
  ): Promise<GarbageCollection[]> {
    return this.listAllPages(
      query =>
        this.api.GET('/v2/registries/{registry_name}/garbage-collections', {
          params: { path: { registry_name: registryName }, query },
          signal: options?.signal,
        }),
      data => data.garbage_collections ?? [],
      options?.limit,
    );
  }

  async cancelGarbageCollection(
    registryName: string,
    uuid: string,
    options?: CallOptions,
  ): Promise<GarbageCollection> {
    const data = await this.unwrap(
      this.api.PUT(
        '/v2/registries/{registry_name}/garbage-collection/{garbage_collection_uuid}',
        {
          params: {
            path: {
              registry_name: registryName,
              garbage_collection_uuid: uuid,
            },
          },
          body: { cancel: true },
          signal: options?.signal,
        },
      ),
    );
    return data.garbage_collection!;
  }

  // DOKS

  async listClusters(options?: CallOptions): Promise<KubernetesCluster[]> {
    return this.listAllPages(
      query =>
        this.api.GET('/v2/kubernetes/clusters', {
          params: { query },
          signal: options?.signal,
        }),
      data => data.kubernetes_clusters ?? [],
    );
  }

  async getCluster(
    clusterId: string,
    options?: CallOptions,
  ): Promise<KubernetesCluster> {
    const data = await this.unwrap(
      this.api.GET('/v2/kubernetes/clusters/{cluster_id}', {
        params: { path: { cluster_id: clusterId } },
        signal: options?.signal,
      }),
    );
    return data.kubernetes_cluster!;
  }

  /** Gives the clusters pull secrets for the registries (DOKS "1-click" integration). */
  async addRegistriesToClusters(
    clusterIds: string[],
    registryNames: string[],
    options?: CallOptions,
  ) {
    await this.unwrap(
      this.api.POST('/v2/kubernetes/registries', {
        body: { cluster_uuids: clusterIds, registries: registryNames },
        signal: options?.signal,
      }),
    );
  }

  async removeRegistriesFromClusters(
    clusterIds: string[],
    registryNames: string[],
    options?: CallOptions,
  ) {
    await this.unwrap(
      this.api.DELETE('/v2/kubernetes/registries', {
        body: { cluster_uuids: clusterIds, registries: registryNames },
        signal: options?.signal,
      }),
    );
  }

  /** The legacy integration of an account's only registry (`/v2/kubernetes/registry`). */
  async addSoleRegistryToClusters(clusterIds: string[], options?: CallOptions) {
    await this.unwrap(
      this.api.POST('/v2/kubernetes/registry', {
        body: { cluster_uuids: clusterIds },
        signal: options?.signal,
      }),
    );
  }

  async removeSoleRegistryFromClusters(
    clusterIds: string[],
    options?: CallOptions,
  ) {
    await this.unwrap(
      this.api.DELETE('/v2/kubernetes/registry', {
        body: { cluster_uuids: clusterIds },
        signal: options?.signal,
      }),
    );
  }

  // Plumbing

  private async unwrap<T>(call: Promise<ApiResult<T>>): Promise<T> {
    const { data, error, response } = await call;
    if (response.ok) {
      return data as T;
    }
    const operation =
      operationOf(response) ?? new URL(response.url || this.apiUrl).pathname;
    const body = (typeof error === 'object' && error ? error : undefined) as
      { id?: string; message?: string; request_id?: string } | undefined;
    if (response.status === 429) {
      throw new DigitalOceanRateLimitError({
        body,
        operation,
        retryAfterMs: rateLimitWaitMs(response.headers),
      });
    }
    throw new DigitalOceanApiError({
      status: response.status,
      body,
      operation,
    });
  }

  private async orUndefinedOn404<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof DigitalOceanApiError && error.status === 404)
        return undefined;
      throw error;
    }
  }

  /**
   * Fetches every page, 200 at a time, following `links.pages.next`. Only the page parameters
   * are taken from the link: requests always go to our own base URL, so the token is never sent
   * to a host named in a response.
   */
  private async listAllPages<T, D>(
    fetchPage: (query: {
      per_page: number;
      page?: number;
      page_token?: string;
    }) => Promise<ApiResult<D>>,
    items: (data: D) => T[],
    limit?: number,
  ): Promise<T[]> {
    const result: T[] = [];
    let query: { per_page: number; page?: number; page_token?: string } = {
      per_page: PER_PAGE,
    };
    for (let pages = 0; pages < 10_000; pages++) {
      const data = await this.unwrap(fetchPage(query));
      result.push(...items(data));
      if (limit !== undefined && result.length >= limit)
        return result.slice(0, limit);
      // Known spec gap: the garbage collection list declares no `links`; read them where present.
      const next = (data as { links?: { pages?: { next?: string } } }).links
        ?.pages?.next;
      if (!next) return result;
      const params = new URL(next).searchParams;
      const page = Number(params.get('page'));
      const pageToken = params.get('page_token') ?? undefined;
      const nextQuery = {
        per_page: PER_PAGE,
        ...(Number.isInteger(page) && page > 0 ? { page } : {}),
        ...(pageToken ? { page_token: pageToken } : {}),
      };
      if (
        nextQuery.page === query.page &&
        nextQuery.page_token === query.page_token
      )
        return result;
      query = nextQuery;
    }
    return result;
  }
}
