import fs from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import yaml from 'js-yaml';

/**
 * Absolute path of the bundled copy of DigitalOcean's OpenAPI document.
 *
 * @public
 */
export const openApiSpecPath = resolvePackagePath(
  '@backstage-docr/digitalocean-openapi',
  'spec/docr-openapi.yaml',
);

type Operation = {
  parameters?: Array<{ in?: string; $ref?: string }>;
  requestBody?: unknown;
};
type Spec = { paths: Record<string, Record<string, Operation>> };

let cached: Spec | undefined;

/**
 * Mends the spec's known gaps the way the real API behaves (see the shared spec's README), using
 * the spec's own definitions from the deprecated `/v2/registry` variants:
 * - `POST /v2/registries/{name}/garbage-collection` takes `{"type": ...}`;
 * - `GET /v2/registries/{name}/docker-credentials` takes `read_write` and `expiry_seconds`.
 * `PatchedPaths` is the same mend at the type level.
 */
function mendKnownGaps(spec: Spec): Spec {
  const gcRun =
    spec.paths['/v2/registries/{registry_name}/garbage-collection'].post;
  gcRun.requestBody ??=
    spec.paths[
      '/v2/registry/{registry_name}/garbage-collection'
    ].post.requestBody;
  const credentials =
    spec.paths['/v2/registries/{registry_name}/docker-credentials'].get;
  const legacyQuery = (
    spec.paths['/v2/registry/docker-credentials'].get.parameters ?? []
  ).filter(
    p =>
      p.$ref?.includes('registry_read_write') ||
      p.$ref?.includes('registry_expiry_seconds'),
  );
  credentials.parameters = [...(credentials.parameters ?? []), ...legacyQuery];
  return spec;
}

/**
 * The parsed OpenAPI document. Callers get a fresh copy, because validators such as
 * openapi-backend dereference and mutate the object they are handed.
 *
 * @public
 */
export function loadOpenApiSpec(
  options: { mendKnownGaps?: boolean } = {},
): Record<string, unknown> {
  cached ??= yaml.load(fs.readFileSync(openApiSpecPath, 'utf8')) as Spec;
  const copy = structuredClone(cached);
  return (options.mendKnownGaps
    ? mendKnownGaps(copy)
    : copy) as unknown as Record<string, unknown>;
}
