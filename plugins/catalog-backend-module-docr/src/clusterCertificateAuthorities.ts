import type { LoggerService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import type { KubernetesCluster } from '@backstage-docr/digitalocean-openapi';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';

/** How many credentials calls a refresh has in flight at once. */
export const CLUSTER_CA_CONCURRENCY = 4;
/** A cluster's CA is read again after this long (DOKS rotates it rarely; new clusters at once). */
export const CLUSTER_CA_MAX_AGE_MS = 24 * 3_600_000;
/**
 * The credentials endpoint also mints a token for the cluster; the shortest it allows is asked
 * for, since only the CA is used.
 */
export const CREDENTIALS_EXPIRY_SECONDS = 60;

/** CAs read by earlier refreshes, by cluster id. */
export type ClusterCaCache = Map<string, { ca: string; readAtMs: number }>;

/**
 * Each cluster's CA (`certificate_authority_data`: base64 PEM, as DigitalOcean returns it and as
 * the Kubernetes plugin's `caData` takes it), by cluster id, from
 * `GET /v2/kubernetes/clusters/{id}/credentials`: one call per cluster that has an endpoint and
 * whose CA the cache does not hold from the last day, at most {@link CLUSTER_CA_CONCURRENCY} at
 * a time, asking for the shortest-lived token. Only the CA is kept; the token and client key
 * in the same answer are dropped here and never logged. A cluster whose call fails is left out
 * (with a warning), so its entity goes without the CA annotation instead of failing the refresh;
 * an aborted refresh still fails.
 */
export async function clusterCertificateAuthorities(
  client: Pick<DigitalOceanClient, 'getClusterCredentials'>,
  clusters: KubernetesCluster[],
  logger: LoggerService,
  signal?: AbortSignal,
  cache: ClusterCaCache = new Map(),
  nowMs: number = Date.now(),
): Promise<Map<string, string>> {
  const cas = new Map<string, string>();
  const withEndpoint = clusters.filter(c => c.id && c.endpoint);
  // Clusters gone from the account are forgotten.
  const ids = new Set(withEndpoint.map(c => c.id!));
  for (const id of cache.keys()) if (!ids.has(id)) cache.delete(id);
  const queue = withEndpoint.filter(c => {
    const held = cache.get(c.id!);
    if (held && nowMs - held.readAtMs < CLUSTER_CA_MAX_AGE_MS) {
      cas.set(c.id!, held.ca);
      return false;
    }
    return true;
  });
  const worker = async () => {
    for (let cluster = queue.shift(); cluster; cluster = queue.shift()) {
      try {
        const { certificate_authority_data: ca } =
          await client.getClusterCredentials(cluster.id!, {
            signal,
            expirySeconds: CREDENTIALS_EXPIRY_SECONDS,
          });
        if (ca) {
          cas.set(cluster.id!, ca);
          cache.set(cluster.id!, { ca, readAtMs: nowMs });
        }
      } catch (error) {
        if (signal?.aborted) throw error;
        logger.warn(
          `Could not read the certificate authority of DOKS cluster ${cluster.name} (${cluster.id}); its entity has no kubernetes.io/api-server-certificate-authority this run: ${toError(error).message}`,
        );
      }
    }
  };
  await Promise.all(
    Array.from(
      { length: Math.min(CLUSTER_CA_CONCURRENCY, queue.length) },
      worker,
    ),
  );
  return cas;
}
