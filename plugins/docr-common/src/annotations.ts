/** Annotation keys the DOCR plugins put on and read from catalog entities. */
export const ANNOTATION_REGISTRY_NAME = 'digitalocean.com/registry-name';
export const ANNOTATION_REGION = 'digitalocean.com/region';
export const ANNOTATION_SUBSCRIPTION_TIER =
  'digitalocean.com/subscription-tier';
export const ANNOTATION_STORAGE_USAGE_BYTES =
  'digitalocean.com/storage-usage-bytes';
export const ANNOTATION_STORAGE_USAGE_UPDATED_AT =
  'digitalocean.com/storage-usage-updated-at';
export const ANNOTATION_SERVER_URL = 'digitalocean.com/server-url';
export const ANNOTATION_CLUSTER_ID = 'digitalocean.com/cluster-id';
export const ANNOTATION_ACCOUNT = 'digitalocean.com/account';

/** `spec.type` of the catalog Resources the provider emits. */
export const RESOURCE_TYPE_CONTAINER_REGISTRY = 'container-registry';
export const RESOURCE_TYPE_KUBERNETES_CLUSTER = 'kubernetes-cluster';

/** Catalog entity names for registries and DOKS clusters. */
export function registryEntityName(registryName: string): string {
  return `docr-${registryName}`;
}
export function clusterEntityName(clusterName: string): string {
  return `doks-${clusterName}`;
}
