import type { LoggerService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import type { KubernetesCluster } from '@backstage-docr/digitalocean-openapi';
import type {
  DigitalOceanClient,
  RateLimit,
} from '@backstage-docr/plugin-docr-node';
import { RefreshClock, realRefreshClock } from './refreshPacing';

/** How many credentials calls are in flight at once. */
export const CLUSTER_CA_CONCURRENCY = 4;
/** A cluster's CA is read again after this long (DOKS rotates it rarely; new clusters at once). */
export const CLUSTER_CA_MAX_AGE_MS = 24 * 3_600_000;
/**
 * How fast CAs are read: 10 at once, then 2 a second (120 a minute, under half of DigitalOcean's
 * 250 a minute per token, so the account's other work keeps the rest; 500 clusters take about
 * four minutes and a tenth of the hourly 5,000).
 */
export const CLUSTER_CA_PACE: RateLimit = { requests: 10, perMs: 5_000 };
/** CAs read are handed over in batches of this many, so each follow-up is one catalog mutation. */
export const CLUSTER_CA_BATCH = 50;
/**
 * The credentials endpoint also mints a token for the cluster; the shortest it allows is asked
 * for, since only the CA is used.
 */
export const CREDENTIALS_EXPIRY_SECONDS = 60;

/** `requests` at once, given back evenly over `perMs`; `take` waits on the clock for one. */
class TokenBucket {
  private tokens: number;
  private atMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: RefreshClock,
  ) {
    this.tokens = limit.requests;
    this.atMs = clock.now();
  }

  async take(signal: AbortSignal): Promise<void> {
    const perTokenMs = this.limit.perMs / this.limit.requests;
    for (;;) {
      const nowMs = this.clock.now();
      this.tokens = Math.min(
        this.limit.requests,
        this.tokens + (nowMs - this.atMs) / perTokenMs,
      );
      this.atMs = nowMs;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil((1 - this.tokens) * perTokenMs), signal);
    }
  }
}

/**
 * The DOKS clusters' CAs (`certificate_authority_data`: base64 PEM, as DigitalOcean returns it and
 * as the Kubernetes plugin's `caData` takes it), by cluster id, from
 * `GET /v2/kubernetes/clusters/{id}/credentials`. A refresh never waits for them: it takes the
 * CAs {@link ClusterCertificateAuthorities.known | known} already and asks for the others to be
 * read in the background, paced ({@link CLUSTER_CA_PACE}, {@link CLUSTER_CA_CONCURRENCY} at a
 * time), each batch handed to a callback that emits the clusters again with them. Only the CA is
 * kept; the token and client key of the same answer are dropped here and never logged. A call
 * that fails is logged and left for the next refresh.
 */
export class ClusterCertificateAuthorities {
  private readonly held = new Map<string, { ca: string; readAtMs: number }>();
  private reading?: { stop: AbortController; done: Promise<void> };

  constructor(
    private readonly options: {
      client: Pick<DigitalOceanClient, 'getClusterCredentials'>;
      logger: LoggerService;
      clock?: RefreshClock;
      pace?: RateLimit;
    },
  ) {}

  /**
   * The CAs held for these clusters, by id, the last read even when older than a day (it is read
   * again in the background). Clusters gone from the account are forgotten.
   */
  known(clusters: KubernetesCluster[]): Map<string, string> {
    const ids = new Set(withEndpoint(clusters).map(c => c.id!));
    for (const id of this.held.keys()) if (!ids.has(id)) this.held.delete(id);
    return new Map([...this.held].map(([id, { ca }]) => [id, ca]));
  }

  /**
   * Stops the reads under way (after their batch in hand is delivered or dropped), then starts
   * reading, in the background, the CAs of these clusters not held or older than a day, handing
   * each batch read to `deliver` (never after `stop`, nor after the next call). A failed
   * `deliver` is logged: those CAs stay held for the next refresh. Returns how many are due.
   */
  async readInBackground(
    clusters: KubernetesCluster[],
    deliver: (cas: Map<string, string>) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<number> {
    await this.stop();
    const clock = this.options.clock ?? realRefreshClock;
    const nowMs = clock.now();
    const due = withEndpoint(clusters).filter(c => {
      const held = this.held.get(c.id!);
      return !held || nowMs - held.readAtMs >= CLUSTER_CA_MAX_AGE_MS;
    });
    if (!due.length) return 0;
    const stop = new AbortController();
    const stopped = signal
      ? AbortSignal.any([signal, stop.signal])
      : stop.signal;
    this.reading = { stop, done: this.read([...due], deliver, stopped) };
    return due.length;
  }

  /** Resolves when the background reads under way, and their deliveries, are over. */
  async settled(): Promise<void> {
    await this.reading?.done;
  }

  /** Stops the background reads; resolves when they have let go. */
  async stop(): Promise<void> {
    this.reading?.stop.abort();
    await this.settled();
    this.reading = undefined;
  }

  private async read(
    queue: KubernetesCluster[],
    deliver: (cas: Map<string, string>) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const { client, logger } = this.options;
    const clock = this.options.clock ?? realRefreshClock;
    const pace = new TokenBucket(this.options.pace ?? CLUSTER_CA_PACE, clock);
    let batch = new Map<string, string>();
    let deliveries = Promise.resolve();
    const flush = () => {
      const cas = batch;
      batch = new Map();
      deliveries = deliveries.then(async () => {
        if (signal.aborted || !cas.size) return;
        try {
          await deliver(cas);
        } catch (error) {
          logger.warn(
            `Could not emit ${cas.size} DOKS clusters with their certificate authorities; the next refresh will: ${toError(error).message}`,
          );
        }
      });
    };
    const worker = async () => {
      for (let cluster = queue.shift(); cluster; cluster = queue.shift()) {
        try {
          await pace.take(signal);
          const { certificate_authority_data: ca } =
            await client.getClusterCredentials(cluster.id!, {
              signal,
              expirySeconds: CREDENTIALS_EXPIRY_SECONDS,
            });
          if (ca) {
            this.held.set(cluster.id!, { ca, readAtMs: clock.now() });
            batch.set(cluster.id!, ca);
            if (batch.size >= CLUSTER_CA_BATCH) flush();
          }
        } catch (error) {
          if (signal.aborted) return;
          logger.warn(
            `Could not read the certificate authority of DOKS cluster ${cluster.name} (${cluster.id}); its entity has no kubernetes.io/api-server-certificate-authority until a later refresh reads it: ${toError(error).message}`,
          );
        }
      }
    };
    await Promise.all(
      Array.from(
        { length: Math.min(CLUSTER_CA_CONCURRENCY, queue.length) },
        worker,
      ),
    );
    flush();
    await deliveries;
  }
}

function withEndpoint(clusters: KubernetesCluster[]) {
  return clusters.filter(c => c.id && c.endpoint);
}
