import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { imagesInUseOnCluster } from './clusterImages';

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
});
