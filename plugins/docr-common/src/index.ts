/**
 * Shared model for the DigitalOcean Container Registry plugins.
 *
 * @packageDocumentation
 */

export * from './registryName';
export * from './tiers';
export * from './gcPolicy';
export * from './gcWindows';
export * from './gcStatus';
export * from './annotations';
export * from './permissions';
export type * from './rest';
export * from './restRepositories';
