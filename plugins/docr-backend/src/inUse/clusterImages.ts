import type {
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1ObjectMeta,
  V1Pod,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { parseDocrImage } from './imageReferences';
import type { ImageUse } from './types';

/** What a cluster's Kubernetes API lists, as the images-in-use reader reads it. */
export interface ClusterObjects {
  pods: V1Pod[];
  replicaSets: V1ReplicaSet[];
  deployments: V1Deployment[];
  daemonSets: V1DaemonSet[];
  statefulSets: V1StatefulSet[];
  cronJobs: V1CronJob[];
  jobs: V1Job[];
}

const REVISION = 'deployment.kubernetes.io/revision';

const revisionOf = (meta: V1ObjectMeta | undefined) =>
  Number(meta?.annotations?.[REVISION] ?? 0) || 0;

const place = (cluster: string, meta: V1ObjectMeta | undefined) =>
  `${cluster}: ${meta?.namespace ?? 'default'}/${meta?.name ?? '?'}`;

/** The DOCR images a pod template names, by tag or digest. */
function templateUses(
  template: V1PodTemplateSpec | undefined,
  base: Omit<ImageUse, 'registry' | 'repository'>,
): ImageUse[] {
  const containers = [
    ...(template?.spec?.initContainers ?? []),
    ...(template?.spec?.containers ?? []),
  ];
  return containers.flatMap(container => {
    const image = parseDocrImage(container.image);
    return image ? [{ ...base, ...image }] : [];
  });
}

/**
 * The digests running pods pulled (`status.containerStatuses[].imageID`); a container not
 * pulled yet counts by the image its spec names. Finished pods (Succeeded, Failed) run nothing.
 */
function podUses(cluster: string, pod: V1Pod): ImageUse[] {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
    return [];
  const where = `running in ${place(cluster, pod.metadata)}`;
  const base = {
    kind: 'running' as const,
    where,
    cluster,
    namespace: pod.metadata?.namespace,
  };
  // By name, not a scan per container: a pod's lists come from the cluster, of any length.
  const imageIds = new Map<string, string>();
  for (const status of [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ])
    if (!imageIds.has(status.name)) imageIds.set(status.name, status.imageID);
  const containers = [
    ...(pod.spec?.initContainers ?? []),
    ...(pod.spec?.containers ?? []),
  ];
  return containers.flatMap(container => {
    const pulled = parseDocrImage(imageIds.get(container.name));
    if (pulled?.digest) return [{ ...base, ...pulled }];
    const named = parseDocrImage(container.image);
    return named ? [{ ...base, ...named }] : [];
  });
}

/**
 * A Deployment's current template, and its earlier releases: the ReplicaSets it owns with a
 * lower revision, newest first (previous release 1 is the one a rollback goes back to), as
 * many as its `revisionHistoryLimit` keeps.
 */
function deploymentUses(
  cluster: string,
  deployment: V1Deployment,
  replicaSetsByOwner: Map<string, V1ReplicaSet[]>,
): ImageUse[] {
  const meta = deployment.metadata;
  const name = `${meta?.namespace ?? 'default'}/deployment/${meta?.name}`;
  const owned = [
    ...((meta?.uid && replicaSetsByOwner.get(meta.uid)) || []),
  ].sort((a, b) => revisionOf(b.metadata) - revisionOf(a.metadata));
  const current = revisionOf(meta) || revisionOf(owned[0]?.metadata);
  const limit = deployment.spec?.revisionHistoryLimit ?? 10;
  const previous = owned
    .filter(rs => revisionOf(rs.metadata) < current)
    .slice(0, limit);
  const base = { cluster, namespace: meta?.namespace };
  return [
    ...templateUses(deployment.spec?.template, {
      ...base,
      kind: 'workload',
      where: `deployed by ${cluster}: ${name}`,
    }),
    ...previous.flatMap((rs, i) =>
      templateUses(rs.spec?.template, {
        ...base,
        kind: 'previousRelease',
        previousRelease: i + 1,
        where: `previous release ${i + 1} of ${cluster}: ${name} (revision ${revisionOf(rs.metadata)})`,
      }),
    ),
  ];
}

function workloadUses(
  cluster: string,
  kind: string,
  meta: V1ObjectMeta | undefined,
  template: V1PodTemplateSpec | undefined,
): ImageUse[] {
  return templateUses(template, {
    kind: 'workload',
    where: `deployed by ${cluster}: ${meta?.namespace ?? 'default'}/${kind}/${meta?.name}`,
    cluster,
    namespace: meta?.namespace,
  });
}

const ownedByKind = (meta: V1ObjectMeta | undefined, kind: string) =>
  meta?.ownerReferences?.some(o => o.kind === kind) ?? false;

/** The ReplicaSets by the uid of each owner: a Deployment's found at once, not by a scan each. */
function byOwner(replicaSets: V1ReplicaSet[]): Map<string, V1ReplicaSet[]> {
  const owned = new Map<string, V1ReplicaSet[]>();
  for (const rs of replicaSets)
    for (const { uid } of rs.metadata?.ownerReferences ?? []) {
      const list = owned.get(uid);
      if (list) list.push(rs);
      else owned.set(uid, [rs]);
    }
  return owned;
}

/**
 * Every use of a DOCR image on one cluster: what its pods run, what its workloads' templates
 * name (Deployments, DaemonSets, StatefulSets, CronJobs, unfinished Jobs, ReplicaSets of no
 * Deployment), and the earlier releases a Deployment keeps for a rollback.
 */
export function imagesInUseOnCluster(
  cluster: string,
  objects: ClusterObjects,
): ImageUse[] {
  const unfinishedJobs = objects.jobs.filter(
    job =>
      !job.status?.completionTime &&
      !ownedByKind(job.metadata, 'CronJob') &&
      !job.status?.conditions?.some(
        c =>
          (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
      ),
  );
  const replicaSetsByOwner = byOwner(objects.replicaSets);
  return [
    ...objects.pods.flatMap(pod => podUses(cluster, pod)),
    ...objects.deployments.flatMap(d =>
      deploymentUses(cluster, d, replicaSetsByOwner),
    ),
    ...objects.replicaSets
      .filter(rs => !ownedByKind(rs.metadata, 'Deployment'))
      .flatMap(rs =>
        workloadUses(cluster, 'replicaset', rs.metadata, rs.spec?.template),
      ),
    ...objects.daemonSets.flatMap(ds =>
      workloadUses(cluster, 'daemonset', ds.metadata, ds.spec?.template),
    ),
    ...objects.statefulSets.flatMap(ss =>
      workloadUses(cluster, 'statefulset', ss.metadata, ss.spec?.template),
    ),
    ...objects.cronJobs.flatMap(cj =>
      workloadUses(
        cluster,
        'cronjob',
        cj.metadata,
        cj.spec?.jobTemplate?.spec?.template,
      ),
    ),
    ...unfinishedJobs.flatMap(job =>
      workloadUses(cluster, 'job', job.metadata, job.spec?.template),
    ),
  ];
}
