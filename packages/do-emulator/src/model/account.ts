import { randomUUID } from 'node:crypto';
import type {
  GarbageCollectionType,
  KubernetesCluster,
  SubscriptionTier,
} from '@backstage-docr/digitalocean-openapi';
import { AppPlatform } from './AppPlatform';
import {
  ClusterState,
  changeClusterRegistries,
  forgetRegistry,
  newCluster,
} from './clusters';
import { IssuedCredential, dockerAuth, newCredential } from './credentials';
import {
  conflict,
  notFound,
  preconditionFailed,
  unprocessable,
} from './errors';
import {
  GcRun,
  advanceGcRun,
  collectionScope,
  isTerminal,
  newGcRun,
  requestGcCancel,
} from './garbageCollection';
import {
  RegistryState,
  ReportedStorage,
  markStorageReported,
  newRegistry,
  recordStorageChange,
  reportedStorage,
} from './registry';
import type { Layer, PushResult, RegistryStorage } from './registryStorage';
import {
  EligibilityReason,
  SubscriptionState,
  assertRepositoryAllowed,
  assertStorageAllowed,
  eligibilityReasons,
  subscriptionOnTier,
  tierForNewRegistry,
} from './subscription';
import { DEFAULT_REGIONS, DEFAULT_TIERS } from './tiers';
import { KubernetesClusters } from '../kubernetes/KubernetesClusters';
import { resolveImageId } from '../kubernetes/images';

export type { AppPlatform } from './AppPlatform';
export type { ClusterState } from './clusters';
export type { RegistryState, ReportedStorage } from './registry';
export type { SubscriptionState } from './subscription';
export type { IssuedCredential } from './credentials';

export interface AccountOptions {
  now: () => number;
  gcStepMs: number;
  /**
   * How long DigitalOcean takes to update a registry's `storage_usage_bytes` after a push or a
   * collection (it does so asynchronously); until then the previous figure is reported. 0: at once.
   */
  storageLagMs?: number;
  tiers?: SubscriptionTier[];
  regions?: string[];
  /** Names held by other DigitalOcean accounts (registry names are global). */
  takenNames?: string[];
  /**
   * The Kubernetes API stand-in's base URL and CA (base64 PEM), once it listens: clusters'
   * credentials name them.
   */
  kubernetesApi?: () => { url: string; ca: string } | undefined;
}

/**
 * One DigitalOcean account (team): its registry subscription, which is account-wide, its
 * registries with their content and garbage collections, its DOKS clusters and App Platform apps.
 */
export class EmulatedAccount {
  readonly registries = new Map<string, RegistryState>();
  readonly clusters = new Map<string, ClusterState>();
  readonly appPlatform = new AppPlatform(() => this.now(), this.registries);
  readonly issuedCredentials: IssuedCredential[] = [];
  readonly tiers: SubscriptionTier[];
  readonly regions: string[];
  readonly takenNames: Set<string>;
  subscription?: SubscriptionState;
  /** Fault injection: the next garbage collections started end as `failed`. */
  failNextGcs = 0;
  /** What runs on each DOKS cluster, as its Kubernetes API serves it. */
  readonly kubernetes = new KubernetesClusters({
    now: () => this.now(),
    resolveImage: image => resolveImageId(this, image),
    hasCluster: id => this.clusters.has(id),
  });

  constructor(private readonly options: AccountOptions) {
    this.tiers = options.tiers ?? DEFAULT_TIERS;
    this.regions = options.regions ?? DEFAULT_REGIONS;
    this.takenNames = new Set(options.takenNames ?? []);
  }

  now(): number {
    return this.options.now();
  }

  /** Brings every garbage collection up to the current time. */
  settle(): void {
    const now = this.now();
    for (const registry of this.registries.values()) {
      const active = registry.gcRuns.find(run => !isTerminal(run.status));
      if (!active) continue;
      advanceGcRun(active, now, this.options.gcStepMs, () => {
        recordStorageChange(registry, active.updatedAt, this.storageLagMs);
        return registry.storage.collect(collectionScope(active.type));
      });
    }
  }

