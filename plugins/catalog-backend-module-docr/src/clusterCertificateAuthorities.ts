import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesCluster } from '@backstage-docr/digitalocean-openapi';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';

/** How many credentials calls a refresh has in flight at once. */
export const CLUSTER_CA_CONCURRENCY = 4;

/**
 * Each cluster's CA (`certificate_authority_data`: base64 PEM, as DigitalOcean returns it and as
 * the Kubernetes plugin's `caData` takes it), by cluster id, from
 * `GET /v2/kubernetes/clusters/{id}/credentials`: one call per cluster that has an endpoint, at
 * most {@link CLUSTER_CA_CONCURRENCY} at a time. Only the CA is kept; the token and client key
 * in the same answer are dropped here and never logged. A cluster whose call fails is left out
 * (with a warning), so its entity goes without the CA annotation instead of failing the refresh;
 * an aborted refresh still fails.
 */
export async function clusterCertificateAuthorities(
  client: Pick<DigitalOceanClient, 'getClusterCredentials'>,
  clusters: KubernetesCluster[],
  logger: LoggerService,
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const cas = new Map<string, string>();
  const queue = clusters.filter(c => c.id && c.endpoint);
  const worker = async () => {
    for (let cluster = queue.shift(); cluster; cluster = queue.shift()) {
      try {
        const { certificate_authority_data: ca } =
          await client.getClusterCredentials(cluster.id!, { signal });
        if (ca) cas.set(cluster.id!, ca);
      } catch (error) {
        if (signal?.aborted) throw error;
        logger.warn(
          `Could not read the certificate authority of DOKS cluster ${cluster.name} (${cluster.id}); its entity has no kubernetes.io/api-server-certificate-authority this run: ${error instanceof Error ? error.message : String(error)}`,
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
