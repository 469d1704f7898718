import { screen, waitFor, within } from '@testing-library/react';
import { RegistryCard, storageLevel } from './RegistryCard';
import { STORAGE_REFRESH_MS } from '../hooks/useRegistryDetail';
import {
  GIB,
  catalogEntities,
  fakeApi,
  fakeCatalog,
  registryEntity,
  render,
  resource,
  summary,
  withStorage,
} from './__testUtils__/cards';

describe('RegistryCard', () => {
  it('shows tier, region, server URL, login line, storage, cost and DOKS clusters', async () => {
    await render(<RegistryCard />);
    expect(screen.getByText('basic')).toBeInTheDocument();
    expect(screen.getByText('ams3')).toBeInTheDocument();
    expect(
      screen.getAllByText('registry.digitalocean.com/acme-prod').length,
    ).toBeGreaterThan(0);
    expect(screen.getByText('doctl registry login')).toBeInTheDocument();
    expect(screen.getByLabelText('Copy server URL')).toBeInTheDocument();
    expect(await screen.findByTestId('storage-label')).toHaveTextContent(
      '4.0 GiB',
    );
    expect(screen.getByTestId('account-storage-label')).toHaveTextContent(
      'Account: 4.0 GiB of 5.0 GiB included (80 %), the account has this registry only',
    );
    expect(screen.getByTestId('cost')).toHaveTextContent(
      '≈ $5.00 for the account (tier $5.00)',
    );
    expect(await screen.findByText('doks-prod-ams3')).toBeInTheDocument();
  });

  it('says when its entity is not the DigitalOcean provider’s, which grants no rights', async () => {
    const registered = 'url:https://github.com/team-a/infra/catalog-info.yaml';
    await render(<RegistryCard />, {
      entity: registryEntity(4 * GIB, {
        'backstage.io/managed-by-location': registered,
      }),
    });
    expect(
      screen.getByText(/This entity is not the DigitalOcean provider's/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(content =>
        content.includes(`It comes from ${registered}`),
      ),
    ).toBeInTheDocument();
  });

  it('says nothing of the sort on the provider’s entity', async () => {
    await render(<RegistryCard />, {
      entity: registryEntity(4 * GIB, {
        'backstage.io/managed-by-location': 'digitalocean:default',
      }),
    });
    expect(await screen.findByTestId('storage-label')).toBeInTheDocument();
    expect(
      screen.queryByText(/This entity is not the DigitalOcean provider's/),
    ).not.toBeInTheDocument();
  });

  it('applies the subscription to the account’s total, once: three registries are one subscription, not three', async () => {
    // Before: each registry's card showed its own storage against the limit and the full tier
    // price, so three registries read as three subscriptions.
    await render(<RegistryCard />, { api: withStorage(1 * GIB, 6 * GIB, 3) });
    expect(await screen.findByTestId('storage-label')).toHaveTextContent(
      '1.0 GiB',
    );
    expect(screen.getByTestId('account-storage-label')).toHaveTextContent(
      "Account: 6.0 GiB of 5.0 GiB included (120 %), shared by the account's 3 registries",
    );
    expect(screen.getByTestId('storage-bar')).toHaveAttribute(
      'data-level',
      'full',
    );
    expect(screen.getByTestId('cost')).toHaveTextContent(
      "≈ $5.02 for the account (tier $5.00 + 1.0 GiB over at $0.02), shared by the account's 3 registries",
    );
  });

  it('shows storage from the docr API, not the entity’s annotation, and follows it', async () => {
    // The annotation says 4 GiB (up to a catalog refresh old); the docr API knows the newer figure.
    const getRegistry = jest
      .fn()
      .mockResolvedValueOnce(summary({ storageBytes: 4 * GIB }))
      .mockResolvedValue(summary({ storageBytes: 1 * GIB }));
    jest.useFakeTimers({ advanceTimers: true });
    try {
      await render(<RegistryCard />, {
        entity: registryEntity(4 * GIB),
        api: fakeApi({ getRegistry }),
      });
      expect(await screen.findByTestId('storage-label')).toHaveTextContent(
        '4.0 GiB',
      );
      jest.advanceTimersByTime(STORAGE_REFRESH_MS);
      await waitFor(() =>
        expect(screen.getByTestId('storage-label')).toHaveTextContent(
          '1.0 GiB',
        ),
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('says when storage cannot be read, and still shows the registry', async () => {
    await render(<RegistryCard />, {
      api: fakeApi({
        getRegistry: jest.fn(async () => {
          throw new Error('docr backend unavailable');
        }),
      }),
    });
    expect(await screen.findByTestId('storage-error')).toHaveTextContent(
      'Storage unavailable: docr backend unavailable',
    );
    expect(screen.getByText('ams3')).toBeInTheDocument();
  });

  it.each([
    [3 * GIB, 'ok'],
    [4 * GIB, 'warning'],
    [5 * GIB, 'full'],
  ])(
    'colours the storage bar by the account’s use of the tier (%d bytes: %s)',
    async (bytes, level) => {
      await render(<RegistryCard />, { api: withStorage(bytes) });
      expect(await screen.findByTestId('storage-bar')).toHaveAttribute(
        'data-level',
        level,
      );
    },
  );

  it('adds overage at the tier’s price per GiB', async () => {
    await render(<RegistryCard />, { api: withStorage(15 * GIB) });
    expect(await screen.findByTestId('cost')).toHaveTextContent(
      '≈ $5.20 for the account (tier $5.00 + 10.0 GiB over at $0.20)',
    );
  });

  it('says what is missing on an entity without the registry annotation', async () => {
    const entity = registryEntity(0);
    delete entity.metadata.annotations!['digitalocean.com/registry-name'];
    await render(<RegistryCard />, { entity });
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/digitalocean.com\/registry-name/).length,
    ).toBeGreaterThan(0);
  });

  /** The card's row under `label`, once the catalog has answered. */
  const row = (label: string) => screen.getByText(label).parentElement!;

  it('shows as DOKS clusters the Kubernetes clusters that depend on it, by their type, not their name', async () => {
    const entity = registryEntity(4 * GIB);
    entity.relations = [
      'doks-prod-ams3',
      'edge-k8s',
      'doks-backup-bucket',
      'do-registry-subscription-default',
    ].map(name => ({
      type: 'dependencyOf',
      targetRef: `resource:default/${name}`,
    }));
    await render(<RegistryCard />, {
      entity,
      catalog: fakeCatalog([
        ...catalogEntities(),
        resource('edge-k8s', 'kubernetes-cluster'),
        resource('doks-backup-bucket', 'spaces-bucket'),
      ]),
    });
    const clusters = row('DOKS clusters');
    expect(
      await within(clusters).findByText('doks-prod-ams3'),
    ).toBeInTheDocument();
    expect(within(clusters).getByText('edge-k8s')).toBeInTheDocument();
    expect(
      within(clusters).queryByText('doks-backup-bucket'),
    ).not.toBeInTheDocument();
    expect(
      within(clusters).queryByText('do-registry-subscription-default'),
    ).not.toBeInTheDocument();
  });

  it('links the account’s subscription, and no other resource it depends on', async () => {
    const entity = registryEntity(4 * GIB);
    entity.relations = [
      'do-registry-subscription-default',
      'docr-shared-bucket',
    ].map(name => ({
      type: 'dependsOn',
      targetRef: `resource:default/${name}`,
    }));
    await render(<RegistryCard />, {
      entity,
      catalog: fakeCatalog([
        ...catalogEntities(),
        resource('docr-shared-bucket', 'spaces-bucket'),
      ]),
    });
    expect(
      await screen.findByText('do-registry-subscription-default'),
    ).toBeInTheDocument();
    expect(
      within(row('Subscription')).queryByText('docr-shared-bucket'),
    ).not.toBeInTheDocument();
  });

  it('says when no DOKS cluster pulls from it', async () => {
    const entity = registryEntity(4 * GIB);
    entity.relations = [];
    await render(<RegistryCard />, { entity });
    expect(
      await screen.findByText('No DOKS cluster pulls from this registry'),
    ).toBeInTheDocument();
  });

  it('says when the catalog cannot be read for the clusters', async () => {
    await render(<RegistryCard />, {
      catalog: fakeCatalog([], new Error('catalog down')),
    });
    expect(
      await screen.findByText(
        'Could not read the clusters from the catalog: catalog down',
      ),
    ).toBeInTheDocument();
  });

  it('thresholds', () => {
    expect([
      storageLevel(undefined),
      storageLevel(0.79),
      storageLevel(0.8),
      storageLevel(1.2),
    ]).toEqual(['ok', 'ok', 'warning', 'full']);
  });
});
