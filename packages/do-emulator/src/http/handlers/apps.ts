import { paginate } from '../pagination';
import { OperationContext, OperationResult, ok, param } from './context';

// App Platform apps and their deployments (read only).

export function listApps(ctx: OperationContext): OperationResult {
  const page = paginate(
    ctx.account.appPlatform.list().map(a => a.app),
    ctx.query,
    ctx.url,
  );
  return ok({ apps: page.items, links: page.links, meta: page.meta });
}

/** By id, or by `name` (DigitalOcean's spec: "do not include an ID" then; any id is ignored). */
export function getApp(ctx: OperationContext): OperationResult {
  const apps = ctx.account.appPlatform;
  const app = ctx.query.name
    ? apps.findByName(ctx.query.name)
    : apps.get(param(ctx, 'id'));
  return ok({ app: app.app });
}

export function listDeployments(ctx: OperationContext): OperationResult {
  const app = ctx.account.appPlatform.get(param(ctx, 'app_id'));
  const types = new Set(
    ctx.url.searchParams
      .getAll('deployment_types')
      .flatMap(value => value.split(','))
      .filter(Boolean),
  );
  const deployments = app.deploymentsOfTypes(types);
  const page = paginate(deployments, ctx.query, ctx.url);
  return ok({ deployments: page.items, links: page.links, meta: page.meta });
}

export function getDeployment(ctx: OperationContext): OperationResult {
  const app = ctx.account.appPlatform.get(param(ctx, 'app_id'));
  return ok({ deployment: app.getDeployment(param(ctx, 'deployment_id')) });
}
