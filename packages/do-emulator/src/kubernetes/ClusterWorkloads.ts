import { createHash } from 'node:crypto';
import {
  Container,
  ControllerRevision,
  KINDS,
  Kind,
  KubeObject,
  ListedObject,
  containerStatus,
  nameSuffix,
  ownerReference,
  podTemplate,
} from './objects';

/**
 * A workload to run on an emulated DOKS cluster. `image` is shorthand for one container named
 * after the workload. `history` lists the images of its earlier releases, oldest first: each
 * leaves a ReplicaSet scaled to zero (a Deployment) or a ControllerRevision (a DaemonSet or
 * StatefulSet), as a rollout does, of which the newest `revisionHistoryLimit` (default 10) are
 * kept.
 */
export interface SeedWorkload {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob' | 'Job';
  name: string;
  namespace?: string;
  image?: string;
  containers?: Container[];
  /** Pods of a Deployment or StatefulSet (default 1); nodes of a DaemonSet (default 2). */
  replicas?: number;
  history?: string[];
  revisionHistoryLimit?: number;
  /** A CronJob's schedule (default hourly); it has run once, leaving a Job and its pod. */
  schedule?: string;
  /**
   * Pins the containers' images by the digest their tags name when the workload starts
   * (`repo@sha256:…`), as a deployment tool that resolves tags does.
   */
  pinByDigest?: boolean;
}

export interface WorkloadsDeps {
  /** The pulled digest of an image (`repo@sha256:…`), undefined when it cannot be pulled. */
  resolveImage(image: string): string | undefined;
  now(): number;
}

/**
 * What runs on one cluster: workloads, the ReplicaSets, Jobs and pods their controllers made,
 * kept as the API serves them. Changes bump the cluster's resource version.
 */
export class ClusterWorkloads {
  private readonly objects = new Map<Kind, KubeObject[]>();
  private revisions: ControllerRevision[] = [];
  private resourceVersion = 1;

  constructor(
    private readonly clusterId: string,
    private readonly deps: WorkloadsDeps,
  ) {}

  get currentResourceVersion(): string {
    return String(this.resourceVersion);
  }

  /** Objects of a kind, in one namespace or all, ordered as the API lists them. */
  list(kind: Kind, namespace?: string): ListedObject[] {
    const all: ListedObject[] =
      kind === 'ControllerRevision'
        ? this.revisions
        : (this.objects.get(kind) ?? []);
    return all
      .filter(o => !namespace || o.metadata.namespace === namespace)
      .sort(
        (a, b) =>
          a.metadata.namespace.localeCompare(b.metadata.namespace) ||
          a.metadata.name.localeCompare(b.metadata.name),
      );
  }

  get(kind: Kind, namespace: string, name: string): KubeObject | undefined {
    return this.objects
      .get(kind)
      ?.find(
        o => o.metadata.namespace === namespace && o.metadata.name === name,
      );
  }

  run(workload: SeedWorkload): KubeObject {
    const namespace = workload.namespace ?? 'default';
    if (this.get(workload.kind, namespace, workload.name)) {
      throw new Error(
        `${workload.kind} ${namespace}/${workload.name} already runs on cluster ${this.clusterId}`,
      );
    }
    const containers = (
      workload.containers ?? [
        { name: workload.name, image: requireImage(workload) },
      ]
    ).map(c =>
      workload.pinByDigest ? { ...c, image: this.pinned(c.image) } : c,
    );
    const labels = { app: workload.name };
    switch (workload.kind) {
      case 'Deployment': {
        const deployment = this.add('Deployment', namespace, workload.name, {
          replicas: workload.replicas ?? 1,
          revisionHistoryLimit: workload.revisionHistoryLimit ?? 10,
          selector: { matchLabels: labels },
          template: podTemplate(containers, labels),
        });
        for (const image of workload.history ?? [])
          this.rollOutDeployment(deployment, [
            { name: containers[0].name, image },
          ]);
        this.rollOutDeployment(deployment, containers);
        return deployment;
      }
      case 'StatefulSet':
      case 'DaemonSet':
        return this.startSet(workload, namespace, containers);
      case 'Job':
        return this.startJob(namespace, workload.name, containers);
      case 'CronJob': {
        const cronJob = this.add('CronJob', namespace, workload.name, {
          schedule: workload.schedule ?? '0 * * * *',
          suspend: false,
          jobTemplate: { spec: { template: podTemplate(containers, labels) } },
        });
        const job = this.startJob(
          namespace,
          `${workload.name}-${Math.floor(this.deps.now() / 60_000)}`,
          containers,
          cronJob,
        );
        cronJob.status = {
          lastScheduleTime: job.metadata.creationTimestamp,
          lastSuccessfulTime: job.metadata.creationTimestamp,
        };
        return cronJob;
      }
      default:
        throw new Error(`Unknown workload kind ${(workload as any).kind}`);
    }
  }

