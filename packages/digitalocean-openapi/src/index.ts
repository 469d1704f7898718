/**
 * DigitalOcean's OpenAPI spec for the Container Registry and DOKS registry integration, and the
 * TypeScript types generated from it.
 *
 * @packageDocumentation
 */

export type {
  paths,
  components,
  operations,
  WithRequired,
} from './generated/docr-openapi';
export type * from './schemas';
export type { PatchedPaths } from './knownGaps';
export { openApiSpecPath, loadOpenApiSpec } from './spec';
