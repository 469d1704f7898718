import { createHash } from 'node:crypto';

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

/** A Kubernetes object as the API serves it (only the fields the emulator sets). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: Record<string, any>;
  status?: Record<string, any>;
}

/**
 * One release of a DaemonSet or StatefulSet, as their controllers keep it: `data` is the patch
 * that restores it (`{spec: {template: {..., $patch: 'replace'}}}`), `revision` its number.
 */
export interface ControllerRevision {
  apiVersion: string;
  kind: 'ControllerRevision';
  metadata: ObjectMeta;
  data: { spec: { template: Record<string, any> } };
  revision: number;
}

/** What a list call serves. */
export type ListedObject = KubeObject | ControllerRevision;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface Container {
  name: string;
  image: string;
}

/** Where each kind is served: its API group version and plural. */
export const KINDS = {
  Pod: { apiVersion: 'v1', plural: 'pods' },
  ReplicaSet: { apiVersion: 'apps/v1', plural: 'replicasets' },
  Deployment: { apiVersion: 'apps/v1', plural: 'deployments' },
  DaemonSet: { apiVersion: 'apps/v1', plural: 'daemonsets' },
  StatefulSet: { apiVersion: 'apps/v1', plural: 'statefulsets' },
  Job: { apiVersion: 'batch/v1', plural: 'jobs' },
  CronJob: { apiVersion: 'batch/v1', plural: 'cronjobs' },
  ControllerRevision: { apiVersion: 'apps/v1', plural: 'controllerrevisions' },
} as const;

export type Kind = keyof typeof KINDS;

/** The kind served at `/<group version>/<plural>`, if any. */
export function kindAt(apiVersion: string, plural: string): Kind | undefined {
  return (Object.keys(KINDS) as Kind[]).find(
    kind =>
      KINDS[kind].apiVersion === apiVersion && KINDS[kind].plural === plural,
  );
}

/** A short, stable lower-case suffix, as controllers add to the names they make. */
export function nameSuffix(seed: string, length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = createHash('sha256').update(seed).digest();
  return Array.from(
    bytes.subarray(0, length),
    b => alphabet[b % alphabet.length],
  ).join('');
}

export function ownerReference(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A pod template with these containers and labels. */
export function podTemplate(
  containers: Container[],
  labels: Record<string, string>,
) {
  return {
    metadata: { labels },
    spec: {
      containers: containers.map(c => ({ name: c.name, image: c.image })),
    },
  };
}

/**
 * A container's status once the kubelet has tried to pull its image: running with the resolved
 * digest as `imageID`, or waiting in ImagePullBackOff with an empty one.
 */
export function containerStatus(
  container: Container,
  imageId: string | undefined,
  startedAt: string,
  terminated: boolean,
) {
  if (!imageId) {
    return {
      name: container.name,
      image: container.image,
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: {
        waiting: {
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image "${container.image}"`,
        },
      },
    };
  }
  return {
    name: container.name,
    image: container.image,
    imageID: imageId,
    ready: !terminated,
    restartCount: 0,
    started: !terminated,
    state: terminated
      ? {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt,
            finishedAt: startedAt,
          },
        }
      : { running: { startedAt } },
  };
}
