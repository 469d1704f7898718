import type { operations, paths } from './generated/docr-openapi';

/**
 * The spec's paths with its known gaps mended from its own definitions (see the shared spec's
 * README): the real API takes a GC `type` body on `/v2/registries/{name}/garbage-collection` and
 * the `read_write`/`expiry_seconds` query on `/v2/registries/{name}/docker-credentials`, exactly
 * as the deprecated `/v2/registry` variants declare them.
 *
 * @public
 */
export type PatchedPaths = Omit<
  paths,
  | '/v2/registries/{registry_name}/garbage-collection'
  | '/v2/registries/{registry_name}/docker-credentials'
> & {
  '/v2/registries/{registry_name}/garbage-collection': Omit<
    paths['/v2/registries/{registry_name}/garbage-collection'],
    'post'
  > & {
    post: Omit<
      operations['registries_run_garbageCollection'],
      'requestBody'
    > & {
      requestBody?: operations['registry_run_garbageCollection']['requestBody'];
    };
  };
} & {
  '/v2/registries/{registry_name}/docker-credentials': Omit<
    paths['/v2/registries/{registry_name}/docker-credentials'],
    'get'
  > & {
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
