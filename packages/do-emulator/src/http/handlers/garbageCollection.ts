import type { GarbageCollectionType } from '@backstage-docr/digitalocean-openapi';
import type { RegistryState } from '../../model/account';
import { notFound, unprocessable } from '../../model/errors';
import { paginate } from '../pagination';
import { presentGc } from '../presenters';
import { OperationContext, OperationResult, ok, param } from './context';

// A registry's garbage collections: start, the active one, history, cancel.

export function getActiveGc(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  const active = ctx.account.activeGc(registry);
  if (!active)
    throw notFound(`active garbage collection for registry "${registry.name}"`);
  return ok({ garbage_collection: presentGc(active) });
}

export function runGc(
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

export function listGcs(
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

export function updateGc(
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
