import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_ACCOUNT,
  ANNOTATION_REGION,
  ANNOTATION_SUBSCRIPTION_TIER,
  assessMaturity,
  MaturityFacts,
  RUN_STATUS,
} from '@backstage-docr/plugin-docr-common';
import { docrApiRef, registryRefOf } from '../api';

/** Runs counted for "cleaned up": the newest page is enough to find one that succeeded. */
const RUNS_READ = 100;

/**
 * The registry's maturity: its tier and region from the catalog with the regions of the
 * account's other registries, its policy, runs and the account's storage from the docr API.
 */
export function useMaturity(entity: Entity) {
  const api = useApi(docrApiRef);
  const catalog = useApi(catalogApiRef);
  const registry = registryRefOf(entity);
  const annotations = entity.metadata.annotations ?? {};
  return useAsyncRetry(async () => {
    const [policy, runs, savings, registries] = await Promise.all([
      api.getPolicy(registry),
      api.listRuns(registry, { limit: RUNS_READ, offset: 0 }),
      api.getSavings(
        { registry: registry.name, account: registry.account },
        { months: 1 },
      ),
      catalog.getEntities({
        filter: { kind: 'Resource', 'spec.type': 'container-registry' },
        fields: ['metadata.annotations'],
      }),
    ]);
    const sameAccount = registries.items.filter(
      e => e.metadata.annotations?.[ANNOTATION_ACCOUNT] === registry.account,
    );
    const facts: MaturityFacts = {
      tierSlug: savings.tier?.slug ?? annotations[ANNOTATION_SUBSCRIPTION_TIER],
      policy: policy.policy,
      succeededRuns: runs.items.filter(r => r.status === RUN_STATUS.succeeded)
        .length,
      storage:
        savings.tier && savings.trend.accountStorageBytes !== null
          ? {
              accountBytes: savings.trend.accountStorageBytes,
              includedBytes: savings.tier.includedStorageBytes,
              includedReachedOn: savings.trend.includedStorageReachedOn,
            }
          : undefined,
      region: annotations[ANNOTATION_REGION],
      accountRegions: sameAccount.flatMap(e => {
        const region = e.metadata.annotations?.[ANNOTATION_REGION];
        return region ? [region] : [];
      }),
    };
    return assessMaturity(facts);
  }, [api, catalog, registry.name, registry.account]);
}
