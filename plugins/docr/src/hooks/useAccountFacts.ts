import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_AVAILABLE_REGIONS,
  ANNOTATION_REGISTRY_COUNT,
  ANNOTATION_REGISTRY_LIMIT,
  ANNOTATION_SUBSCRIPTION_TIER,
  accountNamespace,
  subscriptionEntityName,
} from '@backstage-docr/plugin-docr-common';

/** What the form needs to know of a DigitalOcean account, from its subscription entity. */
export interface AccountFacts {
  tier?: string;
  registryCount?: number;
  registryLimit?: number;
  regions: string[];
}

const numberOrUndefined = (value: string | undefined) =>
  value === undefined ? undefined : Number(value);

/**
 * The account's facts as the catalog has them (the provider re-reads DigitalOcean on its
 * schedule): the form asks the catalog, not DigitalOcean, as the user fills it in.
 */
export function useAccountFacts(account = 'default') {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async (): Promise<AccountFacts | undefined> => {
    const entity = await catalogApi.getEntityByRef(
      `resource:${accountNamespace(account)}/${subscriptionEntityName(account)}`,
    );
    if (!entity) return undefined;
    const annotations = entity.metadata.annotations ?? {};
    return {
      tier: annotations[ANNOTATION_SUBSCRIPTION_TIER],
      registryCount: numberOrUndefined(annotations[ANNOTATION_REGISTRY_COUNT]),
      registryLimit: numberOrUndefined(annotations[ANNOTATION_REGISTRY_LIMIT]),
      regions: (annotations[ANNOTATION_AVAILABLE_REGIONS] ?? '')
        .split(',')
        .filter(Boolean),
    };
  }, [catalogApi, account]);
}
