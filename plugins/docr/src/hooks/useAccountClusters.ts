import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_ACCOUNT,
  RESOURCE_TYPE_KUBERNETES_CLUSTER,
} from '@backstage-docr/plugin-docr-common';

/** The DOKS clusters of a configured DigitalOcean account, as the catalog has them. */
export function useAccountClusters(account: string) {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'resource',
        'spec.type': RESOURCE_TYPE_KUBERNETES_CLUSTER,
        [`metadata.annotations.${ANNOTATION_ACCOUNT}`]: account,
      },
    });
    return items;
  }, [catalogApi, account]);
}
