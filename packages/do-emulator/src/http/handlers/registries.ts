import type { RegistryState } from '../../model/account';
import { conflict, notFound, unprocessable } from '../../model/errors';
import {
  presentOptions,
  presentRegistry,
  presentSubscription,
} from '../presenters';
import {
  Handler,
  OperationContext,
  OperationResult,
  RegistryHandler,
  noContent,
  ok,
} from './context';

// Registries, the account's subscription, name validation and docker credentials.

export function listRegistries(ctx: OperationContext): OperationResult {
  return ok({
    registries: [...ctx.account.registries.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(r => presentRegistry(ctx.account, r, true)),
  });
}

/**
 * The current API (`/v2/registries`) answers a registry without its subscription, the deprecated
 * one (`/v2/registry`) with it.
 */
export function createRegistry(withSubscription: boolean): Handler {
  return ctx => {
    const registry = ctx.account.createRegistry({
      name: ctx.body.name,
      tierSlug: ctx.body.subscription_tier_slug,
      region: ctx.body.region,
    });
    return {
      status: 201,
      body: {
        registry: presentRegistry(ctx.account, registry, withSubscription),
      },
    };
  };
}

export function getRegistry(withSubscription: boolean): RegistryHandler {
  return (ctx, registry) =>
    ok({ registry: presentRegistry(ctx.account, registry, withSubscription) });
}

export function deleteRegistry(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  ctx.account.deleteRegistry(registry.name);
  return noContent();
}

export function getOptions(ctx: OperationContext): OperationResult {
  return ok(presentOptions(ctx.account));
}

export function dockerCredentials(
  ctx: OperationContext,
  registry: RegistryState,
): OperationResult {
  // Known spec gap: /v2/registries/{name}/docker-credentials does not declare `read_write` and
  // `expiry_seconds`, but the real API takes them as /v2/registry/docker-credentials does.
  const readWrite = ctx.query.read_write === 'true';
  const expirySeconds = Number(ctx.query.expiry_seconds ?? 0);
  if (!Number.isInteger(expirySeconds) || expirySeconds < 0) {
    throw unprocessable('expiry_seconds must be a non-negative integer');
  }
  const auth = ctx.account.issueCredential(
    registry.name,
    readWrite,
    expirySeconds,
  );
  return ok({ auths: { 'registry.digitalocean.com': { auth } } });
}

export function validateName(ctx: OperationContext): OperationResult {
  if (!ctx.account.isNameAvailable(ctx.body.name)) {
    throw conflict(`The registry name "${ctx.body.name}" is not available`);
  }
  return noContent();
}

export function getSubscription(ctx: OperationContext): OperationResult {
  if (!ctx.account.subscription) throw notFound('registry subscription');
  return ok({
    subscription: presentSubscription(ctx.account, ctx.account.subscription),
  });
}

export function updateSubscription(ctx: OperationContext): OperationResult {
  const tierSlug = ctx.body?.tier_slug;
  if (!tierSlug) throw unprocessable('tier_slug is required');
  const subscription = ctx.account.updateSubscription(tierSlug);
  return ok({ subscription: presentSubscription(ctx.account, subscription) });
}
