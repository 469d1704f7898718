import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
} from '@backstage/catalog-model';
import { catalogConditions } from '@backstage/plugin-catalog-backend/alpha';
import type {
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  accountNamespace,
  digitalOceanProviderLocation,
} from '@backstage-docr/plugin-docr-common';

type CatalogCriteria = PermissionCriteria<
  PermissionCondition<'catalog-entity'>
>;

/**
 * The entity is one the DigitalOcean catalog provider of one of the accounts emitted: in the
 * account's namespace, with the provider's location in both location annotations. The catalog
 * sets those annotations itself on entities read from a registered location, so a look-alike a
 * user registers (`resource:default/docr-<name>` owned by their group) never matches.
 */
export function managedByDigitalOceanProvider(
  accounts: string[],
): CatalogCriteria {
  const [first, ...more] = accounts.map((account): CatalogCriteria => ({
    allOf: [
      catalogConditions.hasMetadata({
        key: 'namespace',
        value: accountNamespace(account),
      }),
      catalogConditions.hasAnnotation({
        annotation: ANNOTATION_LOCATION,
        value: digitalOceanProviderLocation(account),
      }),
      catalogConditions.hasAnnotation({
        annotation: ANNOTATION_ORIGIN_LOCATION,
        value: digitalOceanProviderLocation(account),
      }),
    ],
  }));
  if (!first) throw new Error('No DigitalOcean provider account to match');
  return { anyOf: [first, ...more] };
}

/** The user, or a group the user is a member of, owns the provider's entity. */
export function ownedProviderEntity(
  user: PolicyQueryUser,
  accounts: string[],
): CatalogCriteria {
  return {
    allOf: [
      catalogConditions.isEntityOwner({
        claims: user.info.ownershipEntityRefs,
      }),
      managedByDigitalOceanProvider(accounts),
    ],
  };
}
