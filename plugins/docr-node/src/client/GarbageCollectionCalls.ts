import type {
  GarbageCollection,
  GarbageCollectionType,
} from '@backstage-docr/digitalocean-openapi';
import { DEFAULT_GC_TYPE } from '@backstage-docr/plugin-docr-common';
import { CallOptions } from './options';
import { ApiCalls } from './ApiCalls';

/** Garbage collections of a registry. */
export class GarbageCollectionCalls {
  constructor(private readonly calls: ApiCalls) {}

  async startGarbageCollection(
    registryName: string,
    type: GarbageCollectionType = DEFAULT_GC_TYPE,
    options?: CallOptions,
  ): Promise<GarbageCollection> {
    const data = await this.calls.unwrap(
      this.calls.api.POST('/v2/registries/{registry_name}/garbage-collection', {
        params: { path: { registry_name: registryName } },
        body: { type },
        signal: options?.signal,
      }),
    );
    return data.garbage_collection!;
  }

  async getActiveGarbageCollection(
    registryName: string,
    options?: CallOptions,
  ): Promise<GarbageCollection | undefined> {
    return this.calls.orUndefinedOn404(
      this.calls
        .unwrap(
          this.calls.api.GET(
            '/v2/registries/{registry_name}/garbage-collection',
            {
              params: { path: { registry_name: registryName } },
              signal: options?.signal,
            },
          ),
        )
        .then(d => d.garbage_collection!),
    );
  }

  async listGarbageCollections(
    registryName: string,
    options?: CallOptions & { limit?: number },
  ): Promise<GarbageCollection[]> {
    return this.calls.listAllPages(
      query =>
        this.calls.api.GET(
          '/v2/registries/{registry_name}/garbage-collections',
          {
            params: { path: { registry_name: registryName }, query },
            signal: options?.signal,
          },
        ),
      data => data.garbage_collections ?? [],
      options?.limit,
    );
  }

  async cancelGarbageCollection(
    registryName: string,
    uuid: string,
    options?: CallOptions,
  ): Promise<GarbageCollection> {
    const data = await this.calls.unwrap(
      this.calls.api.PUT(
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
}
