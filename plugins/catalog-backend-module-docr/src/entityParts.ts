import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
} from '@backstage/catalog-model';
import { digitalOceanProviderLocation } from '@backstage-docr/plugin-docr-common';

/** What every entity of one provider shares: the account it reads and the entities' owner. */
export interface EntityContext {
  account: string;
  owner: string;
  lifecycle: string;
  system?: string;
}

export const CONSOLE_URL = 'https://cloud.digitalocean.com';

/** The provider's location pair: `digitalocean:<account>`. */
export function managedBy(account: string) {
  const location = digitalOceanProviderLocation(account);
  return {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
  };
}

export function spec(context: EntityContext, type: string) {
  return {
    type,
    owner: context.owner,
    lifecycle: context.lifecycle,
    ...(context.system ? { system: context.system } : {}),
  };
}
