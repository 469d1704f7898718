import type { RegistryState } from '../../model/account';
import { notFound } from '../../model/errors';
import { paginate } from '../pagination';
import {
  presentManifest,
  presentRepositoryV1,
  presentRepositoryV2,
  presentTag,
  sortedManifests,
} from '../presenters';
import {
  OperationContext,
  OperationResult,
  noContent,
  ok,
  param,
} from './context';

// A registry's content: repositories, their tags and manifests. Shared by /v2/registries/{name}
// and the deprecated /v2/registry/{name} paths.

function repository(registry: RegistryState, name: string) {
  const repo = registry.storage.repositories.get(name);
  if (!repo)
    throw notFound(`repository "${name}" in registry "${registry.name}"`);
  return repo;
}

function sortedRepositories(registry: RegistryState) {
  return [...registry.storage.repositories.values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
}

export function listRepositoriesV1(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  const page = paginate(sortedRepositories(registry), ctx.query, ctx.url);
  return ok({
    repositories: page.items.map(repo => presentRepositoryV1(registry, repo)),
    links: page.links,
    meta: page.meta,
  });
}

export function listRepositoriesV2(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  const page = paginate(sortedRepositories(registry), ctx.query, ctx.url, {
    tokens: true,
  });
  return ok({
    repositories: page.items.map(r => presentRepositoryV2(registry, r)),
    links: page.links,
    meta: page.meta,
  });
}

export function deleteRepository(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  ctx.account.assertWritable(registry);
  repository(registry, param(ctx, 'repository_name'));
  registry.storage.deleteRepository(param(ctx, 'repository_name'));
  return noContent();
}

export function listTags(
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

export function deleteTag(
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

export function listManifests(
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

export function deleteManifest(
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
