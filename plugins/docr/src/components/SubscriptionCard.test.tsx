import { screen, waitFor } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider, catalogApiRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { RegistryDetailView } from '@backstage-docr/plugin-docr-common';
import { DocrApi, docrApiRef } from '../api';
import { SubscriptionCard } from './SubscriptionCard';

const GIB = 1024 ** 3;

const registry = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: `docr-${name}`,
    annotations: { 'digitalocean.com/registry-name': name },
  },
  spec: { type: 'container-registry', owner: 'group:default/platform' },
});

const subscription: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'do-registry-subscription-default',
    annotations: {
      'digitalocean.com/account': 'default',
      'digitalocean.com/subscription-tier': 'basic',
      'digitalocean.com/registry-count': '2',
      'digitalocean.com/registry-limit': '1',
      'digitalocean.com/storage-usage-bytes': String(6 * GIB),
      'digitalocean.com/included-storage-bytes': String(5 * GIB),
      'digitalocean.com/tier-monthly-price-cents': '500',
      'digitalocean.com/storage-overage-price-cents': '2',
    },
  },
  spec: {
    type: 'container-registry-subscription',
    owner: 'group:default/platform',
  },
  relations: [
    { type: 'dependencyOf', targetRef: 'resource:default/docr-acme-dev' },
    { type: 'dependencyOf', targetRef: 'resource:default/docr-acme-prod' },
  ],
};

/** The catalog's answer for the subscription's relations: its two registries. */
const catalog = {
  getEntitiesByRefs: async ({ entityRefs }: { entityRefs: string[] }) => ({
    items: entityRefs.map(ref => registry(ref.split('/docr-')[1])),
  }),
};

async function render(getRegistry: DocrApi['getRegistry']) {
  const docrApi = { getRegistry } as unknown as DocrApi;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [docrApiRef, docrApi],
        [catalogApiRef, catalog],
      ]}
    >
      <EntityProvider entity={subscription}>
        <SubscriptionCard />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          require('@backstage/plugin-catalog-react').entityRouteRef,
      },
    },
  );
}

describe('SubscriptionCard', () => {
  it('shows the account’s live storage from the docr API (the registry cards’ figure), its registries, and the month’s cost once', async () => {
    const getRegistry = jest.fn(
      async () =>
        ({
          account: {
            registryCount: 2,
            storageBytes: 7 * GIB,
            sampledAt: '2026-11-29T08:00:00Z',
          },
        }) as RegistryDetailView,
    );
    await render(getRegistry);
    await waitFor(() =>
      expect(screen.getByTestId('subscription-storage')).toHaveTextContent(
        'Storage of all registries: 7.0 GiB of 5.0 GiB included (140 %)',
      ),
    );
    // One request for the account, not one per registry.
    expect(getRegistry).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('subscription-tier')).toHaveTextContent(
      'Tier: basic ($5.00 a month)',
    );
    expect(screen.getByTestId('subscription-registries')).toHaveTextContent(
      'Registries: 2 of 1 the tier allows',
    );
    // $5 + 2 GiB over at $0.02/GiB.
    expect(screen.getByTestId('subscription-cost')).toHaveTextContent(
      'This month: ≈ $5.04 (tier $5.00 + 2.0 GiB over at $0.04)',
    );
    expect(screen.getByText('docr-acme-dev')).toBeInTheDocument();
    expect(screen.getByText('docr-acme-prod')).toBeInTheDocument();
  });

  it('falls back to the catalog’s figures, and says how old they are, when the docr API cannot answer', async () => {
    await render(jest.fn(async () => Promise.reject(new Error('forbidden'))));
    await waitFor(() =>
      expect(screen.getByTestId('subscription-storage')).toHaveTextContent(
        'Storage of all registries: 6.0 GiB of 5.0 GiB included (120 %) (as of the last catalog refresh)',
      ),
    );
    expect(screen.getByTestId('subscription-cost')).toHaveTextContent(
      '≈ $5.02',
    );
  });
});
