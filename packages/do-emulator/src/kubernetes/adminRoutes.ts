import type { AdminRoute } from '../http/adminRoutes';
import type { SeedWorkload } from './ClusterWorkloads';
import { KINDS, type Kind } from './objects';

const unprocessable = (message: string) => ({
  status: 422,
  body: { id: 'unprocessable_entity', message },
});

/** Runs the change on the named cluster's workloads; a bad request is a 422 naming why. */
function onCluster(change: () => void): { status: number; body?: unknown } {
  try {
    change();
    return { status: 204 };
  } catch (error) {
    return unprocessable(
      error instanceof Error ? error.message : String(error),
    );
  }
}

/**
 * `/_emulator/clusters/:cluster/...`: what runs on a DOKS cluster's Kubernetes API stand-in, for
 * demos and tests over HTTP (`emulator.account.kubernetes` in process).
 */
export const kubernetesAdminRoutes: AdminRoute[] = [
  {
    // Body: a seed workload ({kind, namespace, name, image, replicas, history, ...}).
    method: 'POST',
    path: '/clusters/:cluster/workloads',
    handle: ({ emulator, body, params }) => {
      const cluster = emulator.account.getCluster(
        decodeURIComponent(params.cluster),
      );
      return onCluster(() =>
        emulator.account.kubernetes.run(cluster.id!, body as SeedWorkload),
      );
    },
  },
  {
    // Body: {kind, namespace, name, image}: a new release of the workload's first container.
    method: 'POST',
    path: '/clusters/:cluster/rollouts',
    handle: ({ emulator, body, params }) => {
      const cluster = emulator.account.getCluster(
        decodeURIComponent(params.cluster),
      );
      if (!(body.kind in KINDS) || !body.name || !body.image)
        return unprocessable('a rollout needs kind, name and image');
      return onCluster(() =>
        emulator.account.kubernetes
          .cluster(cluster.id!)
          .rollOut(
            body.kind as Kind,
            body.namespace ?? 'default',
            body.name,
            body.image,
          ),
      );
    },
  },
  {
    // Body: {reachable: false} drops every connection to the cluster's API; true brings it back.
    method: 'PUT',
    path: '/clusters/:cluster/reachable',
    handle: ({ emulator, body, params }) => {
      const cluster = emulator.account.getCluster(
        decodeURIComponent(params.cluster),
      );
      if (typeof body.reachable !== 'boolean')
        return unprocessable('reachable must be true or false');
      emulator.account.kubernetes.setReachable(cluster.id!, body.reachable);
      return { status: 204 };
    },
  },
];
