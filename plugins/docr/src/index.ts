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
} from './plugin';
export { isContainerRegistry, isKubernetesCluster } from './filters';
export { docrApiRef, DocrClient, type DocrApi } from './api';
