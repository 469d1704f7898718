import { getApp, getDeployment, listApps, listDeployments } from './apps';
import { Handler, named, sole } from './context';
import { getActiveGc, listGcs, runGc, updateGc } from './garbageCollection';
import {
  addRegistries,
  addSoleRegistry,
  getCluster,
  getCredentials,
  listClusters,
  removeRegistries,
  removeSoleRegistry,
} from './kubernetes';
import { listRegions } from './regions';
import {
  createRegistry,
  deleteRegistry,
  dockerCredentials,
  getOptions,
  getRegistry,
  getSubscription,
  listRegistries,
  updateSubscription,
  validateName,
} from './registries';
import {
  deleteManifest,
  deleteRepository,
  deleteTag,
  listManifests,
  listRepositoriesV1,
  listRepositoriesV2,
  listTags,
} from './repositories';

export type { Handler, OperationContext, OperationResult } from './context';

/** The emulated operations, by the spec's operationId. */
export const handlers: Record<string, Handler> = {
  // Current multi-registry API
  registries_list: listRegistries,
  registries_create: createRegistry(false),
  registries_get: named(getRegistry(false)),
  registries_delete: named(deleteRegistry),
  registries_get_dockerCredentials: named(dockerCredentials),
  registries_get_subscription: getSubscription,
  registries_update_subscription: updateSubscription,
  registries_get_options: getOptions,
  registries_validate_name: validateName,
  registries_list_repositoriesV2: named(listRepositoriesV2),
  registries_delete_repository: named(deleteRepository),
  registries_list_repositoryTags: named(listTags),
  registries_delete_repositoryTag: named(deleteTag),
  registries_list_repositoryManifests: named(listManifests),
  registries_delete_repositoryManifest: named(deleteManifest),
  registries_get_garbageCollection: named(getActiveGc),
  registries_run_garbageCollection: named(runGc),
  registries_list_garbageCollections: named(listGcs),
  registries_update_garbageCollection: named(updateGc),

  // Deprecated single-registry API
  registry_get: sole(getRegistry(true)),
  registry_create: createRegistry(true),
  registry_delete: sole(deleteRegistry),
  registry_get_subscription: getSubscription,
  registry_update_subscription: updateSubscription,
  registry_get_dockerCredentials: sole(dockerCredentials),
  registry_validate_name: validateName,
  registry_get_options: getOptions,
  registry_list_repositories: named(listRepositoriesV1),
  registry_list_repositoriesV2: named(listRepositoriesV2),
  registry_list_repositoryTags: named(listTags),
  registry_delete_repositoryTag: named(deleteTag),
  registry_list_repositoryManifests: named(listManifests),
  registry_delete_repositoryManifest: named(deleteManifest),
  registry_run_garbageCollection: named(runGc),
  registry_get_garbageCollection: named(getActiveGc),
  registry_list_garbageCollections: named(listGcs),
  registry_update_garbageCollection: named(updateGc),

  // DOKS
  kubernetes_list_clusters: listClusters,
  kubernetes_get_cluster: getCluster,
  kubernetes_get_credentials: getCredentials,
  kubernetes_add_registry: addSoleRegistry,
  kubernetes_remove_registry: removeSoleRegistry,
  kubernetes_add_registries: addRegistries,
  kubernetes_remove_registries: removeRegistries,

  regions_list: listRegions,

  // App Platform
  apps_list: listApps,
  apps_get: getApp,
  apps_list_deployments: listDeployments,
  apps_get_deployment: getDeployment,
};