  /**
   * The registry's storage as DigitalOcean reports it: the content's size once the lag has passed
   * since it last changed, the figure reported before that change until then.
   */
  reportedStorage(registry: RegistryState, at = this.now()): ReportedStorage {
    return reportedStorage(registry, at, this.storageLagMs);
  }

  /** Takes the registry's current content as what DigitalOcean reports (a seed's history). */
  markStorageReported(registry: RegistryState): void {
    markStorageReported(registry);
  }

  private get storageLagMs(): number {
    return this.options.storageLagMs ?? 0;
  }

  // Subscription and tiers

  tier(slug: string | undefined): SubscriptionTier | undefined {
    return this.tiers.find(t => t.slug === slug);
  }

  currentTier(): SubscriptionTier | undefined {
    return this.tier(this.subscription?.tierSlug);
  }

  repositoryCount(): number {
    let count = 0;
    for (const registry of this.registries.values())
      count += registry.storage.repositories.size;
    return count;
  }

  storageBytes(): number {
    let total = 0;
    for (const registry of this.registries.values())
      total += registry.storage.storageBytes();
    return total;
  }

  eligibilityReasons(tier: SubscriptionTier): EligibilityReason[] {
    return eligibilityReasons(tier, this);
  }

  updateSubscription(tierSlug: string): SubscriptionState {
    const tier = this.tier(tierSlug);
    if (!tier) {
      throw unprocessable(`Unknown subscription tier "${tierSlug}"`);
    }
    const reasons = this.eligibilityReasons(tier);
    if (reasons.length) {
      throw preconditionFailed(
        `registry is not eligible for tier because: [${reasons.join(', ')}]`,
      );
    }
    this.subscription = subscriptionOnTier(
      this.subscription,
      tierSlug,
      this.now(),
    );
    return this.subscription;
  }

  // Registries

  getRegistry(name: string): RegistryState {
    const registry = this.registries.get(name);
    if (!registry) throw notFound(`registry "${name}"`);
    return registry;
  }

  /** The account's only registry, for the deprecated single-registry endpoints. */
  soleRegistry(): RegistryState {
    if (this.registries.size > 1) {
      throw preconditionFailed(
        'This API is not supported if you have created multiple registries. Please use ‘/v2/registries/{registry_name}’ instead.',
      );
    }
    const [registry] = this.registries.values();
    if (!registry) throw notFound('registry');
    return registry;
  }

  isNameAvailable(name: string): boolean {
    return !this.registries.has(name) && !this.takenNames.has(name);
  }

  createRegistry(input: {
    name: string;
    tierSlug?: string;
    region?: string;
  }): RegistryState {
    const { name } = input;
    if (this.registries.has(name)) {
      throw conflict(
        `A registry named "${name}" already exists in this account`,
      );
    }
    if (this.takenNames.has(name)) {
      throw conflict(`The registry name "${name}" is already taken`);
    }
    const region = input.region ?? this.regions[0];
    if (!this.regions.includes(region)) {
      throw unprocessable(
        `Region "${region}" is not available for container registries`,
      );
    }
    const tierSlug = tierForNewRegistry(this, input.tierSlug);
    const now = this.now();
    this.subscription = subscriptionOnTier(this.subscription, tierSlug, now);
    const registry = newRegistry(name, region, now);
    this.registries.set(name, registry);
    return registry;
  }

  deleteRegistry(name: string): void {
    this.getRegistry(name);
    this.registries.delete(name);
    forgetRegistry(this.clusters.values(), name);
    if (this.registries.size === 0) {
      this.subscription = undefined;
    }
  }

  /** Issues docker credentials; returns their `auth` (base64 of `user:password`). */
  issueCredential(
    registryName: string | undefined,
    readWrite: boolean,
    expirySeconds: number,
  ): string {
    const issued = newCredential(
      registryName,
      readWrite,
      expirySeconds,
      this.now(),
    );
    this.issuedCredentials.push(issued);
    return dockerAuth(issued);
  }

