import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
} from '@kubernetes/client-node';
import type { KubernetesClusterCredentials } from '@backstage-docr/digitalocean-openapi';
import type { ClusterObjects } from './clusterImages';

/** Items per page of a Kubernetes list call. */
const PAGE_SIZE = 500;

/**
 * A kubeconfig for one cluster from the credentials DigitalOcean's API issued: its API server,
 * CA and token (or client certificate). Held in memory for one read, never logged.
 */
export function kubeConfigFor(
  clusterName: string,
  credentials: KubernetesClusterCredentials,
): KubeConfig {
  if (!credentials.server)
    throw new Error(
      `DigitalOcean gave no API server for cluster ${clusterName}`,
    );
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      {
        name: clusterName,
        server: credentials.server,
        caData: credentials.certificate_authority_data ?? undefined,
        skipTLSVerify: false,
      },
    ],
    users: [
      {
        name: clusterName,
        token: credentials.token ?? undefined,
        certData: credentials.client_certificate_data ?? undefined,
        keyData: credentials.client_key_data ?? undefined,
      },
    ],
    contexts: [{ name: clusterName, cluster: clusterName, user: clusterName }],
    currentContext: clusterName,
  });
  return config;
}

interface Page<T> {
  items: T[];
  metadata?: { _continue?: string };
}

/** Every item of a list call, `PAGE_SIZE` a page, following `continue`. */
async function listAll<T>(
  list: (page: { limit: number; _continue?: string }) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await list({ limit: PAGE_SIZE, _continue: token });
    items.push(...page.items);
    token = page.metadata?._continue || undefined;
  } while (token);
  return items;
}

/**
 * Lists, in all namespaces, what images-in-use needs of a cluster: pods, ReplicaSets,
 * Deployments, DaemonSets, StatefulSets, CronJobs and Jobs. Read-only list calls, one kind
 * after another (a cluster's API server is not DigitalOcean's: its own pace).
 */
export async function readClusterObjects(
  config: KubeConfig,
): Promise<ClusterObjects> {
  const core = config.makeApiClient(CoreV1Api);
  const apps = config.makeApiClient(AppsV1Api);
  const batch = config.makeApiClient(BatchV1Api);
  return {
    pods: await listAll(p => core.listPodForAllNamespaces(p)),
    replicaSets: await listAll(p => apps.listReplicaSetForAllNamespaces(p)),
    deployments: await listAll(p => apps.listDeploymentForAllNamespaces(p)),
    daemonSets: await listAll(p => apps.listDaemonSetForAllNamespaces(p)),
    statefulSets: await listAll(p => apps.listStatefulSetForAllNamespaces(p)),
    cronJobs: await listAll(p => batch.listCronJobForAllNamespaces(p)),
    jobs: await listAll(p => batch.listJobForAllNamespaces(p)),
  };
}
