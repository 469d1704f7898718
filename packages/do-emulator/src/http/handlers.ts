import type { GarbageCollectionType } from '@backstage-docr/digitalocean-openapi';
import type { EmulatedAccount, RegistryState } from '../model/account';
import { conflict, notFound, unprocessable } from '../model/errors';
import { paginate } from './pagination';
import {
  presentGc,
  presentManifest,
  presentOptions,
  presentRegistry,
  presentRepositoryV1,
  presentRepositoryV2,
  presentSubscription,
  presentTag,
  sortedManifests,
} from './presenters';
import { REGIONS } from './regions';

export interface OperationContext {
  account: EmulatedAccount;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: any;
  /** The request's own URL, for pagination links. */
  url: URL;
}

export interface OperationResult {
  status: number;
  body?: unknown;
}

type Handler = (ctx: OperationContext) => OperationResult;

const ok = (body: unknown): OperationResult => ({ status: 200, body });
const noContent = (): OperationResult => ({ status: 204 });

/** Path parameters may carry URL-encoded `/` (repository names such as `team%2Fapp`). */
const param = (ctx: OperationContext, name: string) =>
  decodeURIComponent(ctx.params[name]);

function repository(registry: RegistryState, name: string) {
  const repo = registry.storage.repositories.get(name);
  if (!repo)
    throw notFound(`repository "${name}" in registry "${registry.name}"`);
  return repo;
}

// Operations on a named registry, shared by /v2/registries/{name} and the deprecated
// /v2/registry/{name} paths.

