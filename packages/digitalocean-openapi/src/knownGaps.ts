import type { operations, paths } from './generated/docr-openapi';

/**
 * The spec's paths with its known gaps mended from its own definitions (see the shared spec's
 * README): the real API takes a GC `type` body on `/v2/registries/{name}/garbage-collection` and
 * the `read_write`/`expiry_seconds` query on `/v2/registries/{name}/docker-credentials`, exactly
 * as the deprecated `/v2/registry` variants declare them.
 */
type GcPath = '/v2/registries/{registry_name}/garbage-collection';
type CredentialsPath = '/v2/registries/{registry_name}/docker-credentials';

export type PatchedPaths = Omit<paths, GcPath | CredentialsPath> & {
  [P in GcPath]: Omit<paths[P], 'post'> & {
    post: Omit<
      operations['registries_run_garbageCollection'],
      'requestBody'
    > & {
      requestBody?: operations['registry_run_garbageCollection']['requestBody'];
    };
  };
} & {
  [P in CredentialsPath]: Omit<paths[P], 'get'> & {
    get: Omit<operations['registries_get_dockerCredentials'], 'parameters'> & {
      parameters: Omit<
        operations['registries_get_dockerCredentials']['parameters'],
        'query'
      > & {
        query?: operations['registry_get_dockerCredentials']['parameters']['query'];
      };
    };
  };
};
