/**
 * Scaffolder actions for DigitalOcean Container Registry.
 *
 * @packageDocumentation
 */

export { scaffolderModuleDigitalOceanRegistry as default } from './module';
export { createRegistryAction } from './actions/createRegistry';
export { integrateDoksAction } from './actions/integrateDoks';
export { dockerConfigAction } from './actions/dockerConfig';
export { TOKEN_SECRET } from './services/DigitalOceanClients';
