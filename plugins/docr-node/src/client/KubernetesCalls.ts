import type {
  KubernetesCluster,
  KubernetesClusterCredentials,
} from '@backstage-docr/digitalocean-openapi';
import { CallOptions } from './options';
import { ApiCalls } from './ApiCalls';

/** DOKS clusters and their registry integration. */
export class KubernetesCalls {
  constructor(private readonly calls: ApiCalls) {}

  async listClusters(options?: CallOptions): Promise<KubernetesCluster[]> {
    return this.calls.listAllPages(
      query =>
        this.calls.api.GET('/v2/kubernetes/clusters', {
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
    const data = await this.calls.unwrap(
      this.calls.api.GET('/v2/kubernetes/clusters/{cluster_id}', {
        params: { path: { cluster_id: clusterId } },
        signal: options?.signal,
      }),
    );
    return data.kubernetes_cluster!;
  }

  /**
   * The cluster's credentials. Besides its CA they hold secrets (a token, or a client key): never
   * log or store those.
   */
  /**
   * The cluster's credentials: its CA, and a token that lasts `expirySeconds` (DigitalOcean's
   * default, 7 days, when absent).
   */
  async getClusterCredentials(
    clusterId: string,
    options?: CallOptions & { expirySeconds?: number },
  ): Promise<KubernetesClusterCredentials> {
    return this.calls.unwrap(
      this.calls.api.GET('/v2/kubernetes/clusters/{cluster_id}/credentials', {
        params: {
          path: { cluster_id: clusterId },
          ...(options?.expirySeconds !== undefined
            ? { query: { expiry_seconds: options.expirySeconds } }
            : {}),
        },
        signal: options?.signal,
      }),
    );
  }

  async addRegistriesToClusters(
    clusterIds: string[],
    registryNames: string[],
    options?: CallOptions,
  ) {
    await this.calls.unwrap(
      this.calls.api.POST('/v2/kubernetes/registries', {
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
    await this.calls.unwrap(
      this.calls.api.DELETE('/v2/kubernetes/registries', {
        body: { cluster_uuids: clusterIds, registries: registryNames },
        signal: options?.signal,
      }),
    );
  }

  async addSoleRegistryToClusters(clusterIds: string[], options?: CallOptions) {
    await this.calls.unwrap(
      this.calls.api.POST('/v2/kubernetes/registry', {
        body: { cluster_uuids: clusterIds },
        signal: options?.signal,
      }),
    );
  }

  async removeSoleRegistryFromClusters(
    clusterIds: string[],
    options?: CallOptions,
  ) {
    await this.calls.unwrap(
      this.calls.api.DELETE('/v2/kubernetes/registry', {
        body: { cluster_uuids: clusterIds },
        signal: options?.signal,
      }),
    );
  }
}
