/**
 * Shared model for the DigitalOcean Container Registry plugins.
 *
 * @packageDocumentation
 */

export * from './registryName';
export * from './tiers';
export * from './gcPolicy';
export {
  MAX_RETENTION_PATTERNS,
  MAX_RETENTION_RULES,
  retentionRuleSchema,
  retentionSchema,
  type Retention,
  type RetentionInput,
  type RetentionRule,
} from './retention';
export * from './retentionSelection';
export * from './gcWindows';
export * from './gcStatus';
export * from './annotations';
export * from './permissions';
export type * from './rest';
export type * from './restRetention';
export * from './restRepositories';
