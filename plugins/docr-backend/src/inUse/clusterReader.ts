import {
  AppsV1Api,
  BatchV1Api,
  type ConfigurationOptions,
  CoreV1Api,
  KubeConfig,
  Observable,
  type ObservableMiddleware,
} from '@kubernetes/client-node';
import type { KubernetesClusterCredentials } from '@backstage-docr/digitalocean-openapi';
import type { ClusterObjects } from './clusterImages';
import { MAX_PAGE_BYTES, boundedHttpLibrary } from './boundedHttpLibrary';

/** Items per page of a Kubernetes list call. */
const PAGE_SIZE = 500;

/**
 * Pages of one kind read at most (100 000 objects): a cluster that lists more, or whose
 * `continue` never ends, is not read (and its registries' images are held as in use).
 */
export const MAX_PAGES = 200;

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
  // The token is only ever sent over TLS verified against the cluster's own CA.
  if (new URL(credentials.server).protocol !== 'https:')
    throw new Error(
      `DigitalOcean gave cluster ${clusterName} an API server that is not HTTPS`,
    );
  if (!credentials.certificate_authority_data)
    throw new Error(`DigitalOcean gave no CA for cluster ${clusterName}`);
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      {
        name: clusterName,
        server: credentials.server,
        caData: credentials.certificate_authority_data,
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

const isPageTooLarge = (error: unknown) =>
  (error as Error | undefined)?.name === 'PageTooLargeError';

/**
 * Every item of a list call, `PAGE_SIZE` a page, following `continue` for at most `MAX_PAGES`
 * pages of that size, and no further once `signal` is aborted. A page over the byte bound is
 * asked for again at half the size (objects with very many containers), down to one object.
 */
export async function listAll<T>(
  list: (page: { limit: number; _continue?: string }) => Promise<Page<T>>,
  signal?: AbortSignal,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  let limit = PAGE_SIZE;
  for (let pages = 1; ; pages++) {
    signal?.throwIfAborted();
    let page: Page<T>;
    try {
      page = await list({ limit, _continue: token });
    } catch (error) {
      if (!isPageTooLarge(error) || limit === 1) throw error;
      limit = Math.ceil(limit / 2);
      continue;
    }
    for (const item of page.items) items.push(item);
    token = page.metadata?._continue || undefined;
    if (!token) return items;
    if (
      pages >= MAX_PAGES * (PAGE_SIZE / limit) ||
      items.length >= MAX_PAGES * PAGE_SIZE
    )
      throw new Error(
        `it lists more than ${MAX_PAGES * PAGE_SIZE} objects of a kind`,
      );
  }
}

/**
 * Request options that abort the request (and its body) with `signal` and read at most
 * `maxPageBytes` of each answer.
 */
function requestOptions(
  signal: AbortSignal,
  maxPageBytes: number,
): ConfigurationOptions {
  const signalled: ObservableMiddleware = {
    pre: request => {
      request.setSignal(signal);
      return new Observable(Promise.resolve(request));
    },
    post: response => new Observable(Promise.resolve(response)),
  };
  return {
    httpApi: boundedHttpLibrary(maxPageBytes),
    middleware: [signalled],
    middlewareMergeStrategy: 'append',
  };
}

/**
 * Lists, in all namespaces, what images-in-use needs of a cluster: pods, ReplicaSets,
 * Deployments, DaemonSets, StatefulSets, ControllerRevisions (a DaemonSet's or StatefulSet's
 * releases), CronJobs and Jobs. Read-only list calls, one kind after another (a cluster's API
 * server is not DigitalOcean's: its own pace).
 */
export async function readClusterObjects(
  config: KubeConfig,
  signal: AbortSignal,
  maxPageBytes = MAX_PAGE_BYTES,
): Promise<ClusterObjects> {
  const core = config.makeApiClient(CoreV1Api);
  const apps = config.makeApiClient(AppsV1Api);
  const batch = config.makeApiClient(BatchV1Api);
  const o = requestOptions(signal, maxPageBytes);
  return {
    pods: await listAll(p => core.listPodForAllNamespaces(p, o), signal),
    replicaSets: await listAll(
      p => apps.listReplicaSetForAllNamespaces(p, o),
      signal,
    ),
    deployments: await listAll(
      p => apps.listDeploymentForAllNamespaces(p, o),
      signal,
    ),
    daemonSets: await listAll(
      p => apps.listDaemonSetForAllNamespaces(p, o),
      signal,
    ),
    statefulSets: await listAll(
      p => apps.listStatefulSetForAllNamespaces(p, o),
      signal,
    ),
    controllerRevisions: await listAll(
      p => apps.listControllerRevisionForAllNamespaces(p, o),
      signal,
    ),
    cronJobs: await listAll(
      p => batch.listCronJobForAllNamespaces(p, o),
      signal,
    ),
    jobs: await listAll(p => batch.listJobForAllNamespaces(p, o), signal),
  };
}
