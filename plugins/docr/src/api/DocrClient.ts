import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { ListingQuery } from '@backstage-docr/plugin-docr-common';
import type { DocrApi } from './DocrApi';
import { DocrRegistryRef, accountPath, registryPath } from './registryRef';

/** `?q=…&offset=…&limit=…` of what the query sets. */
function queryString(query: ListingQuery = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The DocrApi over HTTP, through Backstage's discovery and authenticated fetch.
 *
 * @public
 */
export class DocrClient implements DocrApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async call<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('docr');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...init?.headers },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }

  getRetentionPreview(registry: DocrRegistryRef) {
    return this.call<Awaited<ReturnType<DocrApi['getRetentionPreview']>>>(
      `${registryPath(registry)}/retention/preview`,
    );
  }

  checkRegistryName(name: string, account?: string) {
    return this.call<Awaited<ReturnType<DocrApi['checkRegistryName']>>>(
      `${accountPath(account)}/registry-names/check`,
      { method: 'POST', body: JSON.stringify({ name }) },
    );
  }

  getRegistry(registry: DocrRegistryRef) {
    return this.call<Awaited<ReturnType<DocrApi['getRegistry']>>>(
      registryPath(registry),
    );
  }

  listRuns(registry: DocrRegistryRef, page: { limit: number; offset: number }) {
    return this.call<Awaited<ReturnType<DocrApi['listRuns']>>>(
      `${registryPath(registry)}/gc-runs?limit=${page.limit}&offset=${page.offset}`,
    );
  }

  async getStorage(registry: DocrRegistryRef, days = 30) {
    const body = await this.call<{
      items: Awaited<ReturnType<DocrApi['getStorage']>>;
    }>(`${registryPath(registry)}/storage?days=${days}`);
    return body.items;
  }

  startGc(registry: DocrRegistryRef) {
    return this.call<Awaited<ReturnType<DocrApi['startGc']>>>(
      `${registryPath(registry)}/gc-runs`,
      {
        method: 'POST',
        body: '{}',
      },
    );
  }

  cancelRun(registry: DocrRegistryRef, runId: number) {
    return this.call<Awaited<ReturnType<DocrApi['cancelRun']>>>(
      `${registryPath(registry)}/gc-runs/${runId}/cancel`,
      { method: 'POST', body: '{}' },
    );
  }

  listRepositories(registry: DocrRegistryRef, query?: ListingQuery) {
    return this.call<Awaited<ReturnType<DocrApi['listRepositories']>>>(
      `${registryPath(registry)}/repositories${queryString(query)}`,
    );
  }

  listTags(
    registry: DocrRegistryRef,
    repository: string,
    query?: ListingQuery,
  ) {
    return this.call<Awaited<ReturnType<DocrApi['listTags']>>>(
      `${registryPath(registry)}/repositories/${encodeURIComponent(repository)}/tags${queryString(query)}`,
    );
  }
}
