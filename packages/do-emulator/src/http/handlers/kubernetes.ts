import { clusterCredentials } from '../../model/clusters';
import { unprocessable } from '../../model/errors';
import { paginate } from '../pagination';
import {
  OperationContext,
  OperationResult,
  noContent,
  ok,
  param,
} from './context';

// DOKS clusters and which registries they can pull from.

export function listClusters(ctx: OperationContext): OperationResult {
  const clusters = [...ctx.account.clusters.values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const page = paginate(clusters, ctx.query, ctx.url);
  return ok({
    kubernetes_clusters: page.items,
    links: page.links,
    meta: page.meta,
  });
}

export function getCluster(ctx: OperationContext): OperationResult {
  return ok({
    kubernetes_cluster: ctx.account.getCluster(param(ctx, 'cluster_id')),
  });
}

/**
 * The cluster's Kubernetes API server, its (stable, fake) CA and a fresh token that reads that
 * server until it expires.
 */
export function getCredentials(ctx: OperationContext): OperationResult {
  const cluster = ctx.account.getCluster(param(ctx, 'cluster_id'));
  const credentials = clusterCredentials(
    cluster,
    ctx.account.now(),
    Number(ctx.query.expiry_seconds ?? 0),
    ctx.account.kubernetesServer(cluster),
  );
  ctx.account.kubernetes.issueToken(
    cluster.id!,
    credentials.token,
    Date.parse(credentials.expires_at),
  );
  return ok(credentials);
}

// The deprecated /v2/kubernetes/registry paths act on the account's sole registry.

export function addSoleRegistry(ctx: OperationContext): OperationResult {
  return setClusterRegistries(ctx, [ctx.account.soleRegistry().name], true);
}

export function removeSoleRegistry(ctx: OperationContext): OperationResult {
  return setClusterRegistries(ctx, [ctx.account.soleRegistry().name], false);
}

export function addRegistries(ctx: OperationContext): OperationResult {
  return setClusterRegistries(ctx, requireRegistries(ctx), true);
}

export function removeRegistries(ctx: OperationContext): OperationResult {
  return setClusterRegistries(ctx, requireRegistries(ctx), false);
}

function setClusterRegistries(
  ctx: OperationContext,
  registries: string[],
  add: boolean,
): OperationResult {
  const clusterIds: string[] = ctx.body?.cluster_uuids ?? [];
  if (!clusterIds.length)
    throw unprocessable('cluster_uuids must list at least one cluster');
  ctx.account.setClusterRegistries(clusterIds, registries, add);
  return noContent();
}

function requireRegistries(ctx: OperationContext): string[] {
  const registries: string[] = ctx.body?.registries ?? [];
  if (!registries.length)
    throw unprocessable('registries must list at least one registry name');
  return registries;
}
