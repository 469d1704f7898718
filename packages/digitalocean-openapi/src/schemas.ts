import type { components } from './generated/docr-openapi';

type Schemas = components['schemas'];

/** A registry as `/v2/registries` returns it. */
export type Registry = Schemas['registry'];
export type MultiRegistryCreate = Schemas['multiregistry_create'];
export type Subscription = Schemas['subscription'];
export type SubscriptionTier = Schemas['subscription_tier_base'] &
  Schemas['subscription_tier_extended'];
export type GarbageCollection = Schemas['garbage_collection'];
export type GarbageCollectionType = NonNullable<
  Schemas['registry_run_gc']['type']
>;
export type RepositoryV2 = Schemas['repository_v2'];
export type RepositoryTag = Schemas['repository_tag'];
export type RepositoryManifest = Schemas['repository_manifest'];
export type RepositoryBlob = Schemas['repository_blob'];
export type DockerCredentials = Schemas['docker_credentials'];
export type KubernetesCluster = Schemas['cluster_read'];
export type Region = Schemas['region'];
export type ApiErrorBody = Schemas['error'];
export type PageLinks = Schemas['page_links'];
export type RegistryOptions = NonNullable<
  components['responses']['registry_options_response']['content']['application/json']['options']
>;
