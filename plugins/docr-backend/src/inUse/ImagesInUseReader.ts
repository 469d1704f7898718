import { toError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubernetesCluster } from '@backstage-docr/digitalocean-openapi';
import type { DigitalOceanClient } from '@backstage-docr/plugin-docr-node';
import { imagesInUseByApp } from './appImages';
import { imagesInUseOnCluster } from './clusterImages';
import { kubeConfigFor, readClusterObjects } from './clusterReader';
import type { ImageUse, ImagesInUse, UnreadableSource } from './types';

/** Every registry of the account: what an unreadable source may pull from is not known. */
export const EVERY_REGISTRY = '*';

export interface ImagesInUseReaderOptions {
  /** Lifetime of the cluster tokens asked for (DigitalOcean's `expiry_seconds`). */
  tokenTtlSeconds: number;
  /** Longest one cluster's read may take (real time: it bounds a silent API server). */
  clusterTimeoutMs: number;
  /** Clusters read at once. */
  concurrency: number;
  /** An app's deployments read, newest first: its active one and those before it. */
  deploymentsPerApp: number;
}

const DEFAULTS: ImagesInUseReaderOptions = {
  tokenTtlSeconds: 600,
  clusterTimeoutMs: 60_000,
  concurrency: 4,
  deploymentsPerApp: 6,
};

/** An error's message, cut short; never a credential (none is in what fails here). */
const why = (error: unknown) => toError(error).message.slice(0, 300);

function withTimeout<T>(work: Promise<T>, ms: number, what: string) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${ms / 1000} s`)),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Calls `work` on each item, `concurrency` at a time (the client paces DigitalOcean's calls). */
async function eachAtOnce<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift())
      await work(item);
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, worker),
  );
}

/**
 * Reads what runs where for one DigitalOcean account: on each DOKS cluster integrated with its
 * registries, through the cluster's Kubernetes API with a short-lived token from DigitalOcean's
 * API (held for the read, never logged or stored), and in its App Platform apps. A source that
 * cannot be read is named with why, and with the registries it pulls from.
 */
export class ImagesInUseReader {
  private readonly options: ImagesInUseReaderOptions;

  constructor(
    private readonly deps: {
      client: DigitalOceanClient;
      logger: LoggerService;
      now: () => Date;
      options?: Partial<ImagesInUseReaderOptions>;
    },
  ) {
    this.options = { ...DEFAULTS, ...deps.options };
  }

  async read(signal?: AbortSignal): Promise<ImagesInUse> {
    const readAt = this.deps.now();
    const [clusters, apps] = await Promise.all([
      this.readClusters(signal),
      this.readApps(signal),
    ]);
    return {
      readAt,
      uses: [...clusters.uses, ...apps.uses],
      unreadable: [...clusters.unreadable, ...apps.unreadable],
    };
  }

  private async readClusters(signal?: AbortSignal) {
    const uses: ImageUse[] = [];
    const unreadable: UnreadableSource[] = [];
    let clusters: KubernetesCluster[];
    try {
      clusters = await this.deps.client.listClusters({ signal });
    } catch (error) {
      unreadable.push({
        kind: 'cluster',
        name: 'DOKS clusters',
        registries: [EVERY_REGISTRY],
        reason: `the account's clusters could not be listed: ${why(error)}`,
      });
      return { uses, unreadable };
    }
    const integrated = clusters.filter(c => (c.registries ?? []).length > 0);
    await eachAtOnce(integrated, this.options.concurrency, async cluster => {
      if (signal?.aborted) throw new Error('aborted');
      try {
        // Not push(...): a large cluster's uses outnumber a call's arguments.
        for (const use of await this.readCluster(cluster, signal))
          uses.push(use);
      } catch (error) {
        const reason = why(error);
        this.deps.logger.warn(
          `What runs on DOKS cluster ${cluster.name} could not be read: ${reason}`,
        );
        unreadable.push({
          kind: 'cluster',
          name: cluster.name,
          registries: [...(cluster.registries ?? [])],
          reason,
        });
      }
    });
    return { uses, unreadable };
  }

  private async readCluster(
    cluster: KubernetesCluster,
    signal?: AbortSignal,
  ): Promise<ImageUse[]> {
    const credentials = await this.deps.client.getClusterCredentials(
      cluster.id!,
      { signal, expirySeconds: this.options.tokenTtlSeconds },
    );
    // Past the timeout (or the run's abort) the read stops: no further page is asked for.
    const stop = new AbortController();
    const abort = () => stop.abort();
    signal?.addEventListener('abort', abort);
    const objects = await withTimeout(
      readClusterObjects(kubeConfigFor(cluster.name, credentials), stop.signal),
      this.options.clusterTimeoutMs,
      `Reading cluster ${cluster.name}`,
    ).finally(() => {
      stop.abort();
      signal?.removeEventListener('abort', abort);
    });
    const registries = new Set(cluster.registries ?? []);
    // A cluster pulls only from the registries integrated with it.
    return imagesInUseOnCluster(cluster.name, objects).filter(use =>
      registries.has(use.registry),
    );
  }

  private async readApps(signal?: AbortSignal) {
    const uses: ImageUse[] = [];
    try {
      const apps = (await this.deps.client.listApps({ signal })).filter(
        app => app.id && imagesInUseByApp(app, []).length > 0,
      );
      await eachAtOnce(apps, this.options.concurrency, async app => {
        const deployments = await this.deps.client.listAppDeployments(app.id!, {
          signal,
          limit: this.options.deploymentsPerApp,
        });
        for (const use of imagesInUseByApp(app, deployments)) uses.push(use);
      });
      return { uses, unreadable: [] };
    } catch (error) {
      const reason = why(error);
      this.deps.logger.warn(
        `What App Platform apps deploy could not be read: ${reason}`,
      );
      return {
        uses,
        unreadable: [
          {
            kind: 'apps' as const,
            name: 'App Platform',
            registries: [EVERY_REGISTRY],
            reason,
          },
        ],
      };
    }
  }
}
