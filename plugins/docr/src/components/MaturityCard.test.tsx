import { screen, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/plugin-catalog-react';
import { MaturityCard } from './MaturityCard';
import {
  GIB,
  fakeApi,
  registryEntity,
  render,
  run,
} from './__testUtils__/cards';

const registryIn = (name: string, region: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: `docr-${name}`,
    annotations: {
      'digitalocean.com/registry-name': name,
      'digitalocean.com/region': region,
    },
  },
  spec: { type: 'container-registry' },
});

/** The demo account's registries as the catalog lists them. */
const catalog = {
  getEntities: async () => ({
    items: [
      registryIn('acme-dev', 'fra1'),
      registryIn('acme-staging', 'fra1'),
      registryIn('acme-prod', 'ams3'),
    ],
  }),
} as unknown as CatalogApi;

const policy = (retention?: object) => ({
  policy: {
    enabled: true,
    type: 'untagged manifests and unreferenced blobs' as const,
    windows: [
      {
        days: ['sat' as const],
        start: '22:00',
        duration: 'PT3H',
        timezone: 'UTC',
      },
    ],
    cancelAtWindowEnd: true,
    ...(retention ? { retention } : {}),
  },
  source: 'config' as const,
});

const savings = {
  tier: {
    slug: 'professional',
    name: 'Professional',
    includedStorageBytes: 100 * GIB,
    storageOveragePriceInCents: 2,
    allowStorageOverage: true,
  },
  trend: {
    storageBytes: 2 * GIB,
    growthBytesPerDay: null,
    accountStorageBytes: 3 * GIB,
    includedStorageReachedOn: null,
    includedStorageReached: false,
  },
};

async function renderFor(region: string, retention?: object, runs = 1) {
  const entity = registryEntity(2 * GIB, {
    'digitalocean.com/subscription-tier': 'professional',
    'digitalocean.com/region': region,
  });
  await render(<MaturityCard />, {
    entity,
    catalog,
    api: fakeApi({
      getPolicy: jest.fn(async () => policy(retention) as any),
      listRuns: jest.fn(async () => ({
        items: Array.from({ length: runs }, (_, i) => run({ id: i + 1 })),
        totalCount: runs,
        limit: 100,
        offset: 0,
      })),
      getSavings: jest.fn(async () => savings as any),
    }),
  });
}

describe('the maturity card', () => {
  it('shows a production registry at level 3 with every check, and the CI credentials to confirm', async () => {
    await renderFor('ams3', { rules: [{ keepNewest: 5 }] });
    expect(
      await screen.findByText('Maturity: level 3, production'),
    ).toBeInTheDocument();
    const checks = within(screen.getByTestId('maturity-checks'));
    expect(checks.getByText('A second region (level 3)')).toBeInTheDocument();
    expect(
      checks.getByText('The account also has registries in fra1.'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('maturity-next-steps')).toHaveTextContent(
      'Confirm CI pulls with read-only, expiring credentials',
    );
  });

  it('shows a registry without retention rules at level 2, with the rules as the next step', async () => {
    await renderFor('fra1');
    expect(
      await screen.findByText('Maturity: level 2, non-production'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('maturity-next-steps')).toHaveTextContent(
      'Add retention rules',
    );
  });

  it('shows a registry never collected at level 1', async () => {
    await renderFor('fra1', undefined, 0);
    expect(
      await screen.findByText('Maturity: level 1, proof of concept'),
    ).toBeInTheDocument();
  });
});
