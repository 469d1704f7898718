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
  isError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { docrCatalogRefreshPermission } from '@backstage-docr/plugin-docr-common';
import {
  RateLimiter,
  tooManyRequestsHandler,
} from '@backstage-docr/plugin-docr-node';
import type { DigitalOceanEntityProvider } from './DigitalOceanEntityProvider';
import {
  DEFAULT_REFRESH_LIMITS,
  RefreshClock,
  RefreshLimits,
  RefreshPacer,
  RefreshStatus,
  realRefreshClock,
} from './refreshPacing';

/** What the refresh route did for one provider. */
export interface RefreshTriggerResult {
  provider: string;
  taskId: string;
  /**
   * `triggered`: the scheduled run starts now; `running`: a run is under way already;
   * `deferred`: the last run was asked less than `refresh.minInterval` ago, one more starts at
   * `startsAt`.
   */
  status: RefreshStatus;
  startsAt?: string;
}

/** The provider's key under `catalog.providers.digitalocean`. */
const providerId = (provider: DigitalOceanEntityProvider) =>
  provider.getProviderName().replace(/^digitalocean-provider:/, '');

const minutes = (ms: number) => {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
};

/**
 * `POST /api/catalog/digitalocean/refresh` asks the scheduler to run the providers' scheduled
 * tasks now, so a registry the scaffolder has just created shows in the catalog within seconds
 * instead of at the next scheduled run. Body `{ "provider": "<id>" }` or `?provider=<id>` limits
 * it to one provider. It requires the basic permission `docr.catalog.refresh`.
 *
 * It never reads DigitalOcean itself: the run is the provider's scheduled task, under the
 * scheduler's lock, so any number of requests while a run is pending or under way coalesce into
 * that run. Runs the route starts are at least `refresh.minInterval` apart (a request sooner is
 * deferred to the interval's end, all of them sharing one run), and each user may ask
 * `refresh.perUser` refreshes of a provider (429 with Retry-After past it). It answers 202 at
 * once; a failed run is recorded in the task's status
 * (`/api/catalog/.backstage/scheduler/v1/tasks`) and leaves the last good entities in place.
 */
export function createRefreshRouter(options: {
  providers: DigitalOceanEntityProvider[];
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  scheduler: SchedulerService;
  logger: LoggerService;
  /** Each provider's limits, by provider name (the default's for one not named). */
  limits?: Map<string, RefreshLimits>;
  /** Aborted when the backend stops: deferred runs are dropped. */
  signal?: AbortSignal;
  clock?: RefreshClock;
}): express.Router {
  const { providers, httpAuth, permissions, scheduler, logger } = options;
  const clock = options.clock ?? realRefreshClock;
  const signal = options.signal ?? new AbortController().signal;
  const pacing = pacingOf(providers, {
    ...options,
    clock,
    signal,
    trigger: triggerOf(scheduler, logger),
  });
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
    // Refused by one provider's limit, the request spends nothing of the others'.
    const who = principalKey(credentials.principal);
    const paced = selected.map(p => pacing.get(p.getProviderName())!);
    const refusing = paced.find(p => !p.perUser.allows(who));
    // Throws the TooManyRequestsError that says when to come back.
    if (refusing) refusing.perUser.take(who);
    const results: RefreshTriggerResult[] = [];
    for (const [index, provider] of selected.entries()) {
      paced[index].perUser.take(who);
      results.push({
        provider: provider.getProviderName(),
        taskId: provider.taskId,
        ...(await paced[index].pacer.request()),
      });
    }
    res.status(202).json({ results });
  });

  // A refresh past the user's limit: 429 with `Retry-After`.
  router.use(tooManyRequestsHandler());

  return router;
}

/** Whom a refresh is counted against: the user, else the calling service. */
function principalKey(principal: unknown): string {
  const p = principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return p.type === 'user' && p.userEntityRef
    ? p.userEntityRef
    : `service:${p.subject ?? 'unknown'}`;
}

/** Each provider's pacing: runs at least `minInterval` apart, and each user's share of them. */
function pacingOf(
  providers: DigitalOceanEntityProvider[],
  options: {
    limits?: Map<string, RefreshLimits>;
    clock: RefreshClock;
    signal: AbortSignal;
    logger: LoggerService;
    trigger: (taskId: string) => Promise<'triggered' | 'running'>;
  },
) {
  return new Map(
    providers.map(provider => {
      const limits =
        options.limits?.get(provider.getProviderName()) ??
        DEFAULT_REFRESH_LIMITS;
      const { perUser } = limits;
      return [
        provider.getProviderName(),
        {
          pacer: new RefreshPacer({
            minIntervalMs: limits.minIntervalMs,
            clock: options.clock,
            signal: options.signal,
            logger: options.logger,
            trigger: () => options.trigger(provider.taskId),
          }),
          perUser: new RateLimiter({
            limit: perUser,
            now: options.clock.now,
            describe: seconds =>
              `Too many DigitalOcean catalog refreshes: ${perUser.requests} every ${minutes(perUser.perMs)} per user for ${provider.getProviderName()} (catalog.providers.digitalocean.${providerId(provider)}.refresh.perUser); try again in ${seconds} s`,
          }),
        },
      ];
    }),
  );
}

/**
 * Triggers a provider's scheduled task: `running` when the scheduler says it runs already (the
 * request joins that run); 503 before the catalog has scheduled it.
 */
function triggerOf(scheduler: SchedulerService, logger: LoggerService) {
  return async (taskId: string): Promise<'triggered' | 'running'> => {
    try {
      await scheduler.triggerTask(taskId);
      return 'triggered';
    } catch (error) {
      const name = isError(error) ? error.name : undefined;
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
  };
}
