/**
 * The docr backend plugin: garbage collection of DigitalOcean Container Registries inside
 * configured windows.
 *
 * @packageDocumentation
 */

export { docrPlugin as default } from './plugin';
