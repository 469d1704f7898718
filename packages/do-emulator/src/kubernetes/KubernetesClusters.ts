import {
  ClusterWorkloads,
  SeedWorkload,
  WorkloadsDeps,
} from './ClusterWorkloads';

interface IssuedToken {
  clusterId: string;
  expiresAt: number;
}

/**
 * The Kubernetes side of an account's DOKS clusters: what runs on each, the tokens DigitalOcean's
 * credentials endpoint issued for them, and which clusters' API servers cannot be reached.
 */
export class KubernetesClusters {
  private readonly workloads = new Map<string, ClusterWorkloads>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly unreachable = new Set<string>();
  /** Requests each cluster's API server answered or refused, by cluster id. */
  readonly requestCounts = new Map<string, number>();

  constructor(
    private readonly deps: WorkloadsDeps & {
      /** Whether the account has this cluster. */
      hasCluster(clusterId: string): boolean;
    },
  ) {}

  /** What runs on the cluster (empty until something is run on it). */
  cluster(clusterId: string): ClusterWorkloads {
    if (!this.deps.hasCluster(clusterId))
      throw new Error(`No DOKS cluster ${clusterId} in the emulated account`);
    let workloads = this.workloads.get(clusterId);
    if (!workloads) {
      workloads = new ClusterWorkloads(clusterId, this.deps);
      this.workloads.set(clusterId, workloads);
    }
    return workloads;
  }

  run(clusterId: string, workload: SeedWorkload) {
    return this.cluster(clusterId).run(workload);
  }

  /** Records a token from the credentials endpoint: it reads this cluster until it expires. */
  issueToken(clusterId: string, token: string, expiresAt: number): void {
    this.tokens.set(token, { clusterId, expiresAt });
  }

  /** Whether a bearer token may read this cluster now. */
  accepts(clusterId: string, token: string | undefined): boolean {
    const issued = token ? this.tokens.get(token) : undefined;
    return (
      !!issued &&
      issued.clusterId === clusterId &&
      issued.expiresAt > this.deps.now()
    );
  }

  /** Cuts the cluster's API server off (connections are dropped) or brings it back. */
  setReachable(clusterId: string, reachable: boolean): void {
    this.cluster(clusterId);
    if (reachable) this.unreachable.delete(clusterId);
    else this.unreachable.add(clusterId);
  }

  isReachable(clusterId: string): boolean {
    return !this.unreachable.has(clusterId);
  }

  countRequest(clusterId: string): void {
    this.requestCounts.set(
      clusterId,
      (this.requestCounts.get(clusterId) ?? 0) + 1,
    );
  }

  has(clusterId: string): boolean {
    return this.deps.hasCluster(clusterId);
  }
}
