import type { App, AppDeployment } from '@backstage-docr/digitalocean-openapi';
import { CallOptions } from './options';
import { ApiCalls } from './ApiCalls';

/** App Platform apps and their deployments (read only). */
export class AppCalls {
  constructor(private readonly calls: ApiCalls) {}

  async listApps(options?: CallOptions): Promise<App[]> {
    return this.calls.listAllPages(
      query =>
        this.calls.api.GET('/v2/apps', {
          params: { query: { page: query.page, per_page: query.per_page } },
          signal: options?.signal,
        }),
      data => data.apps ?? [],
    );
  }

  async getApp(appId: string, options?: CallOptions): Promise<App> {
    const data = await this.calls.unwrap(
      this.calls.api.GET('/v2/apps/{id}', {
        params: { path: { id: appId } },
        signal: options?.signal,
      }),
    );
    return data.app!;
  }

  async listAppDeployments(
    appId: string,
    options?: CallOptions & { limit?: number },
  ): Promise<AppDeployment[]> {
    return this.calls.listAllPages(
      query =>
        this.calls.api.GET('/v2/apps/{app_id}/deployments', {
          params: {
            path: { app_id: appId },
            query: { page: query.page, per_page: query.per_page },
          },
          signal: options?.signal,
        }),
      data => data.deployments ?? [],
      options?.limit,
    );
  }

  async getAppDeployment(
    appId: string,
    deploymentId: string,
    options?: CallOptions,
  ): Promise<AppDeployment> {
    const data = await this.calls.unwrap(
      this.calls.api.GET('/v2/apps/{app_id}/deployments/{deployment_id}', {
        params: { path: { app_id: appId, deployment_id: deploymentId } },
        signal: options?.signal,
      }),
    );
    return data.deployment!;
  }
}
