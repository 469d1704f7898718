import type { Config } from '@backstage/config';
import { createCatalogConditionalDecision } from '@backstage/plugin-catalog-backend/alpha';
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
import { ownedProviderEntity } from './conditions';
import {
  DocrOwnersPermissionPolicyOptions,
  DocrReadModel,
  readPolicyOptions,
} from './policyOptions';

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

const DENY: PolicyDecision = { result: AuthorizeResult.DENY };
const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };

/**
 * The owners of an entity the DigitalOcean catalog provider emitted (the user, or a group the
 * user is a member of) act on it: a registry's run its GC, change its GC policy and get push
 * credentials; an account's subscription's create registries in the account and raise its tier;
 * a DOKS cluster's integrate it with registries. An entity the provider did not emit (a
 * look-alike registered from a location, whoever owns it) grants nothing. Registries are read by
 * every signed-in user (read model `everyone`, the default) or only by the owners of their entity
 * and the configured readers (`owners`; reading an account's subscription entity lists the
 * account). Signed-in users refresh the DigitalOcean catalog provider. Any other permission,
 * docr's or not, is allowed, as Backstage's allow-all policy does: compose this policy into your
 * own to decide those.
 *
 * @public
 */
export class DocrOwnersPermissionPolicy implements PermissionPolicy {
  private readonly providerAccounts: string[];
  private readonly readModel: DocrReadModel;
  private readonly readers: Set<string>;

  /** Options from `catalog.providers.digitalocean` and `docr.permissions`. */
  static fromConfig(config: Config): DocrOwnersPermissionPolicy {
    return new DocrOwnersPermissionPolicy(readPolicyOptions(config));
  }

  constructor(options: DocrOwnersPermissionPolicyOptions) {
    this.providerAccounts = options.providerAccounts;
    this.readModel = options.readModel ?? 'everyone';
    this.readers = new Set(
      (options.readers ?? []).map(ref => ref.toLocaleLowerCase('en-US')),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (isPermission(permission, docrRegistryReadPermission)) {
      if (!user) return DENY;
      if (this.readModel === 'everyone' || this.isReader(user)) return ALLOW;
      return this.ownersOnly(permission, user);
    }
    if (
      isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY) &&
      ownerOnly.some(p => isPermission(permission, p))
    ) {
      if (!user) return DENY;
      return this.ownersOnly(permission, user);
    }
    if (isPermission(permission, docrCatalogRefreshPermission)) {
      return user ? ALLOW : DENY;
    }
    return ALLOW;
  }

  private isReader(user: PolicyQueryUser): boolean {
    return user.info.ownershipEntityRefs.some(ref =>
      this.readers.has(ref.toLocaleLowerCase('en-US')),
    );
  }

  private ownersOnly(
    permission: PolicyQuery['permission'],
    user: PolicyQueryUser,
  ): PolicyDecision {
    // No provider configured: no entity is the provider's, so none carries rights.
    if (
      !this.providerAccounts.length ||
      !isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
    )
      return DENY;
    return createCatalogConditionalDecision(
      permission,
      ownedProviderEntity(user, this.providerAccounts),
    );
  }
}
