/**
 * A permission policy for DigitalOcean Container Registries in Backstage: the owners of an
 * entity the DigitalOcean catalog provider emitted act on it; everyone signed in reads, or only
 * the owners (read model `owners`).
 *
 * @packageDocumentation
 */

export { DocrOwnersPermissionPolicy } from './DocrOwnersPermissionPolicy';
export type {
  DocrOwnersPermissionPolicyOptions,
  DocrReadModel,
} from './policyOptions';
export { permissionModuleDocrOwnersPolicy as default } from './module';
