import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DefaultApiClient,
  type ListingQuery,
  type TypedResponse,
} from '@backstage-docr/plugin-docr-common';
import type { DocrApi } from './DocrApi';
import type { DocrRegistryRef } from './registryRef';

/** The answer's body, or the backend's error (Backstage's error shape) as a ResponseError. */
async function body<T>(response: TypedResponse<T>): Promise<T> {
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return response.json();
}

/** The query without an empty search (`?q=` would ask for the same as none). */
function listing(query: ListingQuery = {}): ListingQuery {
  return query.q === '' ? { ...query, q: undefined } : query;
}

/**
 * The DocrApi over HTTP, through Backstage's discovery and authenticated fetch: the client
 * generated from the docr backend's OpenAPI spec (`DefaultApiClient` of
 * `@backstage-docr/plugin-docr-common`), each call under the registry's account
 * (`/accounts/<id>/…`) or at the root for the default account.
 *
 * @public
 */
export class DocrClient implements DocrApi {
  private readonly api: DefaultApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.api = new DefaultApiClient(options);
  }

  async getRegistry({ name, account }: DocrRegistryRef) {
    return body(
      account
        ? await this.api.getAccountRegistry({ path: { account, name } })
        : await this.api.getRegistry({ path: { name } }),
    );
  }

  async listRuns(
    { name, account }: DocrRegistryRef,
    query: { limit: number; offset: number },
  ) {
    return body(
      account
        ? await this.api.listAccountGcRuns({ path: { account, name }, query })
        : await this.api.listGcRuns({ path: { name }, query }),
    );
  }

  async getStorage({ name, account }: DocrRegistryRef, days = 30) {
    const query = { days };
    const samples = await body(
      account
        ? await this.api.listAccountStorageSamples({
            path: { account, name },
            query,
          })
        : await this.api.listStorageSamples({ path: { name }, query }),
    );
    return samples.items;
  }

  async startGc({ name, account }: DocrRegistryRef) {
    return body(
      account
        ? await this.api.startAccountGcRun({
            path: { account, name },
            body: {},
          })
        : await this.api.startGcRun({ path: { name }, body: {} }),
    );
  }

  async cancelRun({ name, account }: DocrRegistryRef, id: number) {
    return body(
      account
        ? await this.api.cancelAccountGcRun({
            path: { account, name, id },
            body: {},
          })
        : await this.api.cancelGcRun({ path: { name, id }, body: {} }),
    );
  }

  async listRepositories(
    { name, account }: DocrRegistryRef,
    query?: ListingQuery,
  ) {
    return body(
      account
        ? await this.api.listAccountRepositories({
            path: { account, name },
            query: listing(query),
          })
        : await this.api.listRepositories({
            path: { name },
            query: listing(query),
          }),
    );
  }

  async listTags(
    { name, account }: DocrRegistryRef,
    repository: string,
    query?: ListingQuery,
  ) {
    return body(
      account
        ? await this.api.listAccountRepositoryTags({
            path: { account, name, repository },
            query: listing(query),
          })
        : await this.api.listRepositoryTags({
            path: { name, repository },
            query: listing(query),
          }),
    );
  }

  async getRetentionPreview({ name, account }: DocrRegistryRef) {
    return body(
      account
        ? await this.api.getAccountRetentionPreview({ path: { account, name } })
        : await this.api.getRetentionPreview({ path: { name } }),
    );
  }

  async checkRegistryName(name: string, account?: string) {
    return body(
      account
        ? await this.api.checkAccountRegistryName({
            path: { account },
            body: { name },
          })
        : await this.api.checkRegistryName({ body: { name } }),
    );
  }
}
