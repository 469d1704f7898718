import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  assessMaturity,
  maturityFactsOf,
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
    const facts = maturityFactsOf({
      annotations,
      registryAnnotations: registries.items.map(e => e.metadata.annotations),
      policy,
      runs: runs.items,
      savings,
    });
    return assessMaturity(facts);
  }, [api, catalog, registry.name, registry.account]);
}
