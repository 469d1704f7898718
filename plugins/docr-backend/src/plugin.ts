import {
  type AuditorService,
  type LoggerService,
  type SchedulerService,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { docrPermissions } from '@backstage-docr/plugin-docr-common';
import {
  type DigitalOceanAccountsService,
  digitalOceanAccountsServiceRef,
} from '@backstage-docr/plugin-docr-node';
import { docrClockServiceRef } from './clock';
import { readDocrConfig } from './config';
import type { DocrStore } from './database/DocrStore';
import { createDocrStores } from './database/createDocrStores';
import { createAccountScopes, tickAccounts } from './accountScopes';
import { createRouter } from './service/accountsRouter';
import { RepositoryGraphs } from './retention/graph';
import { CachedGraphs } from './retention/CachedGraphs';
import { notificationService } from '@backstage/plugin-notifications-node';
import { createNotifyAfterTick } from './notifications/notifyAccounts';
import type { SubscriptionStore } from './subscription/SubscriptionStore';
import { sampleSubscriptions } from './subscription/sampleSubscriptions';
import { readSavingsTimezone } from './savings/savingsConfig';
import { DocrLimits } from './limits/DocrLimits';
import { readLimitsConfig } from './limits/config';

export const GC_TASK_ID = 'docr-garbage-collection';

/** The services the plugin uses. */
const pluginDeps = {
  config: coreServices.rootConfig,
  logger: coreServices.logger,
  database: coreServices.database,
  scheduler: coreServices.scheduler,
  httpRouter: coreServices.httpRouter,
  httpAuth: coreServices.httpAuth,
  permissions: coreServices.permissions,
  permissionsRegistry: coreServices.permissionsRegistry,
  auditor: coreServices.auditor,
  clock: docrClockServiceRef,
  accounts: digitalOceanAccountsServiceRef,
  notifications: notificationService,
};

/**
 * The docr backend plugin: GC policies, garbage collection inside windows, run and storage
 * history, cached repositories and tags, and the REST API under /api/docr.
 *
 * @public
 */
export const docrPlugin = createBackendPlugin({
  pluginId: 'docr',
  register(env) {
    env.registerInit({
      deps: pluginDeps,
      async init(deps) {
        const {
          config,
          logger,
          database,
          scheduler,
          httpRouter,
          httpAuth,
          permissions,
          permissionsRegistry,
          auditor,
          clock,
          accounts,
          notifications,
        } = deps;
        const docrConfig = readDocrConfig(config);
        const now = () => clock.now();
        const limits = new DocrLimits(readLimitsConfig(config), now);
        const stores = await createDocrStores({ database });
        const { subscriptions } = stores;
        const { scopes, defaultAccount } = createScopes({
          docrConfig,
          accounts,
          auditor,
          store: stores.docr,
          now,
          logger,
          limits,
        });

        permissionsRegistry.addPermissions(docrPermissions);
        await scheduler.scheduleTask({
          id: GC_TASK_ID,
          // One replica acts per tick; the database's unique keys guard the rest.
          scope: 'global',
          frequency: docrConfig.tickFrequency,
          timeout: { minutes: 10 },
          initialDelay: { seconds: 10 },
          fn: gcTick({
            scopes,
            subscriptions,
            notifyAfterTick: createNotifyAfterTick({
              config,
              scopes,
              notifications,
              ledger: stores.notificationLedger,
              subscriptions,
              logger,
            }),
            now,
            logger,
          }),
        });
        httpRouter.use(
          await createRouter({
            scopes,
            defaultAccount,
            httpAuth,
            permissions,
            auditor,
            creations: stores.creations,
            savings: { subscriptions, timezone: readSavingsTimezone(config) },
            now,
            limits,
            listNow: listThroughScheduler(scheduler),
            // Under Jest every answer is checked against the spec as well, so the presenters and
            // the spec cannot drift apart unnoticed.
            validateResponses: process.env.NODE_ENV === 'test',
          }),
        );
      },
    });
  },
});

/** Each account's scope (its store view, client, GC, caches) over one image-graph cache. */
function createScopes(options: {
  docrConfig: ReturnType<typeof readDocrConfig>;
  accounts: DigitalOceanAccountsService;
  auditor: AuditorService;
  store: DocrStore;
  now: () => Date;
  logger: LoggerService;
  limits: DocrLimits;
}) {
  const { accounts, logger } = options;
  // One graph cache over every account: digests name their bytes.
  const repositoryGraphs = new RepositoryGraphs({
    registryHost: account => accounts.registryHost(account),
  });
  return createAccountScopes({
    config: options.docrConfig,
    auditor: options.auditor,
    accounts,
    store: options.store,
    now: options.now,
    logger,
    limits: options.limits,
    imageGraphs: {
      graphs: repositoryGraphs,
      registryHost: account => accounts.registryHost(account),
      cached: new CachedGraphs({ graphs: repositoryGraphs, logger }),
    },
  });
}

/** The scheduled GC task: every account's tick, then the subscriptions sample and notifications. */
function gcTick(options: {
  scopes: ReturnType<typeof createAccountScopes>['scopes'];
  subscriptions: SubscriptionStore;
  notifyAfterTick: ReturnType<typeof createNotifyAfterTick>;
  now: () => Date;
  logger: LoggerService;
}) {
  const { scopes, subscriptions, logger } = options;
  return async (signal: AbortSignal) => {
    const reports = await tickAccounts(scopes, logger, signal);
    const at = options.now();
    await sampleSubscriptions({
      scopes,
      reports,
      store: subscriptions,
      now: at,
      logger,
      signal,
    });
    await options.notifyAfterTick(reports, at, signal);
  };
}

/**
 * A page opened before the first listing asks for it now, through the scheduler: one run however
 * many pages ask, and never a DigitalOcean call from the request.
 */
function listThroughScheduler(scheduler: SchedulerService) {
  return async () => {
    await scheduler.triggerTask(GC_TASK_ID).catch(() => {});
  };
}
