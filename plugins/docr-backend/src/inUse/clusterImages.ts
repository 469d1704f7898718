import type {
  V1ControllerRevision,
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
  /** A DaemonSet's or StatefulSet's releases, owned by it. */
  controllerRevisions: V1ControllerRevision[];
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

/** A workload's earlier release: its pod template and revision number. */
interface Release {
  template: V1PodTemplateSpec | undefined;
  revision: number;
}

/**
 * A workload's current template (`name` is `<namespace>/<kind>/<name>`) and its earlier releases,
 * given newest first: previous release 1 is the one a rollback goes back to.
 */
function releaseUses(
  cluster: string,
  meta: V1ObjectMeta | undefined,
  name: string,
  template: V1PodTemplateSpec | undefined,
  previous: Release[],
): ImageUse[] {
  const base = { cluster, namespace: meta?.namespace };
  return [
    ...templateUses(template, {
      ...base,
      kind: 'workload',
      where: `deployed by ${cluster}: ${name}`,
    }),
    ...previous.flatMap((release, i) =>
      templateUses(release.template, {
        ...base,
        kind: 'previousRelease',
        previousRelease: i + 1,
        where: `previous release ${i + 1} of ${cluster}: ${name} (revision ${release.revision})`,
      }),
    ),
  ];
}

/**
 * A Deployment's current template, and its earlier releases: the ReplicaSets it owns with a
 * lower revision, newest first, as many as its `revisionHistoryLimit` keeps.
 */
function deploymentUses(
  cluster: string,
  deployment: V1Deployment,
  replicaSetsByOwner: Map<string, V1ReplicaSet[]>,
): ImageUse[] {
  const meta = deployment.metadata;
  const owned = [
    ...((meta?.uid && replicaSetsByOwner.get(meta.uid)) || []),
  ].sort((a, b) => revisionOf(b.metadata) - revisionOf(a.metadata));
  const current = revisionOf(meta) || revisionOf(owned[0]?.metadata);
  const limit = deployment.spec?.revisionHistoryLimit ?? 10;
  const previous = owned
    .filter(rs => revisionOf(rs.metadata) < current)
    .slice(0, limit)
    .map(rs => ({
      template: rs.spec?.template,
      revision: revisionOf(rs.metadata),
    }));
  const name = `${meta?.namespace ?? 'default'}/deployment/${meta?.name}`;
  return releaseUses(cluster, meta, name, deployment.spec?.template, previous);
}

/** The pod template a ControllerRevision restores (`data` is the patch `{spec: {template}}`). */
const revisionTemplate = (
  revision: V1ControllerRevision,
): V1PodTemplateSpec | undefined => revision.data?.spec?.template;

/**
 * A DaemonSet's or StatefulSet's current template, and its earlier releases: the
 * ControllerRevisions it owns below its current (highest) one, newest first, as many as its
 * `revisionHistoryLimit` keeps. A StatefulSet's `status.currentRevision` and `updateRevision`
 * both run during a rolling update: neither is a previous release, and each one's template
 * counts as deployed.
 */
function setUses(
  cluster: string,
  kind: 'daemonset' | 'statefulset',
  set: V1DaemonSet | V1StatefulSet,
  revisionsByOwner: Map<string, V1ControllerRevision[]>,
): ImageUse[] {
  const meta = set.metadata;
  const name = `${meta?.namespace ?? 'default'}/${kind}/${meta?.name}`;
  const owned = [...((meta?.uid && revisionsByOwner.get(meta.uid)) || [])].sort(
    (a, b) => (Number(b.revision) || 0) - (Number(a.revision) || 0),
  );
  const status = (set as V1StatefulSet).status;
  const running = new Set(
    [status?.currentRevision, status?.updateRevision].filter(Boolean),
  );
  // The newest is the current release (the set's template).
  const older = owned.slice(1);
  const rolling = older.filter(r => running.has(r.metadata?.name));
  const previous = older
    .filter(r => !running.has(r.metadata?.name))
    .slice(0, set.spec?.revisionHistoryLimit ?? 10)
    .map(r => ({ template: revisionTemplate(r), revision: r.revision }));
  return [
    ...releaseUses(cluster, meta, name, set.spec?.template, previous),
    ...rolling.flatMap(r =>
      templateUses(revisionTemplate(r), {
        kind: 'workload',
        where: `deployed by ${cluster}: ${name} (revision ${r.revision})`,
        cluster,
        namespace: meta?.namespace,
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

/**
 * Objects by the uid of each owner: a Deployment's ReplicaSets, a DaemonSet's revisions, found
 * at once, not by a scan each.
 */
function byOwner<T extends { metadata?: V1ObjectMeta }>(
  objects: T[],
): Map<string, T[]> {
  const owned = new Map<string, T[]>();
  for (const object of objects)
    for (const { uid } of object.metadata?.ownerReferences ?? []) {
      const list = owned.get(uid);
      if (list) list.push(object);
      else owned.set(uid, [object]);
    }
  return owned;
}

/**
 * Every use of a DOCR image on one cluster: what its pods run, what its workloads' templates
 * name (Deployments, DaemonSets, StatefulSets, CronJobs, unfinished Jobs, ReplicaSets of no
 * Deployment), and the earlier releases a Deployment (ReplicaSets), DaemonSet or StatefulSet
 * (ControllerRevisions) keeps for a rollback.
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
  const revisionsByOwner = byOwner(objects.controllerRevisions);
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
      setUses(cluster, 'daemonset', ds, revisionsByOwner),
    ),
    ...objects.statefulSets.flatMap(ss =>
      setUses(cluster, 'statefulset', ss, revisionsByOwner),
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
