import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  docrCatalogRefreshPermission,
  docrClusterIntegratePermission,
  docrGarbageCollectionRunPermission,
  docrPolicyUpdatePermission,
  docrRegistryCreatePermission,
  docrRegistryPushPermission,
  docrRegistryReadPermission,
  docrSubscriptionUpdatePermission,
} from '@backstage-docr/plugin-docr-common';

/**
 * Permissions that change what a catalog entity stands for: only the entity's owners may use
 * them. A registry's (GC, policy, push), an account's subscription's (creating registries in the
 * account, its billed tier), a DOKS cluster's (integrating it with a registry).
 */
const ownerOnly = [
  docrGarbageCollectionRunPermission,
  docrPolicyUpdatePermission,
  docrRegistryPushPermission,
  docrRegistryCreatePermission,
  docrSubscriptionUpdatePermission,
  docrClusterIntegratePermission,
];

/**
 * Everyone signed in reads registries; the owners of a registry's catalog entity (the user, or
 * a group the user is a member of) run its GC, change its GC policy and get push credentials;
 * the owners of an account's subscription entity create registries in the account and raise its
 * tier; the owners of a DOKS cluster's entity integrate it with registries; signed-in users
 * refresh the DigitalOcean catalog provider. Any other
 * permission, docr's or not, is allowed, as Backstage's allow-all policy does: compose this
 * policy into your own to decide those.
 *
 * @public
 */
export class DocrOwnersPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (isPermission(permission, docrRegistryReadPermission)) {
      return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    if (
      isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY) &&
      ownerOnly.some(p => isPermission(permission, p))
    ) {
      if (!user) return { result: AuthorizeResult.DENY };
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({
          claims: user.info.ownershipEntityRefs,
        }),
      );
    }
    if (isPermission(permission, docrCatalogRefreshPermission)) {
      return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
