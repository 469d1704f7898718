import { toError } from '@backstage/errors';
import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import {
  ClusterCaCache,
  clusterCertificateAuthorities,
} from './clusterCertificateAuthorities';
import { appEntities } from './appEntities';
import { EntityContext, clusterEntity, registryEntity } from './entities';
import { digitalOceanProviderLocation } from '@backstage-docr/plugin-docr-common';
import {
  EntityLocationReader,
  ShadowedEntity,
  shadowedEntities,
  shadowedEntityWarning,
} from './shadowedEntities';
import { readApps } from './readApps';
import { subscriptionEntity } from './subscriptionEntity';

export interface RefreshResult {
  registries: number;
  clusters: number;
  /** App Platform apps that run an image from one of the account's registries. */
  apps: number;
  /** Entities of the provider's that the catalog holds from another location instead. */
  shadowed: ShadowedEntity[];
}

/**
 * Emits every registry and DOKS cluster of one DigitalOcean account as catalog Resources. Each
 * run re-reads DigitalOcean and replaces the provider's entities in full, so drift shows: a
 * registry deleted in the console disappears, an integration made there appears as a relation.
 * A run that fails applies nothing, so the last good entities stay; the error goes to the
 * scheduler, which records it in the task's status.
 */
export class DigitalOceanEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** Clusters' CAs from earlier refreshes: read again once a day, new clusters at once. */
  private readonly clusterCas: ClusterCaCache = new Map();

  constructor(
    private readonly options: {
      id: string;
      client: DigitalOceanClient;
      context: EntityContext;
      taskRunner: SchedulerServiceTaskRunner;
      logger: LoggerService;
      /** Reads the catalog, to find the entities another location holds; no check without. */
      catalogLocations?: EntityLocationReader;
    },
  ) {}

  getProviderName(): string {
    return `digitalocean-provider:${this.options.id}`;
  }

  get taskId(): string {
    return `${this.getProviderName()}:refresh`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner.run({
      id: this.taskId,
      fn: async abortSignal => {
        await this.refresh(abortSignal);
      },
    });
  }

  /**
   * Reads the account and applies a full mutation. Five calls whatever the number of registries
   * (registries, subscription, tier options, clusters and App Platform apps 200 per page), then
   * one credentials call per cluster whose CA is not held from the last day, for its CA (at most
   * four at a time; one that fails leaves that cluster's entity without the CA annotation): 5 + N
   * calls for N clusters on the first refresh and once a day, 5 (+ new clusters) on the others.
   */
  async refresh(signal?: AbortSignal): Promise<RefreshResult> {
    if (!this.connection) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog yet`,
      );
    }
    const { client, context, logger } = this.options;
    const started = Date.now();
    const [registries, subscription, options, clusters, apps] =
      await readTogether(signal, readSignal => [
        client.listRegistries({ signal: readSignal }),
        client.getSubscription({ signal: readSignal }),
        client.getOptions({ signal: readSignal }),
        client.listClusters({ signal: readSignal }),
        readApps(client, logger, this.getProviderName(), readSignal),
      ]);
    const cas = await clusterCertificateAuthorities(
      client,
      clusters,
      logger,
      signal,
      this.clusterCas,
    );
    const appResources = appEntities(apps, registries, context);
    const entities = [
      subscriptionEntity(subscription, registries, options, context),
      ...registries.map(r =>
        registryEntity(r, options.subscription_tiers, context),
      ),
      ...clusters.map(c => clusterEntity(c, context, cas.get(c.id!))),
      ...appResources,
    ];
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    logger.info(
      `${this.getProviderName()} emitted ${registries.length} registries, ${clusters.length} DOKS clusters and ${appResources.length} App Platform apps in ${Date.now() - started} ms`,
    );
    const shadowed = await this.findShadowed(entities);
    return {
      registries: registries.length,
      clusters: clusters.length,
      apps: appResources.length,
      shadowed,
    };
  }

  /**
   * The emitted entities whose ref the catalog holds from another location (registered before
   * the provider emitted it), each warned about in the log. A failed check is logged, never
   * failing the refresh.
   */
  private async findShadowed(entities: Entity[]): Promise<ShadowedEntity[]> {
    const { catalogLocations, context, logger } = this.options;
    if (!catalogLocations) return [];
    try {
      const shadowed = await shadowedEntities(
        entities,
        digitalOceanProviderLocation(context.account),
        catalogLocations,
      );
      for (const entity of shadowed)
        logger.warn(shadowedEntityWarning(entity, this.getProviderName()));
      return shadowed;
    } catch (error) {
      logger.warn(
        `${this.getProviderName()} could not check whether another location holds its entities: ${toError(error).message}`,
      );
      return [];
    }
  }
}

/**
 * Starts the reads together; the first that fails aborts the others (they would only spend the
 * rate budget on a refresh that has failed), and it is thrown once every read has settled, so a
 * failed refresh leaves no call of its own running behind it.
 */
async function readTogether<T extends readonly unknown[]>(
  signal: AbortSignal | undefined,
  start: (signal: AbortSignal) => { [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const failed = new AbortController();
  const reads = start(
    signal ? AbortSignal.any([signal, failed.signal]) : failed.signal,
  );
  let firstError: unknown;
  const settled = await Promise.allSettled(
    reads.map((read: Promise<unknown>) =>
      read.catch(error => {
        firstError ??= error;
        failed.abort();
        throw error;
      }),
    ),
  );
  if (firstError !== undefined) throw firstError;
  return settled.map(
    result => (result as PromiseFulfilledResult<unknown>).value,
  ) as unknown as T;
}
