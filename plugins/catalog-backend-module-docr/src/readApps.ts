import type { LoggerService } from '@backstage/backend-plugin-api';
import type { App } from '@backstage-docr/digitalocean-openapi';
import {
  DigitalOceanApiError,
  type DigitalOceanClient,
} from '@backstage-docr/plugin-docr-node';

/**
 * The account's App Platform apps. A token without App Platform's `app:read` scope (a 403) reads
 * none, with a warning naming the scope: the registries and clusters are still emitted. Any other
 * failure fails the refresh, so the apps emitted before stay rather than disappear.
 */
export async function readApps(
  client: DigitalOceanClient,
  logger: LoggerService,
  providerName: string,
  signal?: AbortSignal,
): Promise<App[]> {
  try {
    return await client.listApps({ signal });
  } catch (error) {
    if (error instanceof DigitalOceanApiError && error.status === 403) {
      logger.warn(
        `${providerName} emits no App Platform apps: the token may not list them (it needs the app:read scope): ${error.message}`,
      );
      return [];
    }
    throw error;
  }
}