function listRepositoriesV2(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  const repos = [...registry.storage.repositories.values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const page = paginate(repos, ctx.query, ctx.url, { tokens: true });
  return ok({
    repositories: page.items.map(r => presentRepositoryV2(registry, r)),
    links: page.links,
    meta: page.meta,
  });
}

function listTags(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  const repo = repository(registry, param(ctx, 'repository_name'));
  const tags = [...repo.tags.keys()].sort(
    (a, b) => (repo.tagUpdatedAt.get(b) ?? 0) - (repo.tagUpdatedAt.get(a) ?? 0),
  );
  const page = paginate(tags, ctx.query, ctx.url);
  return ok({
    tags: page.items.map(t => presentTag(registry, repo, t)),
    links: page.links,
    meta: page.meta,
  });
}

function deleteTag(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  ctx.account.assertWritable(registry);
  const repo = repository(registry, param(ctx, 'repository_name'));
  const tag = param(ctx, 'repository_tag');
  if (!repo.tags.has(tag))
    throw notFound(`tag "${tag}" in repository "${repo.name}"`);
  registry.storage.deleteTag(repo, tag);
  return noContent();
}

function listManifests(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  const repo = repository(registry, param(ctx, 'repository_name'));
  const page = paginate(sortedManifests(repo), ctx.query, ctx.url);
  return ok({
    manifests: page.items.map(m => presentManifest(registry, repo, m)),
    links: page.links,
    meta: page.meta,
  });
}

function deleteManifest(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  ctx.account.assertWritable(registry);
  const repo = repository(registry, param(ctx, 'repository_name'));
  const digest = param(ctx, 'manifest_digest');
  if (!repo.manifests.has(digest))
    throw notFound(`manifest "${digest}" in repository "${repo.name}"`);
  registry.storage.deleteManifest(repo, digest);
  return noContent();
}

function getActiveGc(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  const active = ctx.account.activeGc(registry);
  if (!active)
    throw notFound(`active garbage collection for registry "${registry.name}"`);
  return ok({ garbage_collection: presentGc(active) });
}

function runGc(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  // Known spec gap: POST /v2/registries/{name}/garbage-collection declares no request body, but
  // the real API (and godo) take `{"type": ...}` as on /v2/registry. Without a type DigitalOcean
  // collects unreferenced blobs only.
  const type = ctx.body?.type as GarbageCollectionType | undefined;
  if (
    type !== undefined &&
    ![
      'untagged manifests only',
      'unreferenced blobs only',
      'untagged manifests and unreferenced blobs',
    ].includes(type)
  ) {
    throw unprocessable(`Unknown garbage collection type "${type}"`);
  }
  const run = ctx.account.startGc(registry.name, type);
  return { status: 201, body: { garbage_collection: presentGc(run) } };
}

function listGcs(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  const page = paginate(registry.gcRuns, ctx.query, ctx.url);
  // Known spec gap: the list schema has no meta/links, but the spec's example and the real API
  // include `meta`; extra properties are allowed by the schema.
  return ok({
    garbage_collections: page.items.map(presentGc),
    links: page.links,
    meta: page.meta,
  });
}

function updateGc(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  const uuid = param(ctx, 'garbage_collection_uuid');
  if (ctx.body?.cancel !== true) {
    const run = registry.gcRuns.find(r => r.uuid === uuid);
    if (!run) throw notFound(`garbage collection "${uuid}"`);
    return ok({ garbage_collection: presentGc(run) });
  }
  return ok({
    garbage_collection: presentGc(ctx.account.cancelGc(registry.name, uuid)),
  });
}

function dockerCredentials(
  ctx: OperationContext,
  registryName: string | undefined,
): OperationResult {
  // Known spec gap: /v2/registries/{name}/docker-credentials does not declare `read_write` and
  // `expiry_seconds`, but the real API takes them as /v2/registry/docker-credentials does.
  const readWrite = ctx.query.read_write === 'true';
  const expirySeconds = Number(ctx.query.expiry_seconds ?? 0);
  if (!Number.isInteger(expirySeconds) || expirySeconds < 0) {
    throw unprocessable('expiry_seconds must be a non-negative integer');
  }
  const auth = ctx.account.issueCredential(
    registryName,
    readWrite,
    expirySeconds,
  );
  return ok({ auths: { 'registry.digitalocean.com': { auth } } });
}

function validateName(ctx: OperationContext): OperationResult {
  if (!ctx.account.isNameAvailable(ctx.body.name)) {
    throw conflict(`The registry name "${ctx.body.name}" is not available`);
  }
  return noContent();
}

function getSubscription(ctx: OperationContext): OperationResult {
  if (!ctx.account.subscription) throw notFound('registry subscription');
  return ok({
    subscription: presentSubscription(ctx.account, ctx.account.subscription),
  });
}

function updateSubscription(ctx: OperationContext): OperationResult {
  const tierSlug = ctx.body?.tier_slug;
  if (!tierSlug) throw unprocessable('tier_slug is required');
  const subscription = ctx.account.updateSubscription(tierSlug);
  return ok({ subscription: presentSubscription(ctx.account, subscription) });
}

function createRegistry(ctx: OperationContext) {
  return ctx.account.createRegistry({
    name: ctx.body.name,
    tierSlug: ctx.body.subscription_tier_slug,
    region: ctx.body.region,
  });
}

const named =
  (
    fn: (ctx: OperationContext, registry: RegistryState) => OperationResult,
  ): Handler =>
  ctx =>
    fn(ctx, ctx.account.getRegistry(param(ctx, 'registry_name')));

const sole =
  (
    fn: (ctx: OperationContext, registry: RegistryState) => OperationResult,
  ): Handler =>
  ctx =>
    fn(ctx, ctx.account.soleRegistry());

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

export const handlers: Record<string, Handler> = {
  // Current multi-registry API
  registries_list: ctx =>
    ok({
      registries: [...ctx.account.registries.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(r => presentRegistry(ctx.account, r, true)),
    }),
  registries_create: ctx => ({
    status: 201,
    body: {
      registry: presentRegistry(ctx.account, createRegistry(ctx), false),
    },
  }),
  registries_get: named((ctx, r) =>
    ok({ registry: presentRegistry(ctx.account, r, false) }),
  ),
  registries_delete: named((ctx, r) => {
    ctx.account.deleteRegistry(r.name);
    return noContent();
  }),
  registries_get_dockerCredentials: named((ctx, r) =>
    dockerCredentials(ctx, r.name),
  ),
  registries_get_subscription: getSubscription,
  registries_update_subscription: updateSubscription,
  registries_get_options: ctx => ok(presentOptions(ctx.account)),
  registries_validate_name: validateName,
  registries_list_repositoriesV2: named(listRepositoriesV2),
  registries_delete_repository: named((ctx, r) => {
    ctx.account.assertWritable(r);
    repository(r, param(ctx, 'repository_name'));
    r.storage.deleteRepository(param(ctx, 'repository_name'));
    return noContent();
  }),
  registries_list_repositoryTags: named(listTags),
  registries_delete_repositoryTag: named(deleteTag),
  registries_list_repositoryManifests: named(listManifests),
  registries_delete_repositoryManifest: named(deleteManifest),
  registries_get_garbageCollection: named(getActiveGc),
  registries_run_garbageCollection: named(runGc),
  registries_list_garbageCollections: named(listGcs),
  registries_update_garbageCollection: named(updateGc),

  // Deprecated single-registry API
  registry_get: sole((ctx, r) =>
    ok({ registry: presentRegistry(ctx.account, r, true) }),
  ),
  registry_create: ctx => ({
    status: 201,
    body: { registry: presentRegistry(ctx.account, createRegistry(ctx), true) },
  }),
  registry_delete: sole((ctx, r) => {
    ctx.account.deleteRegistry(r.name);
    return noContent();
  }),
  registry_get_subscription: getSubscription,
  registry_update_subscription: updateSubscription,
  registry_get_dockerCredentials: sole((ctx, r) =>
    dockerCredentials(ctx, r.name),
  ),
  registry_validate_name: validateName,
  registry_get_options: ctx => ok(presentOptions(ctx.account)),
  registry_list_repositories: named((ctx, r) => {
    const repos = [...r.storage.repositories.values()].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    const page = paginate(repos, ctx.query, ctx.url);
    return ok({
      repositories: page.items.map(repo => presentRepositoryV1(r, repo)),
      links: page.links,
      meta: page.meta,
    });
  }),
  registry_list_repositoriesV2: named(listRepositoriesV2),
  registry_list_repositoryTags: named(listTags),
  registry_delete_repositoryTag: named(deleteTag),
  registry_list_repositoryManifests: named(listManifests),
  registry_delete_repositoryManifest: named(deleteManifest),
  registry_run_garbageCollection: named(runGc),
  registry_get_garbageCollection: named(getActiveGc),
  registry_list_garbageCollections: named(listGcs),
  registry_update_garbageCollection: named(updateGc),

  // DOKS
  kubernetes_list_clusters: ctx => {
    const clusters = [...ctx.account.clusters.values()].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    const page = paginate(clusters, ctx.query, ctx.url);
    return ok({
      kubernetes_clusters: page.items,
      links: page.links,
      meta: page.meta,
    });
  },
  kubernetes_get_cluster: ctx =>
    ok({
      kubernetes_cluster: ctx.account.getCluster(param(ctx, 'cluster_id')),
    }),
  kubernetes_add_registry: ctx =>
    setClusterRegistries(ctx, [ctx.account.soleRegistry().name], true),
  kubernetes_remove_registry: ctx =>
    setClusterRegistries(ctx, [ctx.account.soleRegistry().name], false),
  kubernetes_add_registries: ctx =>
    setClusterRegistries(ctx, requireRegistries(ctx), true),
  kubernetes_remove_registries: ctx =>
    setClusterRegistries(ctx, requireRegistries(ctx), false),

  regions_list: ctx => {
    const page = paginate(REGIONS, ctx.query, ctx.url);
    return ok({ regions: page.items, links: page.links, meta: page.meta });
  },
};

function requireRegistries(ctx: OperationContext): string[] {
  const registries: string[] = ctx.body?.registries ?? [];
  if (!registries.length)
    throw unprocessable('registries must list at least one registry name');
  return registries;
}
