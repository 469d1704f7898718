import type { components } from './generated/docr-openapi';

/**
 * A registry as `/v2/registries` returns it.
 *
 * @public
 */
export type Registry = components['schemas']['registry'];
/** @public */
export type MultiRegistryCreate = components['schemas']['multiregistry_create'];
/** @public */
export type Subscription = components['schemas']['subscription'];
/** @public */
export type SubscriptionTier = components['schemas']['subscription_tier_base'] &
  components['schemas']['subscription_tier_extended'];
/** @public */
export type GarbageCollection = components['schemas']['garbage_collection'];
/** @public */
export type GarbageCollectionType = NonNullable<
  components['schemas']['registry_run_gc']['type']
>;
/** @public */
export type RepositoryV2 = components['schemas']['repository_v2'];
/** @public */
export type RepositoryTag = components['schemas']['repository_tag'];
/** @public */
export type RepositoryManifest = components['schemas']['repository_manifest'];
/** @public */
export type RepositoryBlob = components['schemas']['repository_blob'];
/** @public */
export type DockerCredentials = components['schemas']['docker_credentials'];
/** @public */
export type KubernetesCluster = components['schemas']['cluster_read'];
/**
 * What `GET /v2/kubernetes/clusters/\{cluster_id\}/credentials` returns: the API server, its CA
 * (`certificate_authority_data`, base64 PEM) and secrets (`token`, or the deprecated client
 * certificate and key) for the cluster.
 *
 * @public
 */
export type KubernetesClusterCredentials = components['schemas']['credentials'];
/** @public */
export type Region = components['schemas']['region'];
/** @public */
export type ApiErrorBody = components['schemas']['error'];
/** @public */
export type PageLinks = components['schemas']['page_links'];
/** @public */
export type RegistryOptions = NonNullable<
  components['responses']['registry_options_response']['content']['application/json']['options']
>;
/**
 * An App Platform app as `GET /v2/apps` and `GET /v2/apps/\{id\}` return it: its `spec` (the
 * services, workers, jobs, static sites and functions, each with its source), region, live URL
 * and the active and in-progress deployments.
 *
 * @public
 */
export type App = components['schemas']['app'];
/** @public */
export type AppSpec = components['schemas']['app_spec'];
/**
 * A component's container image source: `registry_type` (`DOCR` for the account's registry),
 * `registry`, `repository`, `tag` or `digest`, and `deploy_on_push`.
 *
 * @public
 */
export type AppImageSourceSpec =
  components['schemas']['apps_image_source_spec'];
/**
 * A deployment of an app (`GET /v2/apps/\{app_id\}/deployments`): the app's spec as deployed,
 * its phase and cause.
 *
 * @public
 */
export type AppDeployment = components['schemas']['apps_deployment'];
/** @public */
export type AppDeploymentPhase = NonNullable<
  components['schemas']['apps_deployment']['phase']
>;
