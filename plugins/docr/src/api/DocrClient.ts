import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  GcPolicyInput,
  ListingQuery,
} from '@backstage-docr/plugin-docr-common';
import {
  DefaultApiClient,
  type TypedResponse,
} from '@backstage-docr/plugin-docr-common/client';
import type {
  DocrApi,
  RetentionPreviewPage,
  SavingsQuery,
  SavingsSubject,
} from './DocrApi';
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

  async getPolicy(registry: DocrRegistryRef) {
    const { name, account } = registry;
    return body(
      account
        ? await this.api.getAccountPolicy({ path: { account, name } })
        : await this.api.getPolicy({ path: { name } }),
    );
  }

  async putPolicy(registry: DocrRegistryRef, policy: GcPolicyInput) {
    const { name, account } = registry;
    return body(
      account
        ? await this.api.putAccountPolicy({
            path: { account, name },
            body: policy,
          })
        : await this.api.putPolicy({ path: { name }, body: policy }),
    );
  }

  async getRegistry(registry: DocrRegistryRef) {
    const { name, account } = registry;
    return body(
      account
        ? await this.api.getAccountRegistry({ path: { account, name } })
        : await this.api.getRegistry({ path: { name } }),
    );
  }

  async listRuns(
    registry: DocrRegistryRef,
    page: { limit: number; offset: number },
  ) {
    const { name, account } = registry;
    return body(
      account
        ? await this.api.listAccountGcRuns({
            path: { account, name },
            query: page,
          })
        : await this.api.listGcRuns({ path: { name }, query: page }),
    );
  }

  async getStorage(registry: DocrRegistryRef, days = 30) {
    const { name, account } = registry;
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

  async getSavings(subject: SavingsSubject, query: SavingsQuery = {}) {
    return body(await this.savings(subject, { ...query, format: 'json' }));
  }

  async getSavingsCsv(subject: SavingsSubject, query: SavingsQuery = {}) {
    const response = await this.savings(subject, { ...query, format: 'csv' });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.text();
  }

  private savings(
    { account, registry }: SavingsSubject,
    query: SavingsQuery & { format: 'json' | 'csv' },
  ) {
    if (registry)
      return account
        ? this.api.getAccountRegistrySavings({
            path: { account, name: registry },
            query,
          })
        : this.api.getRegistrySavings({ path: { name: registry }, query });
    return account
      ? this.api.getAccountSavings({ path: { account }, query })
      : this.api.getSavings({ query });
  }

  async startGc(registry: DocrRegistryRef) {
    const { name, account } = registry;
    return body(
      account
        ? await this.api.startAccountGcRun({
            path: { account, name },
            body: {},
          })
        : await this.api.startGcRun({ path: { name }, body: {} }),
    );
  }

  async cancelRun(registry: DocrRegistryRef, runId: number) {
    const { name, account } = registry;
    return body(
      account
        ? await this.api.cancelAccountGcRun({
            path: { account, name, id: runId },
            body: {},
          })
        : await this.api.cancelGcRun({ path: { name, id: runId }, body: {} }),
    );
  }

  async listRepositories(registry: DocrRegistryRef, query?: ListingQuery) {
    const { name, account } = registry;
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
    registry: DocrRegistryRef,
    repository: string,
    query?: ListingQuery,
  ) {
    const { name, account } = registry;
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

  async getRetentionPreview(
    registry: DocrRegistryRef,
    page: RetentionPreviewPage = {},
  ) {
    const { name, account } = registry;
    return body(
      account
        ? await this.api.getAccountRetentionPreview({
            path: { account, name },
            query: page,
          })
        : await this.api.getRetentionPreview({ path: { name }, query: page }),
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
