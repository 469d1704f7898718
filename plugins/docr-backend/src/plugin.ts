import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { docrPermissions } from '@backstage-docr/plugin-docr-common';
import { digitalOceanAccountsServiceRef } from '@backstage-docr/plugin-docr-node';
import { docrClockServiceRef } from './clock';
import { readDocrConfig } from './config';
import { DocrStore } from './database/DocrStore';
import { DatabaseRegistryCreationStore } from './database/DatabaseRegistryCreationStore';
import { createAccountScopes, tickAccounts } from './accountScopes';
import { createRouter } from './service/accountsRouter';
import { RepositoryGraphs } from './retention/graph';
import { CachedGraphs } from './retention/CachedGraphs';
import { notificationService } from '@backstage/plugin-notifications-node';
import { createNotifyAfterTick } from './notifications/notifyAccounts';
import { DatabaseSubscriptionStore } from './database/DatabaseSubscriptionStore';
import { sampleSubscriptions } from './subscription/sampleSubscriptions';
import { readSavingsTimezone } from './savings/savingsConfig';
import { DocrLimits } from './limits/DocrLimits';
import { readLimitsConfig } from './limits/config';

export const GC_TASK_ID = 'docr-garbage-collection';

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
      deps: {
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
      },
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
        const store = await DocrStore.create(await database.getClient(), {
          skipMigrations: database.migrations?.skip,
        });
        // One graph cache over every account: digests name their bytes.
        const repositoryGraphs = new RepositoryGraphs({
          registryHost: account => accounts.registryHost(account),
        });
        const { scopes, defaultAccount } = createAccountScopes({
          config: docrConfig,
          auditor,
          accounts,
          store,
          now,
          logger,
          limits,
          imageGraphs: {
            graphs: repositoryGraphs,
            registryHost: account => accounts.registryHost(account),
            cached: new CachedGraphs({ graphs: repositoryGraphs, logger }),
          },
        });

        const subscriptions = new DatabaseSubscriptionStore(store.database);
        const notifyAfterTick = createNotifyAfterTick({
          config,
          scopes,
          notifications,
          database: store.database,
          subscriptions,
          logger,
        });

        permissionsRegistry.addPermissions(docrPermissions);
        await scheduler.scheduleTask({
          id: GC_TASK_ID,
          // One replica acts per tick; the database's unique keys guard the rest.
          scope: 'global',
          frequency: docrConfig.tickFrequency,
          timeout: { minutes: 10 },
          initialDelay: { seconds: 10 },
          fn: async signal => {
            const reports = await tickAccounts(scopes, logger, signal);
            const at = now();
            await sampleSubscriptions({
              scopes,
              reports,
              store: subscriptions,
              now: at,
              logger,
              signal,
            });
            await notifyAfterTick(reports, at, signal);
          },
        });
        httpRouter.use(
          await createRouter({
            scopes,
            defaultAccount,
            httpAuth,
            permissions,
            auditor,
            creations: new DatabaseRegistryCreationStore(store.database),
            savings: { subscriptions, timezone: readSavingsTimezone(config) },
            now,
            limits,
            // A page opened before the first listing asks for it now, through the scheduler:
            // one run however many pages ask, and never a DigitalOcean call from the request.
            listNow: async () => {
              await scheduler.triggerTask(GC_TASK_ID).catch(() => {});
            },
            // Under Jest every answer is checked against the spec as well, so the presenters and
            // the spec cannot drift apart unnoticed.
            validateResponses: process.env.NODE_ENV === 'test',
          }),
        );
      },
    });
  },
});