  /**
   * A new release of a Deployment, StatefulSet or DaemonSet: its template's first container runs
   * `image`. A Deployment keeps the ReplicaSet it ran before, scaled to zero, within its
   * `revisionHistoryLimit`; the others replace their pods.
   */
  rollOut(kind: Kind, namespace: string, name: string, image: string): void {
    const workload = this.get(kind, namespace, name);
    if (!workload)
      throw new Error(`No ${kind} ${namespace}/${name} on ${this.clusterId}`);
    const [first, ...others] = workload.spec.template.spec
      .containers as Container[];
    const containers = [{ name: first.name, image }, ...others];
    if (kind === 'Deployment') {
      workload.spec.template = podTemplate(
        containers,
        workload.spec.template.metadata.labels,
      );
      this.touch(workload);
      this.rollOutDeployment(workload, containers);
    } else if (kind === 'StatefulSet' || kind === 'DaemonSet') {
      this.rollOutSet(workload, containers);
    } else {
      throw new Error(
        `A rollout is of a Deployment, StatefulSet or DaemonSet, not of a ${kind}`,
      );
    }
  }

  /** A StatefulSet or DaemonSet, with a ControllerRevision for each release of its `history`. */
  private startSet(
    workload: SeedWorkload,
    namespace: string,
    containers: Container[],
  ): KubeObject {
    const labels = { app: workload.name };
    const set = this.add(workload.kind, namespace, workload.name, {
      ...(workload.kind === 'StatefulSet'
        ? { replicas: workload.replicas ?? 1, serviceName: workload.name }
        : {}),
      revisionHistoryLimit: workload.revisionHistoryLimit ?? 10,
      selector: { matchLabels: labels },
      template: podTemplate(containers, labels),
    });
    for (const image of workload.history ?? []) {
      set.spec.template = podTemplate(
        [{ name: containers[0].name, image }],
        labels,
      );
      this.recordRevision(set);
    }
    this.rollOutSet(set, containers, workload.replicas ?? 2);
    return set;
  }

  /**
   * A new release of a StatefulSet or DaemonSet: its template, a ControllerRevision for it (the
   * kept one again, under a new revision, for a rollback) and its pods replaced.
   */
  private rollOutSet(
    set: KubeObject,
    containers: Container[],
    nodes = this.ownedBy('Pod', set).length || 2,
  ): void {
    set.spec.template = podTemplate(
      containers,
      set.spec.template.metadata.labels,
    );
    this.touch(set);
    const current = this.recordRevision(set);
    const stateful = set.kind === 'StatefulSet';
    const replicas = stateful ? set.spec.replicas : nodes;
    this.replacePods(
      set,
      containers,
      replicas,
      stateful ? i => `${i}` : undefined,
    );
    set.status = stateful
      ? {
          replicas,
          readyReplicas: replicas,
          currentReplicas: replicas,
          updatedReplicas: replicas,
          currentRevision: current.metadata.name,
          updateRevision: current.metadata.name,
        }
      : {
          currentNumberScheduled: replicas,
          desiredNumberScheduled: replicas,
          numberReady: replicas,
          updatedNumberScheduled: replicas,
        };
  }

