import { createHash, randomBytes } from 'node:crypto';
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

/**
 * A stable fake CA for the cluster, as DigitalOcean sends it (`certificate_authority_data`: the
 * PEM, base64-encoded). Its body is derived from the cluster's id, so it is the same on every call
 * and differs between clusters; it is not a certificate anything could verify with.
 */
export function clusterCaData(clusterId: string): string {
  const der = Buffer.concat(
    [0, 1, 2, 3, 4, 5, 6, 7].map(i =>
      createHash('sha256').update(`doks-ca:${clusterId}:${i}`).digest(),
    ),
  ).toString('base64');
  const pem = [
    '-----BEGIN CERTIFICATE-----',
    ...(der.match(/.{1,64}/g) ?? []),
    '-----END CERTIFICATE-----',
    '',
  ].join('\n');
  return Buffer.from(pem).toString('base64');
}

/**
 * What `GET /v2/kubernetes/clusters/{id}/credentials` returns for a token-authenticated cluster:
 * its API server (the emulator's stand-in when given, else its endpoint) and CA, and a token
 * valid for `expirySeconds` (7 days when 0 or absent).
 */
export function clusterCredentials(
  cluster: ClusterState,
  nowMs: number,
  expirySeconds = 0,
  apiServer?: { server: string; caData: string },
) {
  const ttl = (expirySeconds || 7 * 24 * 3600) * 1000;
  const server = apiServer?.server ?? cluster.endpoint;
  return {
    ...(server ? { server } : {}),
    certificate_authority_data: apiServer?.caData ?? clusterCaData(cluster.id!),
    client_certificate_data: null,
    client_key_data: null,
    token: `doks-emulator-${randomBytes(16).toString('hex')}`,
    expires_at: new Date(nowMs + ttl).toISOString(),
  };
}
