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
import type { KubernetesCluster } from '@backstage-docr/digitalocean-openapi';
import { ClusterCertificateAuthorities } from './clusterCertificateAuthorities';
import type { RefreshClock } from './refreshPacing';
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
  /** Clusters' CAs: read in the background after a refresh, again once a day. */
  private readonly clusterCas: ClusterCertificateAuthorities;

  constructor(
    private readonly options: {
      id: string;
      client: DigitalOceanClient;
      context: EntityContext;
      taskRunner: SchedulerServiceTaskRunner;
      logger: LoggerService;
      /** Reads the catalog, to find the entities another location holds; no check without. */
      catalogLocations?: EntityLocationReader;
      /** What the CA reads' pacing waits on (default: real time). */
      clock?: RefreshClock;
      /** Aborted when the backend stops: the background CA reads stop. */
      signal?: AbortSignal;
    },
  ) {
    this.clusterCas = new ClusterCertificateAuthorities({
      client: options.client,
      logger: options.logger,
      clock: options.clock,
    });
  }

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
   * (registries, subscription, tier options, clusters and App Platform apps 200 per page); the
   * clusters go out with the CAs known from earlier reads (none on the first refresh). Then, in
   * the background, one credentials call per cluster whose CA is not held from the last day,
   * paced within the account's rate budget, each batch read emitted again with its CA by a delta
   * mutation. The refresh never waits for those calls, and one that fails only leaves that
   * cluster without the CA annotation until a later refresh reads it.
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
    // A delta of the last refresh's CA reads must not land after this refresh's full mutation.
    await this.clusterCas.stop();
    const cas = this.clusterCas.known(clusters);
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
    const casDue = await this.clusterCas.readInBackground(
      clusters,
      read => this.emitClustersWithCas(clusters, read),
      this.options.signal,
    );
    logger.info(
      `${this.getProviderName()} emitted ${registries.length} registries, ${clusters.length} DOKS clusters and ${appResources.length} App Platform apps in ${Date.now() - started} ms; ${casDue} clusters' certificate authorities to read in the background`,
    );
    const shadowed = await this.findShadowed(entities);
    return {
      registries: registries.length,
      clusters: clusters.length,
      apps: appResources.length,
      shadowed,
    };
  }

  /** Resolves once the CA reads the last refresh started have been emitted (or have failed). */
  async clusterCasSettled(): Promise<void> {
    await this.clusterCas.settled();
  }

  /** The clusters whose CAs were just read, emitted again with them (replacing their entities). */
  private async emitClustersWithCas(
    clusters: KubernetesCluster[],
    cas: Map<string, string>,
  ): Promise<void> {
    const { context } = this.options;
    await this.connection!.applyMutation({
      type: 'delta',
      added: clusters
        .filter(c => cas.has(c.id!))
        .map(c => ({
          entity: clusterEntity(c, context, cas.get(c.id!)),
          locationKey: this.getProviderName(),
        })),
      removed: [],
    });
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