  /**
   * The set's template as its newest ControllerRevision (named by the template's hash, as the
   * controllers do), the older ones beyond `revisionHistoryLimit` deleted.
   */
  private recordRevision(set: KubeObject): ControllerRevision {
    const { namespace, name, uid } = set.metadata;
    const owned = this.revisions.filter(r =>
      r.metadata.ownerReferences?.some(o => o.uid === uid),
    );
    const hash = nameSuffix(JSON.stringify(set.spec.template.spec), 10);
    const revision = Math.max(0, ...owned.map(r => r.revision)) + 1;
    let current = owned.find(r => r.metadata.name === `${name}-${hash}`);
    if (current) {
      current.revision = revision;
      this.touch(current);
    } else {
      current = {
        apiVersion: KINDS.ControllerRevision.apiVersion,
        kind: 'ControllerRevision',
        metadata: this.metadata(
          'ControllerRevision',
          namespace,
          `${name}-${hash}`,
          set,
          {
            ...set.spec.selector.matchLabels,
            'controller-revision-hash': hash,
          },
        ),
        data: {
          spec: {
            template: {
              ...structuredClone(set.spec.template),
              $patch: 'replace',
            },
          },
        },
        revision,
      };
      this.revisions.push(current);
    }
    const limit = set.spec.revisionHistoryLimit ?? 10;
    const old = owned
      .filter(r => r !== current)
      .sort((a, b) => b.revision - a.revision)
      .slice(limit);
    if (old.length) {
      this.revisions = this.revisions.filter(r => !old.includes(r));
      this.resourceVersion++;
    }
    return current;
  }

  private pinned(image: string): string {
    const resolved = this.deps.resolveImage(image);
    if (!resolved)
      throw new Error(
        `Cannot pin ${image} by digest: it is not in the registry`,
      );
    return resolved;
  }

  private rollOutDeployment(deployment: KubeObject, containers: Container[]) {
    const { namespace, name } = deployment.metadata;
    const owned = this.ownedBy('ReplicaSet', deployment);
    for (const old of owned) {
      old.spec.replicas = 0;
      old.status = { replicas: 0, observedGeneration: 1 };
      this.touch(old);
      this.deletePodsOf(old);
    }
    const revision = Math.max(0, ...owned.map(rs => revisionOf(rs))) + 1;
    const hash = nameSuffix(JSON.stringify(containers), 10);
    const labels = {
      ...deployment.spec.selector.matchLabels,
      'pod-template-hash': hash,
    };
    // A rollback to a kept release scales its ReplicaSet up again, under a new revision.
    const replicaSet =
      owned.find(rs => rs.metadata.name === `${name}-${hash}`) ??
      this.add(
        'ReplicaSet',
        namespace,
        `${name}-${hash}`,
        {
          selector: { matchLabels: labels },
          template: podTemplate(containers, labels),
        },
        deployment,
      );
    replicaSet.spec.replicas = deployment.spec.replicas;
    replicaSet.metadata.annotations = {
      'deployment.kubernetes.io/revision': String(revision),
    };
    this.replacePods(replicaSet, containers, deployment.spec.replicas);
    replicaSet.status = {
      replicas: deployment.spec.replicas,
      readyReplicas: deployment.spec.replicas,
    };
    deployment.spec.template = podTemplate(
      containers,
      deployment.spec.selector.matchLabels,
    );
    deployment.metadata.annotations = {
      'deployment.kubernetes.io/revision': String(revision),
    };
    deployment.status = {
      replicas: deployment.spec.replicas,
      readyReplicas: deployment.spec.replicas,
      updatedReplicas: deployment.spec.replicas,
    };
    this.touch(deployment);
    this.pruneHistory(deployment);
  }

  /** The deployment controller deletes old ReplicaSets beyond `revisionHistoryLimit`. */
  private pruneHistory(deployment: KubeObject) {
    const old = this.ownedBy('ReplicaSet', deployment)
      .filter(rs => rs.spec.replicas === 0)
      .sort((a, b) => revisionOf(b) - revisionOf(a));
    const limit = deployment.spec.revisionHistoryLimit ?? 10;
    for (const rs of old.slice(limit)) this.remove('ReplicaSet', rs);
  }

