import type { Entity } from '@backstage/catalog-model';
import {
  RESOURCE_TYPE_APP_PLATFORM_APP,
  RESOURCE_TYPE_CONTAINER_REGISTRY,
  RESOURCE_TYPE_KUBERNETES_CLUSTER,
  RESOURCE_TYPE_REGISTRY_SUBSCRIPTION,
  ANNOTATION_CONTAINER_REPOSITORY,
} from '@backstage-docr/plugin-docr-common';

const isResourceOfType = (type: string) => (entity: Entity) =>
  entity.kind.toLowerCase() === 'resource' &&
  (entity.spec as { type?: string } | undefined)?.type === type;

/** @public */
export const isContainerRegistry = isResourceOfType(
  RESOURCE_TYPE_CONTAINER_REGISTRY,
);
/** @public */
export const isKubernetesCluster = isResourceOfType(
  RESOURCE_TYPE_KUBERNETES_CLUSTER,
);
/** @public */
export const isRegistrySubscription = isResourceOfType(
  RESOURCE_TYPE_REGISTRY_SUBSCRIPTION,
);
/** An App Platform app that deploys images from DOCR. @public */
export const isAppPlatformApp = isResourceOfType(
  RESOURCE_TYPE_APP_PLATFORM_APP,
);
/** An entity (a Component, usually) that names the repository its images go to. @public */
export const hasContainerRepository = (entity: Entity) =>
  Boolean(entity.metadata.annotations?.[ANNOTATION_CONTAINER_REPOSITORY]);
