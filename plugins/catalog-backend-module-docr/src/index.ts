/**
 * Catalog module emitting DigitalOcean Container Registries and DOKS clusters as Resources.
 *
 * @packageDocumentation
 */

export { catalogModuleDigitalOceanContainerRegistry as default } from './module';
