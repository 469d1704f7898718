import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { ListingQuery } from '@backstage-docr/plugin-docr-common';
import type { DocrApi } from './DocrApi';

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

  getRetentionPreview(name: string) {
    return this.call<Awaited<ReturnType<DocrApi['getRetentionPreview']>>>(
      `/registries/${encodeURIComponent(name)}/retention/preview`,
    );
  }

  checkRegistryName(name: string) {
    return this.call<Awaited<ReturnType<DocrApi['checkRegistryName']>>>(
      '/registry-names/check',
      { method: 'POST', body: JSON.stringify({ name }) },
    );
  }

  getRegistry(name: string) {
    return this.call<Awaited<ReturnType<DocrApi['getRegistry']>>>(
      `/registries/${encodeURIComponent(name)}`,
    );
  }

  listRuns(name: string, page: { limit: number; offset: number }) {
    return this.call<Awaited<ReturnType<DocrApi['listRuns']>>>(
      `/registries/${encodeURIComponent(name)}/gc-runs?limit=${page.limit}&offset=${page.offset}`,
    );
  }

  async getStorage(name: string, days = 30) {
    const body = await this.call<{
      items: Awaited<ReturnType<DocrApi['getStorage']>>;
    }>(`/registries/${encodeURIComponent(name)}/storage?days=${days}`);
    return body.items;
  }

  startGc(name: string) {
    return this.call<Awaited<ReturnType<DocrApi['startGc']>>>(
      `/registries/${encodeURIComponent(name)}/gc-runs`,
      {
        method: 'POST',
        body: '{}',
      },
    );
  }

  cancelRun(name: string, runId: number) {
    return this.call<Awaited<ReturnType<DocrApi['cancelRun']>>>(
      `/registries/${encodeURIComponent(name)}/gc-runs/${runId}/cancel`,
      { method: 'POST', body: '{}' },
    );
  }

  listRepositories(name: string, query?: ListingQuery) {
    return this.call<Awaited<ReturnType<DocrApi['listRepositories']>>>(
      `/registries/${encodeURIComponent(name)}/repositories${queryString(query)}`,
    );
  }

  listTags(name: string, repository: string, query?: ListingQuery) {
    return this.call<Awaited<ReturnType<DocrApi['listTags']>>>(
      `/registries/${encodeURIComponent(name)}/repositories/${encodeURIComponent(repository)}/tags${queryString(query)}`,
    );
  }
}
