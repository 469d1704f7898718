import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  Permission,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  DEFAULT_ACCOUNT_ID,
  accountNamespace,
  clusterEntityName,
  registryEntityName,
  subscriptionEntityName,
} from './annotations';

/**
 * The docr permissions that concern one registry are resource permissions on the registry's
 * catalog entity (`resource:default/docr-<registry>`), so a policy can use the catalog's
 * conditional rules (e.g. `isEntityOwner`) to say who may act on which registry. Those that
 * concern a whole account (creating registries in it, its billed tier) are resource permissions
 * on the account's subscription entity, and integrating a DOKS cluster one on the cluster's.
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
 * Create a registry in a DigitalOcean account: a resource permission on the account's
 * subscription entity (`subscriptionEntityRef`), so a policy decides per account (the shipped
 * policy: the subscription's owners). Checked by the scaffolder before it creates anything, by the
 * name check, and by the docr backend when a user records a registry it is creating (which lets
 * that user, and no one else, set the registry's first policy).
 *
 * @public
 */
export const docrRegistryCreatePermission = createPermission({
  name: 'docr.registry.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Change the account's billed registry subscription (raise its tier, or start one): a resource
 * permission on the account's subscription entity.
 *
 * @public
 */
export const docrSubscriptionUpdatePermission = createPermission({
  name: 'docr.subscription.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Give a DOKS cluster pull access to a registry (or take it away): a resource permission on the
 * cluster's catalog entity (`clusterEntityRef`).
 *
 * @public
 */
export const docrClusterIntegratePermission = createPermission({
  name: 'docr.cluster.integrate',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
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
  docrSubscriptionUpdatePermission,
  docrClusterIntegratePermission,
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

/**
 * The catalog entity of an account's registry subscription, which the account-wide permissions
 * (`docr.registry.create`, `docr.subscription.update`) are checked against.
 *
 * @public
 */
export function subscriptionEntityRef(
  accountId: string = DEFAULT_ACCOUNT_ID,
): string {
  return `resource:${accountNamespace(accountId)}/${subscriptionEntityName(
    accountId,
  )}`;
}

/**
 * The catalog entity of a DOKS cluster, which `docr.cluster.integrate` is checked against.
 *
 * @public
 */
export function clusterEntityRef(
  clusterName: string,
  accountId: string = DEFAULT_ACCOUNT_ID,
): string {
  return `resource:${accountNamespace(accountId)}/${clusterEntityName(
    clusterName,
  )}`;
}
