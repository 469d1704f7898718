import express from 'express';
import Router from 'express-promise-router';
import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { docrCatalogRefreshPermission } from '@backstage-docr/plugin-docr-common';
import type { DigitalOceanEntityProvider } from './DigitalOceanEntityProvider';

/** What the refresh route did for one provider. */
export interface RefreshTriggerResult {
  provider: string;
  taskId: string;
  /** `triggered`: the scheduled run starts now; `running`: a run is under way already. */
  status: 'triggered' | 'running';
}

/**
 * `POST /api/catalog/digitalocean/refresh` asks the scheduler to run the providers' scheduled
 * tasks now, so a registry the scaffolder has just created shows in the catalog within seconds
 * instead of at the next scheduled run. Body `{ "provider": "<id>" }` or `?provider=<id>` limits
 * it to one provider. It requires the basic permission `docr.catalog.refresh`.
 *
 * It never reads DigitalOcean itself: the run is the provider's scheduled task, under the
 * scheduler's lock, so any number of requests while a run is pending or under way coalesce into
 * that run. It answers 202 at once; a failed run is recorded in the task's status
 * (`/api/catalog/.backstage/scheduler/v1/tasks`) and leaves the last good entities in place.
 */
export function createRefreshRouter(options: {
  providers: DigitalOceanEntityProvider[];
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  scheduler: SchedulerService;
  logger: LoggerService;
}): express.Router {
  const { providers, httpAuth, permissions, scheduler, logger } = options;
  const router = Router();
  router.use(express.json());
  router.post('/digitalocean/refresh', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: docrCatalogRefreshPermission }],
      { credentials },
    );
    // AuthorizeResult.ALLOW; a basic permission gets ALLOW or DENY, never CONDITIONAL.
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Refreshing the DigitalOcean catalog providers requires the permission ${docrCatalogRefreshPermission.name}`,
      );
    }
    const wanted = req.query.provider ?? req.body?.provider;
    if (wanted !== undefined && typeof wanted !== 'string') {
      throw new InputError('provider must be a single provider id');
    }
    const selected = providers.filter(
      p => !wanted || p.getProviderName() === `digitalocean-provider:${wanted}`,
    );
    if (wanted && !selected.length) {
      throw new NotFoundError(`No DigitalOcean catalog provider "${wanted}"`);
    }
    const results: RefreshTriggerResult[] = [];
    for (const provider of selected) {
      results.push({
        provider: provider.getProviderName(),
        taskId: provider.taskId,
        status: await trigger(provider.taskId),
      });
    }
    res.status(202).json({ results });
  });

  async function trigger(taskId: string): Promise<'triggered' | 'running'> {
    try {
      await scheduler.triggerTask(taskId);
      return 'triggered';
    } catch (error) {
      const name = (error as Error)?.name;
      // The scheduler refuses to trigger a task that is running: this request joins that run.
      if (name === 'ConflictError') return 'running';
      if (name === 'NotFoundError') {
        // The catalog schedules the task when it connects the provider, at start-up.
        throw new ServiceUnavailableError(
          `The refresh task ${taskId} is not scheduled yet; retry in a few seconds`,
        );
      }
      logger.warn(`Could not trigger ${taskId}: ${error}`);
      throw error;
    }
  }

  return router;
}
