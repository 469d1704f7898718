import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  Permission,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  DEFAULT_ACCOUNT_ID,
  accountNamespace,
  registryEntityName,
} from './annotations';

/**
 * The docr permissions that concern one registry are resource permissions on the registry's
 * catalog entity (`resource:default/docr-<registry>`), so a policy can use the catalog's
 * conditional rules (e.g. `isEntityOwner`) to say who may act on which registry.
 */

/**
 * Read a registry's figures, policy and GC history through `/api/docr`.
 *
 * @public
 */
export const docrRegistryReadPermission = createPermission({
  name: 'docr.registry.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Start a garbage collection now (or cancel one), outside the scheduled windows.
 *
 * @public
 */
export const docrGarbageCollectionRunPermission = createPermission({
  name: 'docr.garbage-collection.run',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Change a registry's garbage collection policy (and adopt an existing registry in a template).
 *
 * @public
 */
export const docrPolicyUpdatePermission = createPermission({
  name: 'docr.policy.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Get docker credentials that may push to the registry (read-only credentials need read).
 *
 * @public
 */
export const docrRegistryPushPermission = createPermission({
  name: 'docr.registry.push',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Create a registry from a template. A basic permission: the registry has no entity yet. It also
 * lets the creator set the first policy of a registry it has just created (see the docr backend).
 *
 * @public
 */
export const docrRegistryCreatePermission = createPermission({
  name: 'docr.registry.create',
  attributes: { action: 'create' },
});

/**
 * Ask the catalog to re-read DigitalOcean now (`POST /api/catalog/digitalocean/refresh`).
 *
 * @public
 */
export const docrCatalogRefreshPermission = createPermission({
  name: 'docr.catalog.refresh',
  attributes: { action: 'update' },
});

/**
 * The permissions the docr backend checks; the catalog module registers the refresh one.
 *
 * @public
 */
export const docrPermissions: Permission[] = [
  docrRegistryReadPermission,
  docrGarbageCollectionRunPermission,
  docrPolicyUpdatePermission,
  docrRegistryPushPermission,
  docrRegistryCreatePermission,
];

/**
 * The catalog entity a registry's resource permissions are checked against.
 *
 * @public
 */
export function registryEntityRef(
  registryName: string,
  accountId: string = DEFAULT_ACCOUNT_ID,
): string {
  return `resource:${accountNamespace(accountId)}/${registryEntityName(
    registryName,
  )}`;
}
