import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
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
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  docrCatalogRefreshPermission,
  docrGarbageCollectionRunPermission,
  docrPolicyUpdatePermission,
  docrRegistryCreatePermission,
  docrRegistryPushPermission,
  docrRegistryReadPermission,
} from '@backstage-docr/plugin-docr-common';
import type { UserInfoService } from '@backstage/backend-plugin-api';

/** Permissions that change one registry: only the owners of its catalog entity may use them. */
const ownerOnly = [
  docrGarbageCollectionRunPermission,
  docrPolicyUpdatePermission,
  docrRegistryPushPermission,
];

/**
 * The portal's permission policy: everyone signed in reads; the owners of a registry's catalog
 * entity (the owning group's members) run its GC, change its policy and get push credentials;
 * signed-in users may create registries and refresh the DigitalOcean catalog provider. Anything
 * that is not a docr permission keeps Backstage's open default (allowed).
 */
export class DocrPortalPermissionPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (isPermission(permission, docrRegistryReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY) &&
      ownerOnly.some(p => isPermission(permission, p))
    ) {
      if (!user) return { result: AuthorizeResult.DENY };
      const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
        user.credentials,
      );
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }
    if (
      isPermission(permission, docrRegistryCreatePermission) ||
      isPermission(permission, docrCatalogRefreshPermission)
    ) {
      return { result: user ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link DocrPortalPermissionPolicy} as the permission backend's policy. */
export const docrPortalPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'docr-portal-policy',
  register(env) {
    env.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, userInfo }) {
        policy.setPolicy(new DocrPortalPermissionPolicy(userInfo));
      },
    });
  },
});
