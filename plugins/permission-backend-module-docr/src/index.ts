/**
 * A permission policy for DigitalOcean Container Registries in Backstage: everyone signed in
 * reads, the owners of a registry's catalog entity act on it.
 *
 * @packageDocumentation
 */

export { DocrOwnersPermissionPolicy } from './DocrOwnersPermissionPolicy';
export { permissionModuleDocrOwnersPolicy as default } from './module';
