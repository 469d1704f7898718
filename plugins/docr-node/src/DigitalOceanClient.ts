import type {
  App,
  AppDeployment,
  DockerCredentials,
  GarbageCollection,
  GarbageCollectionType,
  KubernetesCluster,
  KubernetesClusterCredentials,
  Region,
  Registry,
  RegistryOptions,
  RepositoryManifest,
  RepositoryTag,
  RepositoryV2,
  Subscription,
} from '@backstage-docr/digitalocean-openapi';
import { ApiCalls } from './client/ApiCalls';
import { AppCalls } from './client/AppCalls';
import { GarbageCollectionCalls } from './client/GarbageCollectionCalls';
import { KubernetesCalls } from './client/KubernetesCalls';
import { RegistryCalls } from './client/RegistryCalls';
import { RepositoryCalls } from './client/RepositoryCalls';
import {
  CallOptions,
  DigitalOceanClientOptions,
  DockerCredentialsOptions,
} from './client/options';

export {
  DIGITALOCEAN_API_URL,
  type CallOptions,
  type DigitalOceanClientClock,
  type DigitalOceanClientOptions,
  type DockerCredentialsOptions,
} from './client/options';

/**
 * A client for the parts of DigitalOcean's API v2 that the DOCR plugins use, typed by the types
 * generated from DigitalOcean's OpenAPI spec. The same client talks to the real API or to the
 * emulator, depending on `apiUrl`.
 *
 * @public
 */
export class DigitalOceanClient {
  readonly apiUrl: string;
  private readonly calls: ApiCalls;
  private readonly registries: RegistryCalls;
  private readonly repositories: RepositoryCalls;
  private readonly garbageCollection: GarbageCollectionCalls;
  private readonly kubernetes: KubernetesCalls;
  private readonly apps: AppCalls;

  constructor(options: DigitalOceanClientOptions) {
    if (!options.token) {
      throw new Error('A DigitalOcean API token is required');
    }
    this.calls = new ApiCalls(options);
    this.apiUrl = this.calls.apiUrl;
    this.registries = new RegistryCalls(this.calls);
    this.repositories = new RepositoryCalls(this.calls);
    this.garbageCollection = new GarbageCollectionCalls(this.calls);
    this.kubernetes = new KubernetesCalls(this.calls);
    this.apps = new AppCalls(this.calls);
  }

  /**
   * The typed openapi-fetch client underneath, with the same token, retries and rate-limit
   * handling, for endpoints that have no method here (such as the deprecated `/v2/registry` API).
   */
  get raw() {
    return this.calls.api;
  }

  // Registries, subscription, options and credentials

  listRegistries(options?: CallOptions): Promise<Registry[]> {
    return this.registries.listRegistries(options);
  }

  getRegistry(name: string, options?: CallOptions): Promise<Registry> {
    return this.registries.getRegistry(name, options);
  }

  /** The registry, or undefined when the account has none of that name. */
  findRegistry(
    name: string,
    options?: CallOptions,
  ): Promise<Registry | undefined> {
    return this.registries.findRegistry(name, options);
  }

  createRegistry(
    input: {
      name: string;
      subscriptionTier?: 'starter' | 'basic' | 'professional';
      region?: string;
    },
    options?: CallOptions,
  ): Promise<Registry> {
    return this.registries.createRegistry(input, options);
  }

  deleteRegistry(name: string, options?: CallOptions): Promise<void> {
    return this.registries.deleteRegistry(name, options);
  }

  /** True when the name is free for this account to take, false when it is taken (409). */
  isRegistryNameAvailable(
    name: string,
    options?: CallOptions,
  ): Promise<boolean> {
    return this.registries.isRegistryNameAvailable(name, options);
  }

  /** The account's subscription (shared by all its registries), or undefined when it has none. */
  getSubscription(options?: CallOptions): Promise<Subscription | undefined> {
    return this.registries.getSubscription(options);
  }

  updateSubscription(
    tierSlug: 'starter' | 'basic' | 'professional',
    options?: CallOptions,
  ): Promise<Subscription> {
    return this.registries.updateSubscription(tierSlug, options);
  }

  /** Subscription tiers (limits, prices, eligibility) and the regions registries may use. */
  getOptions(options?: CallOptions): Promise<Required<RegistryOptions>> {
    return this.registries.getOptions(options);
  }

  listRegions(options?: CallOptions): Promise<Region[]> {
    return this.registries.listRegions(options);
  }

  /**
   * A docker `config.json` for the registry: read-only unless `readWrite` is set. Treat the
   * result as a secret.
   */
  getDockerCredentials(
    registryName: string,
    options?: DockerCredentialsOptions,
  ): Promise<DockerCredentials> {
    return this.registries.getDockerCredentials(registryName, options);
  }

  // Repositories, tags and manifests

  listRepositories(
    registryName: string,
    options?: CallOptions,
  ): Promise<RepositoryV2[]> {
    return this.repositories.listRepositories(registryName, options);
  }

  deleteRepository(
    registryName: string,
    repository: string,
    options?: CallOptions,
  ) {
    return this.repositories.deleteRepository(
      registryName,
      repository,
      options,
    );
  }

