import type {
  RepositoryManifest,
  RepositoryTag,
  RepositoryV2,
} from '@backstage-docr/digitalocean-openapi';
import { CallOptions } from './options';
import { ApiCalls } from './ApiCalls';

/** Repositories, tags and manifests of a registry. */
export class RepositoryCalls {
  constructor(private readonly calls: ApiCalls) {}

  async listRepositories(
    registryName: string,
    options?: CallOptions,
  ): Promise<RepositoryV2[]> {
    return this.calls.listAllPages(
      query =>
        this.calls.api.GET('/v2/registries/{registry_name}/repositoriesV2', {
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
    await this.calls.unwrap(
      this.calls.api.DELETE(
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
    return this.calls.listAllPages(
      query =>
        this.calls.api.GET(
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
    await this.calls.unwrap(
      this.calls.api.DELETE(
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
    return this.calls.listAllPages(
      query =>
        this.calls.api.GET(
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
    await this.calls.unwrap(
      this.calls.api.DELETE(
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
}
