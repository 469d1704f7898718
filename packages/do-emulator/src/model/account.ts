import { randomBytes, randomUUID } from 'node:crypto';
import type {
  GarbageCollectionType,
  KubernetesCluster,
  SubscriptionTier,
} from '@backstage-docr/digitalocean-openapi';
import {
  ApiError,
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
} from './garbageCollection';
import { Layer, PushResult, RegistryStorage } from './registryStorage';
import { DEFAULT_REGIONS, DEFAULT_TIERS, registryLimit } from './tiers';

export interface RegistryState {
  name: string;
  region: string;
  createdAt: number;
  storage: RegistryStorage;
  storageUpdatedAt: number;
  /** Newest first. */
  gcRuns: GcRun[];
}

export interface SubscriptionState {
  tierSlug: string;
  createdAt: number;
  updatedAt: number;
}

export interface IssuedCredential {
  registryName?: string;
  readWrite: boolean;
  expirySeconds: number;
  issuedAt: number;
}

export interface AccountOptions {
  now: () => number;
  gcStepMs: number;
  tiers?: SubscriptionTier[];
  regions?: string[];
  /** Names held by other DigitalOcean accounts (registry names are global). */
  takenNames?: string[];
}

/** Generated types mark server-set fields readonly; the emulator is the server that sets them. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type ClusterState = Mutable<KubernetesCluster>;

type EligibilityReason =
  'OverRepositoryLimit' | 'OverStorageLimit' | 'OverRegistryLimit';

/**
 * One DigitalOcean account (team): its registry subscription, which is account-wide, its
 * registries with their content and garbage collections, and its DOKS clusters.
 */
