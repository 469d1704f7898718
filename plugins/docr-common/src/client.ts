/**
 * The docr backend's REST client, generated from its OpenAPI spec (`DefaultApiClient`, its
 * request types), with the API's types it answers with. For the docr frontend plugin and for
 * code that calls the docr backend from elsewhere; most code needs only the types, which the
 * package's main entry point exports.
 *
 * @packageDocumentation
 */

export * from './schema/openapi/generated';
