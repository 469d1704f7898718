import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ACCOUNT,
  ANNOTATION_REGISTRY_NAME,
} from '@backstage-docr/plugin-docr-common';

/**
 * A registry as the docr API knows it: registry names are unique per DigitalOcean account only,
 * so the account goes with the name (the docr backend's default account when absent).
 *
 * @public
 */
export interface DocrRegistryRef {
  name: string;
  account?: string;
}

/**
 * The registry a catalog entity's annotations name (`digitalocean.com/registry-name` and
 * `digitalocean.com/account`); its name is empty when the entity has none.
 *
 * @public
 */
export function registryRefOf(entity: Entity): DocrRegistryRef {
  const annotations = entity.metadata.annotations ?? {};
  return {
    name: annotations[ANNOTATION_REGISTRY_NAME] ?? '',
    account: annotations[ANNOTATION_ACCOUNT],
  };
}