  private startJob(
    namespace: string,
    name: string,
    containers: Container[],
    cronJob?: KubeObject,
  ): KubeObject {
    const labels = { 'job-name': name };
    const job = this.add(
      'Job',
      namespace,
      name,
      {
        backoffLimit: 6,
        completions: 1,
        template: {
          ...podTemplate(containers, labels),
          spec: {
            ...podTemplate(containers, labels).spec,
            restartPolicy: 'Never',
          },
        },
      },
      cronJob,
    );
    this.replacePods(job, containers, 1, undefined, true);
    job.status = { succeeded: 1 };
    return job;
  }

  private replacePods(
    owner: KubeObject,
    containers: Container[],
    count: number,
    suffix?: (i: number) => string,
    completed = false,
  ) {
    this.deletePodsOf(owner);
    const startedAt = new Date(this.deps.now()).toISOString();
    for (let i = 0; i < count; i++) {
      const podName = `${owner.metadata.name}-${
        suffix?.(i) ?? nameSuffix(`${owner.metadata.uid}:${i}`)
      }`;
      const statuses = containers.map(c =>
        containerStatus(
          c,
          this.deps.resolveImage(c.image),
          startedAt,
          completed,
        ),
      );
      const running = statuses.every(s => s.imageID);
      this.add(
        'Pod',
        owner.metadata.namespace,
        podName,
        {
          containers: containers.map(c => ({ name: c.name, image: c.image })),
          nodeName: `pool-${nameSuffix(`${this.clusterId}:${i}`)}`,
          ...(completed ? { restartPolicy: 'Never' } : {}),
        },
        owner,
        undefined,
        owner.spec.selector?.matchLabels ??
          owner.spec.template?.metadata?.labels,
      ).status = {
        phase: podPhase(running, completed),
        startTime: startedAt,
        containerStatuses: statuses,
      };
    }
  }

  private deletePodsOf(owner: KubeObject) {
    for (const pod of this.ownedBy('Pod', owner)) this.remove('Pod', pod);
  }

  private ownedBy(kind: Kind, owner: KubeObject): KubeObject[] {
    return (this.objects.get(kind) ?? []).filter(o =>
      o.metadata.ownerReferences?.some(r => r.uid === owner.metadata.uid),
    );
  }

  private add(
    kind: Kind,
    namespace: string,
    name: string,
    spec: Record<string, any>,
    owner?: KubeObject,
    annotations?: Record<string, string>,
    labels?: Record<string, string>,
  ): KubeObject {
    const object: KubeObject = {
      apiVersion: KINDS[kind].apiVersion,
      kind,
      metadata: {
        ...this.metadata(kind, namespace, name, owner, labels),
        ...(annotations ? { annotations } : {}),
      },
      spec,
    };
    const list = this.objects.get(kind) ?? [];
    list.push(object);
    this.objects.set(kind, list);
    return object;
  }

  private metadata(
    kind: Kind,
    namespace: string,
    name: string,
    owner?: KubeObject,
    labels?: Record<string, string>,
  ) {
    return {
      name,
      namespace,
      uid: uuidFrom(`${this.clusterId}:${kind}:${namespace}/${name}`),
      resourceVersion: String(++this.resourceVersion),
      generation: 1,
      creationTimestamp: new Date(this.deps.now()).toISOString(),
      ...(labels ? { labels: { ...labels } } : {}),
      ...(owner ? { ownerReferences: [ownerReference(owner)] } : {}),
    };
  }

  private remove(kind: Kind, object: KubeObject) {
    this.objects.set(
      kind,
      (this.objects.get(kind) ?? []).filter(o => o !== object),
    );
    this.resourceVersion++;
  }

  private touch(object: ListedObject) {
    object.metadata.resourceVersion = String(++this.resourceVersion);
  }
}

function podPhase(pulled: boolean, completed: boolean): string {
  if (!pulled) return 'Pending';
  return completed ? 'Succeeded' : 'Running';
}

export function revisionOf(replicaSet: KubeObject): number {
  return Number(
    replicaSet.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0,
  );
}

function requireImage(workload: SeedWorkload): string {
  if (!workload.image)
    throw new Error(
      `Workload ${workload.kind} ${workload.name} names neither image nor containers`,
    );
  return workload.image;
}

function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
