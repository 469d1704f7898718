/**
 * Entity cards and tab for DigitalOcean Container Registries.
 *
 * @packageDocumentation
 */

export {
  docrPlugin,
  EntityDocrRegistryCard,
  EntityDocrGcCard,
  EntityDocrRegistryContent,
  EntityDocrRepositoriesContent,
  EntityDocrClusterRegistriesCard,
  EntityDocrAppPlatformAppCard,
  EntityDocrSubscriptionCard,
  EntityDocrImagesContent,
} from './plugin';
export {
  isContainerRegistry,
  isKubernetesCluster,
  isAppPlatformApp,
  isRegistrySubscription,
  hasContainerRepository,
} from './filters';
export {
  docrApiRef,
  DocrClient,
  registryRefOf,
  type DocrApi,
  type DocrRegistryRef,
  type RetentionPreviewPage,
  type SavingsQuery,
  type SavingsSubject,
} from './api';
export {
  DocrRegistryNameFieldExtension,
  DocrRegionFieldExtension,
  DocrDoksClustersFieldExtension,
  DocrTierFieldExtension,
} from './scaffolder/fieldExtensions';