  listTags(
    registryName: string,
    repository: string,
    options?: CallOptions,
  ): Promise<RepositoryTag[]> {
    return this.repositories.listTags(registryName, repository, options);
  }

  deleteTag(
    registryName: string,
    repository: string,
    tag: string,
    options?: CallOptions,
  ) {
    return this.repositories.deleteTag(registryName, repository, tag, options);
  }

  listManifests(
    registryName: string,
    repository: string,
    options?: CallOptions,
  ): Promise<RepositoryManifest[]> {
    return this.repositories.listManifests(registryName, repository, options);
  }

  deleteManifest(
    registryName: string,
    repository: string,
    digest: string,
    options?: CallOptions,
  ) {
    return this.repositories.deleteManifest(
      registryName,
      repository,
      digest,
      options,
    );
  }

  // Garbage collection

  /**
   * Starts a garbage collection. The registry is read-only until it ends. Defaults to collecting
   * untagged manifests and unreferenced blobs: without a type DigitalOcean collects only blobs,
   * which frees nothing while untagged manifests still reference them.
   */
  startGarbageCollection(
    registryName: string,
    type?: GarbageCollectionType,
    options?: CallOptions,
  ): Promise<GarbageCollection> {
    return this.garbageCollection.startGarbageCollection(
      registryName,
      type,
      options,
    );
  }

  /** The registry's active garbage collection, or undefined when none is running. */
  getActiveGarbageCollection(
    registryName: string,
    options?: CallOptions,
  ): Promise<GarbageCollection | undefined> {
    return this.garbageCollection.getActiveGarbageCollection(
      registryName,
      options,
    );
  }

  /** Past and current garbage collections, newest first. */
  listGarbageCollections(
    registryName: string,
    options?: CallOptions & { limit?: number },
  ): Promise<GarbageCollection[]> {
    return this.garbageCollection.listGarbageCollections(registryName, options);
  }

  cancelGarbageCollection(
    registryName: string,
    uuid: string,
    options?: CallOptions,
  ): Promise<GarbageCollection> {
    return this.garbageCollection.cancelGarbageCollection(
      registryName,
      uuid,
      options,
    );
  }

  // DOKS

  listClusters(options?: CallOptions): Promise<KubernetesCluster[]> {
    return this.kubernetes.listClusters(options);
  }

  getCluster(
    clusterId: string,
    options?: CallOptions,
  ): Promise<KubernetesCluster> {
    return this.kubernetes.getCluster(clusterId, options);
  }

  /**
   * The cluster's API server, CA (`certificate_authority_data`) and access credentials. The token
   * and client key are secrets: use them, never log or store them. Each call mints a token that
   * lasts `expirySeconds` (DigitalOcean's default, 7 days, when absent): ask for no longer than
   * needed.
   */
  getClusterCredentials(
    clusterId: string,
    options?: CallOptions & { expirySeconds?: number },
  ): Promise<KubernetesClusterCredentials> {
    return this.kubernetes.getClusterCredentials(clusterId, options);
  }

  /** Gives the clusters pull secrets for the registries (DOKS "1-click" integration). */
  addRegistriesToClusters(
    clusterIds: string[],
    registryNames: string[],
    options?: CallOptions,
  ) {
    return this.kubernetes.addRegistriesToClusters(
      clusterIds,
      registryNames,
      options,
    );
  }

  removeRegistriesFromClusters(
    clusterIds: string[],
    registryNames: string[],
    options?: CallOptions,
  ) {
    return this.kubernetes.removeRegistriesFromClusters(
      clusterIds,
      registryNames,
      options,
    );
  }

  /** The legacy integration of an account's only registry (`/v2/kubernetes/registry`). */
  addSoleRegistryToClusters(clusterIds: string[], options?: CallOptions) {
    return this.kubernetes.addSoleRegistryToClusters(clusterIds, options);
  }

  removeSoleRegistryFromClusters(clusterIds: string[], options?: CallOptions) {
    return this.kubernetes.removeSoleRegistryFromClusters(clusterIds, options);
  }

  // App Platform

  /** Every App Platform app of the account, with its spec, region and active deployment. */
  listApps(options?: CallOptions): Promise<App[]> {
    return this.apps.listApps(options);
  }

  /** The app, with its spec and active deployment; a 404 `DigitalOceanApiError` when unknown. */
  getApp(appId: string, options?: CallOptions): Promise<App> {
    return this.apps.getApp(appId, options);
  }

  /**
   * The app's deployments, newest first: the active one, in-progress ones and the superseded ones
   * (the rollback targets), each with the spec it deployed. `limit` stops paging once reached.
   */
  listAppDeployments(
    appId: string,
    options?: CallOptions & { limit?: number },
  ): Promise<AppDeployment[]> {
    return this.apps.listAppDeployments(appId, options);
  }

  /** One deployment of the app, with the spec (and so the images) it deployed. */
  getAppDeployment(
    appId: string,
    deploymentId: string,
    options?: CallOptions,
  ): Promise<AppDeployment> {
    return this.apps.getAppDeployment(appId, deploymentId, options);
  }
}
