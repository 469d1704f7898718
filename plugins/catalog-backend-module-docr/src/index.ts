/**
 * Catalog module emitting DigitalOcean Container Registries and DOKS clusters as Resources.
 *
 * @packageDocumentation
 */

export { catalogModuleDigitalOceanContainerRegistry as default } from './module';
export {
  DigitalOceanEntityProvider,
  type RefreshResult,
} from './DigitalOceanEntityProvider';
export {
  readProviderConfigs,
  type DigitalOceanProviderConfig,
} from './providerConfig';
export {
  registryEntity,
  clusterEntity,
  registryEntityRef,
  type EntityContext,
} from './entities';
export {
  subscriptionEntity,
  subscriptionEntityRef,
} from './subscriptionEntity';
