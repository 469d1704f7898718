import type { KubernetesCluster } from '@backstage-docr/digitalocean-openapi';

/** Generated types mark server-set fields readonly; the emulator is the server that sets them. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type ClusterState = Mutable<KubernetesCluster>;

/**
 * A DOKS cluster as DigitalOcean reports a running one: the given fields over defaults, its
 * registry integration on when it lists registries.
 */
export function newCluster(
  id: string,
  cluster: Partial<KubernetesCluster> & { name: string },
  nowMs: number,
): ClusterState {
  const now = new Date(nowMs).toISOString();
  return {
    id,
    region: 'fra1',
    version: '1.33.1-do.0',
    node_pools: [{ name: 'default-pool', size: 's-2vcpu-4gb', count: 3 }],
    endpoint: `https://${id}.k8s.ondigitalocean.com`,
    ipv4: '',
    tags: ['k8s', `k8s:${id}`],
    auto_upgrade: false,
    surge_upgrade: true,
    ha: false,
    status: { state: 'running', message: '' },
    created_at: now,
    updated_at: now,
    ...(cluster as Partial<ClusterState>),
    name: cluster.name,
    isolated_workers: cluster.isolated_workers ?? false,
    registry_enabled: (cluster.registries?.length ?? 0) > 0,
    registries: cluster.registries ?? [],
  };
}

/** Adds registries to (or removes them from) each cluster's registry integration. */
export function changeClusterRegistries(
  clusters: ClusterState[],
  registryNames: string[],
  add: boolean,
  nowMs: number,
): void {
  const now = new Date(nowMs).toISOString();
  for (const cluster of clusters) {
    const current = new Set(cluster.registries ?? []);
    for (const name of registryNames) {
      if (add) current.add(name);
      else current.delete(name);
    }
    cluster.registries = [...current].sort();
    cluster.registry_enabled = cluster.registries.length > 0;
    cluster.updated_at = now;
  }
}

/** Takes a deleted registry out of every cluster's integration (`updated_at` unchanged). */
export function forgetRegistry(
  clusters: Iterable<ClusterState>,
  registryName: string,
): void {
  for (const cluster of clusters) {
    if (cluster.registries?.includes(registryName)) {
      cluster.registries = cluster.registries.filter(r => r !== registryName);
      cluster.registry_enabled = cluster.registries.length > 0;
    }
  }
}
