import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

/** Absolute path of the bundled copy of DigitalOcean's OpenAPI document. */
export const openApiSpecPath = path.resolve(__dirname, '..', 'spec', 'docr-openapi.yaml');

let cached: Record<string, unknown> | undefined;

/**
 * The parsed OpenAPI document. Callers get a deep copy, because validators such as
 * openapi-backend dereference and mutate the object they are handed.
 */
export function loadOpenApiSpec(): Record<string, unknown> {
  if (!cached) {
    cached = yaml.load(fs.readFileSync(openApiSpecPath, 'utf8')) as Record<string, unknown>;
  }
  return structuredClone(cached);
}
