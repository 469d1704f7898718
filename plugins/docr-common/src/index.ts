/**
 * Shared model for the DigitalOcean Container Registry plugins.
 *
 * @packageDocumentation
 */

export * from './registryName';
export * from './tiers';
export * from './gcPolicy';
export {
  DEFAULT_PREVIOUS_RELEASES,
  MAX_PREVIOUS_RELEASES,
  MAX_RETENTION_PATTERNS,
  MAX_RETENTION_RULES,
  retentionRuleSchema,
  retentionSchema,
  ruleAppliesTo,
} from './retention';
export * from './retentionSelection';
export * from './gcWindows';
export * from './gcStatus';
export * from './maturity';
export * from './annotations';
export * from './appPlatform';
export * from './permissions';
// The REST API's types, generated from the docr backend's OpenAPI spec (its client: `./client`).
export * from './schema/openapi/generated/models';
export * from './restRepositories';