  // Content

  activeGc(registry: RegistryState): GcRun | undefined {
    return registry.gcRuns.find(run => !isTerminal(run.status));
  }

  assertWritable(registry: RegistryState): void {
    const active = this.activeGc(registry);
    if (active) {
      throw conflict(
        `Registry "${registry.name}" is read-only while garbage collection ${active.uuid} is ${active.status}`,
      );
    }
  }

  /** `pushedAt` (default now) dates a seeded push in the past; the storage changes now. */
  push(
    registryName: string,
    repository: string,
    tag: string,
    layers: Layer[],
    pushedAt = this.now(),
  ): PushResult {
    const result = this.writeContent(
      registryName,
      repository,
      storage => storage.bytesToAdd(repository, layers),
      storage => storage.push(repository, tag, layers, pushedAt),
    );
    this.appPlatform.imagePushed(registryName, repository, tag);
    return result;
  }

  /**
   * Changes a registry's content: refused during a garbage collection, over the tier's limits
   * (`repository` new, `addedBytes`); the reported storage follows after the lag.
   */
  writeContent<T>(
    registryName: string,
    repository: string | undefined,
    addedBytes: (storage: RegistryStorage) => number,
    change: (storage: RegistryStorage) => T,
  ): T {
    this.settle();
    const registry = this.getRegistry(registryName);
    this.assertWritable(registry);
    const tier = this.currentTier();
    if (repository && !registry.storage.repositories.has(repository)) {
      assertRepositoryAllowed(tier, this);
    }
    assertStorageAllowed(tier, this, addedBytes(registry.storage));
    recordStorageChange(registry, this.now(), this.storageLagMs);
    return change(registry.storage);
  }

  // Garbage collection

  startGc(
    registryName: string,
    type: GarbageCollectionType | undefined,
  ): GcRun {
    this.settle();
    const registry = this.getRegistry(registryName);
    const active = this.activeGc(registry);
    if (active) {
      throw conflict(
        `A garbage collection (${active.uuid}) is already ${active.status} for registry "${registryName}"`,
      );
    }
    const fails = this.failNextGcs > 0;
    if (fails) this.failNextGcs--;
    const run = newGcRun(registryName, type, this.now(), fails);
    registry.gcRuns.unshift(run);
    return run;
  }

  cancelGc(registryName: string, uuid: string): GcRun {
    this.settle();
    const registry = this.getRegistry(registryName);
    const run = registry.gcRuns.find(r => r.uuid === uuid);
    if (!run) throw notFound(`garbage collection "${uuid}"`);
    requestGcCancel(run, () => this.now());
    return run;
  }

  // DOKS

  addCluster(
    cluster: Partial<KubernetesCluster> & { name: string },
  ): ClusterState {
    const id = cluster.id ?? randomUUID();
    const full = newCluster(id, cluster, this.now());
    this.clusters.set(id, full);
    return full;
  }

  /**
   * The API server and CA a cluster's credentials name: the emulator's Kubernetes API stand-in
   * when it listens (else undefined: the cluster's endpoint and a fake CA).
   */
  kubernetesServer(
    cluster: ClusterState,
  ): { server: string; caData: string } | undefined {
    const api = this.options.kubernetesApi?.();
    return api
      ? { server: `${api.url}/clusters/${cluster.id}`, caData: api.ca }
      : undefined;
  }

  getCluster(id: string): ClusterState {
    const cluster = this.clusters.get(id);
    if (!cluster) throw notFound(`kubernetes cluster "${id}"`);
    return cluster;
  }

  setClusterRegistries(
    clusterIds: string[],
    registryNames: string[],
    add: boolean,
  ): void {
    const clusters = clusterIds.map(id => this.getCluster(id));
    for (const name of registryNames) this.getRegistry(name);
    changeClusterRegistries(clusters, registryNames, add, this.now());
  }
}