export class EmulatedAccount {
  readonly registries = new Map<string, RegistryState>();
  readonly clusters = new Map<string, ClusterState>();
  readonly issuedCredentials: IssuedCredential[] = [];
  readonly tiers: SubscriptionTier[];
  readonly regions: string[];
  readonly takenNames: Set<string>;
  subscription?: SubscriptionState;
  /** Fault injection: the next garbage collections started end as `failed`. */
  failNextGcs = 0;

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
        const result = registry.storage.collect(collectionScope(active.type));
        registry.storageUpdatedAt = active.updatedAt;
        return result;
      });
    }
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
    const reasons: EligibilityReason[] = [];
    const includedRepositories = tier.included_repositories ?? 0;
    if (
      includedRepositories > 0 &&
      this.repositoryCount() > includedRepositories
    ) {
      reasons.push('OverRepositoryLimit');
    }
    if (
      !tier.allow_storage_overage &&
      this.storageBytes() > (tier.included_storage_bytes ?? 0)
    ) {
      reasons.push('OverStorageLimit');
    }
    if (this.registries.size > registryLimit(tier.slug)) {
      reasons.push('OverRegistryLimit');
    }
    return reasons;
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
    const now = this.now();
    if (this.subscription) {
      if (this.subscription.tierSlug !== tierSlug) {
        this.subscription.tierSlug = tierSlug;
        this.subscription.updatedAt = now;
      }
    } else {
      this.subscription = { tierSlug, createdAt: now, updatedAt: now };
    }
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
    // The subscription is shared by all registries of an account: the first registry sets it,
    // later ones must use it (change it with POST /v2/registries/subscription).
    const tierSlug = this.subscription?.tierSlug ?? input.tierSlug ?? 'basic';
    if (
      input.tierSlug &&
      this.registries.size > 0 &&
      input.tierSlug !== tierSlug
    ) {
      throw preconditionFailed(
        `The subscription tier is shared by all registries of the account and is "${tierSlug}"; change it with POST /v2/registries/subscription before creating a "${input.tierSlug}" registry`,
      );
    }
    const effectiveTier =
      this.registries.size === 0 ? (input.tierSlug ?? tierSlug) : tierSlug;
    if (!this.tier(effectiveTier)) {
      throw unprocessable(`Unknown subscription tier "${effectiveTier}"`);
    }
    if (this.registries.size + 1 > registryLimit(effectiveTier)) {
      throw preconditionFailed(
        'registry is not eligible for tier because: [OverRegistryLimit]',
      );
    }
    const now = this.now();
    if (!this.subscription) {
      this.subscription = {
        tierSlug: effectiveTier,
        createdAt: now,
        updatedAt: now,
      };
    } else if (this.subscription.tierSlug !== effectiveTier) {
      this.subscription.tierSlug = effectiveTier;
      this.subscription.updatedAt = now;
    }
    const registry: RegistryState = {
      name,
      region,
      createdAt: now,
      storage: new RegistryStorage(),
      storageUpdatedAt: now,
      gcRuns: [],
    };
    this.registries.set(name, registry);
    return registry;
  }

  deleteRegistry(name: string): void {
    this.getRegistry(name);
    this.registries.delete(name);
    for (const cluster of this.clusters.values()) {
      if (cluster.registries?.includes(name)) {
        cluster.registries = cluster.registries.filter(r => r !== name);
        cluster.registry_enabled = cluster.registries.length > 0;
      }
    }
    if (this.registries.size === 0) {
      this.subscription = undefined;
    }
  }

  issueCredential(
    registryName: string | undefined,
    readWrite: boolean,
    expirySeconds: number,
  ) {
    this.issuedCredentials.push({
      registryName,
      readWrite,
      expirySeconds,
      issuedAt: this.now(),
    });
    const user = randomBytes(16).toString('hex');
    const secret = randomBytes(16).toString('hex');
    return Buffer.from(`${user}:${secret}`).toString('base64');
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

  push(
    registryName: string,
    repository: string,
    tag: string,
    layers: Layer[],
  ): PushResult {
    this.settle();
    const registry = this.getRegistry(registryName);
    this.assertWritable(registry);
    const tier = this.currentTier();
    const includedRepositories = tier?.included_repositories ?? 0;
    if (
      !registry.storage.repositories.has(repository) &&
      includedRepositories > 0 &&
      this.repositoryCount() + 1 > includedRepositories
    ) {
      throw preconditionFailed(
        `repository limit of the "${tier?.slug}" tier reached (${includedRepositories}): [OverRepositoryLimit]`,
      );
    }
    const added = registry.storage.bytesToAdd(repository, layers);
    if (
      tier &&
      !tier.allow_storage_overage &&
      this.storageBytes() + added > (tier.included_storage_bytes ?? 0)
    ) {
      throw preconditionFailed(
        `storage limit of the "${tier.slug}" tier reached (${tier.included_storage_bytes} bytes): [OverStorageLimit]`,
      );
    }
    const result = registry.storage.push(repository, tag, layers, this.now());
    registry.storageUpdatedAt = this.now();
    return result;
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
    if (isTerminal(run.status)) {
      throw new ApiError(
        412,
        'precondition_failed',
        `Garbage collection ${uuid} has already ended (${run.status})`,
      );
    }
    if (run.cancelRequestedAt === undefined) {
      run.cancelRequestedAt = this.now();
      run.status = 'cancelling';
      run.updatedAt = run.cancelRequestedAt;
    }
    return run;
  }

  // DOKS

  addCluster(
    cluster: Partial<KubernetesCluster> & { name: string },
  ): ClusterState {
    const id = cluster.id ?? randomUUID();
    const now = new Date(this.now()).toISOString();
    const full: ClusterState = {
      id,
      region: 'fra1',
      version: '1.33.1-do.0',
      node_pools: [{ name: 'default-pool', size: 's-2vcpu-4gb', count: 3 }],
      endpoint: `https://${id}.k8s.ondigitalocean.com`,
      ipv4: '',
      tags: ['k8s', `k8s:${id}`],
      auto_upgrade: false,
      surge_upgrade: true,
      ha: false,
      status: { state: 'running', message: '' },
      created_at: now,
      updated_at: now,
      ...(cluster as Partial<ClusterState>),
      name: cluster.name,
      isolated_workers: cluster.isolated_workers ?? false,
      registry_enabled: (cluster.registries?.length ?? 0) > 0,
      registries: cluster.registries ?? [],
    };
    this.clusters.set(id, full);
    return full;
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
    const now = new Date(this.now()).toISOString();
    for (const cluster of clusters) {
      const current = new Set(cluster.registries ?? []);
      for (const name of registryNames) {
        if (add) current.add(name);
        else current.delete(name);
      }
      cluster.registries = [...current].sort();
      cluster.registry_enabled = cluster.registries.length > 0;
      cluster.updated_at = now;
    }
  }
}
