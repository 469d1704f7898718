/**
 * Scaffolder actions for DigitalOcean Container Registry.
 *
 * @packageDocumentation
 */

export { scaffolderModuleDigitalOceanRegistry as default } from './module';
export { TOKEN_SECRET } from './services/DigitalOceanClients';
