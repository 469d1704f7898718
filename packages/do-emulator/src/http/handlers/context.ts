import type { EmulatedAccount, RegistryState } from '../../model/account';

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

export type Handler = (ctx: OperationContext) => OperationResult;

/** An operation on one registry, whichever way the path names it. */
export type RegistryHandler = (
  ctx: OperationContext,
  registry: RegistryState,
) => OperationResult;

export const ok = (body: unknown): OperationResult => ({ status: 200, body });
export const noContent = (): OperationResult => ({ status: 204 });

/** Path parameters may carry URL-encoded `/` (repository names such as `team%2Fapp`). */
export const param = (ctx: OperationContext, name: string) =>
  decodeURIComponent(ctx.params[name]);

/** The registry the path names (`/v2/registries/{registry_name}/...`). */
export const named =
  (fn: RegistryHandler): Handler =>
  ctx =>
    fn(ctx, ctx.account.getRegistry(param(ctx, 'registry_name')));

/** The account's only registry (the deprecated `/v2/registry` paths without a name). */
export const sole =
  (fn: RegistryHandler): Handler =>
  ctx =>
    fn(ctx, ctx.account.soleRegistry());
