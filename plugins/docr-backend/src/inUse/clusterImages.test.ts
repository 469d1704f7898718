import type {
  V1ControllerRevision,
  V1DaemonSet,
  V1Deployment,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { type ClusterObjects, imagesInUseOnCluster } from './clusterImages';

const HOST = 'registry.digitalocean.com';
const DEPLOYMENTS = 200;
const REVISIONS = 3;

const template = (image: string) => ({
  spec: { containers: [{ name: 'app', image }] },
});

const deployment = (i: number): V1Deployment => ({
  metadata: {
    name: `app-${i}`,
    namespace: 'shop',
    uid: `uid-${i}`,
    annotations: { 'deployment.kubernetes.io/revision': String(REVISIONS) },
  },
  spec: {
    selector: {},
    template: template(`${HOST}/acme/app-${i}:v${REVISIONS}`),
  },
});

/** Revision `revision` of deployment `i`, counting each read of its owners. */
function replicaSet(
  i: number,
  revision: number,
  reads: { count: number },
): V1ReplicaSet {
  const ownerReferences = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: `app-${i}`,
      uid: `uid-${i}`,
    },
  ];
  const metadata = {
    name: `app-${i}-${revision}`,
    namespace: 'shop',
    annotations: { 'deployment.kubernetes.io/revision': String(revision) },
  };
  Object.defineProperty(metadata, 'ownerReferences', {
    enumerable: true,
    get: () => {
      reads.count++;
      return ownerReferences;
    },
  });
  return {
    metadata,
    spec: {
      selector: {},
      template: template(`${HOST}/acme/app-${i}:v${revision}`),
    },
  };
}

describe('imagesInUseOnCluster', () => {
  it("finds each Deployment's earlier releases reading every ReplicaSet's owners a bounded number of times, however many Deployments", () => {
    const reads = { count: 0 };
    const deployments = Array.from({ length: DEPLOYMENTS }, (_, i) =>
      deployment(i),
    );
    const replicaSets = deployments.flatMap((_, i) =>
      Array.from({ length: REVISIONS }, (__, r) => replicaSet(i, r + 1, reads)),
    );
    const uses = imagesInUseOnCluster('prod', {
      pods: [],
      replicaSets,
      deployments,
      daemonSets: [],
      statefulSets: [],
      controllerRevisions: [],
      cronJobs: [],
      jobs: [],
    });
    expect(reads.count).toBeLessThanOrEqual(2 * replicaSets.length);
    expect(
      uses
        .filter(u => u.repository === 'app-7')
        .map(u => [u.kind, u.tag, u.previousRelease]),
    ).toEqual([
      ['workload', 'v3', undefined],
      ['previousRelease', 'v2', 1],
      ['previousRelease', 'v1', 2],
    ]);
  });

  const NONE: ClusterObjects = {
    pods: [],
    replicaSets: [],
    deployments: [],
    daemonSets: [],
    statefulSets: [],
    controllerRevisions: [],
    cronJobs: [],
    jobs: [],
  };

  /** Revision `revision` of the set named `owner`, running `image` (as its controller keeps it). */
  const controllerRevision = (
    owner: { kind: string; name: string; uid: string },
    revision: number,
    image: string,
  ): V1ControllerRevision => ({
    metadata: {
      name: `${owner.name}-rev${revision}`,
      namespace: 'infra',
      ownerReferences: [{ apiVersion: 'apps/v1', ...owner }],
    },
    data: {
      spec: {
        template: { ...template(`${HOST}/acme/${image}`), $patch: 'replace' },
      },
    },
    revision,
  });

  const uses = (objects: Partial<ClusterObjects>, repository: string) =>
    imagesInUseOnCluster('prod-ams3', { ...NONE, ...objects })
      .filter(u => u.repository === repository)
      .map(u => [u.kind, u.tag, u.previousRelease, u.where]);

  it("keeps a DaemonSet's earlier releases from its ControllerRevisions, newest first, within its revisionHistoryLimit, and no other owner's", () => {
    const owner = { kind: 'DaemonSet', name: 'log-agent', uid: 'ds-uid' };
    const daemonSet: V1DaemonSet = {
      metadata: { name: 'log-agent', namespace: 'infra', uid: 'ds-uid' },
      spec: {
        selector: {},
        revisionHistoryLimit: 2,
        template: template(`${HOST}/acme/agent:v4`),
      },
    };
    const other = { kind: 'DaemonSet', name: 'other', uid: 'other-uid' };
    expect(
      uses(
        {
          daemonSets: [daemonSet],
          // Listed in no particular order, as the API lists them by name.
          controllerRevisions: [
            controllerRevision(owner, 2, 'agent:v2'),
            controllerRevision(owner, 4, 'agent:v4'),
            controllerRevision(other, 7, 'agent:v7'),
            controllerRevision(owner, 1, 'agent:v1'),
            controllerRevision(owner, 3, 'agent:v3'),
          ],
        },
        'agent',
      ),
    ).toEqual([
      [
        'workload',
        'v4',
        undefined,
        'deployed by prod-ams3: infra/daemonset/log-agent',
      ],
      [
        'previousRelease',
        'v3',
        1,
        'previous release 1 of prod-ams3: infra/daemonset/log-agent (revision 3)',
      ],
      [
        'previousRelease',
        'v2',
        2,
        'previous release 2 of prod-ams3: infra/daemonset/log-agent (revision 2)',
      ],
    ]);
  });

  it('counts both revisions a StatefulSet runs during a rolling update as deployed, the ones before as its previous releases', () => {
    const owner = { kind: 'StatefulSet', name: 'db', uid: 'ss-uid' };
    const statefulSet: V1StatefulSet = {
      metadata: { name: 'db', namespace: 'infra', uid: 'ss-uid' },
      spec: {
        selector: {},
        serviceName: 'db',
        template: template(`${HOST}/acme/db:v3`),
      },
      status: {
        replicas: 3,
        currentRevision: 'db-rev2',
        updateRevision: 'db-rev3',
      },
    };
    expect(
      uses(
        {
          statefulSets: [statefulSet],
          controllerRevisions: [1, 2, 3].map(r =>
            controllerRevision(owner, r, `db:v${r}`),
          ),
        },
        'db',
      ),
    ).toEqual([
      [
        'workload',
        'v3',
        undefined,
        'deployed by prod-ams3: infra/statefulset/db',
      ],
      [
        'previousRelease',
        'v1',
        1,
        'previous release 1 of prod-ams3: infra/statefulset/db (revision 1)',
      ],
      [
        'workload',
        'v2',
        undefined,
        'deployed by prod-ams3: infra/statefulset/db (revision 2)',
      ],
    ]);
  });

  it('reads a DaemonSet without ControllerRevisions (none listed yet) by its template alone', () => {
    const daemonSet: V1DaemonSet = {
      metadata: { name: 'log-agent', namespace: 'infra', uid: 'ds-uid' },
      spec: { selector: {}, template: template(`${HOST}/acme/agent:v1`) },
    };
    expect(uses({ daemonSets: [daemonSet] }, 'agent')).toEqual([
      [
        'workload',
        'v1',
        undefined,
        'deployed by prod-ams3: infra/daemonset/log-agent',
      ],
    ]);
  });
});
