import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { ClusterRegistriesCard } from './ClusterRegistriesCard';
import {
  catalogEntities,
  fakeCatalog,
  render,
  resource,
} from './__testUtils__/cards';

describe('ClusterRegistriesCard', () => {
  const cluster = (relations: Entity['relations']): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'doks-prod-ams3' },
    spec: { type: 'kubernetes-cluster' },
    relations,
  });

  it('lists the registries the cluster can pull from', async () => {
    await render(<ClusterRegistriesCard />, {
      entity: cluster([
        { type: 'dependsOn', targetRef: 'resource:default/docr-acme-prod' },
      ]),
    });
    expect(await screen.findByText('docr-acme-prod')).toBeInTheDocument();
  });

  it('lists the container registries it depends on by their type, not their name', async () => {
    await render(<ClusterRegistriesCard />, {
      entity: cluster(
        ['docr-acme-prod', 'legacy-registry', 'docr-cache-db'].map(name => ({
          type: 'dependsOn',
          targetRef: `resource:default/${name}`,
        })),
      ),
      catalog: fakeCatalog([
        ...catalogEntities(),
        resource('legacy-registry', 'container-registry'),
        resource('docr-cache-db', 'database'),
      ]),
    });
    expect(await screen.findByText('docr-acme-prod')).toBeInTheDocument();
    expect(screen.getByText('legacy-registry')).toBeInTheDocument();
    expect(screen.queryByText('docr-cache-db')).not.toBeInTheDocument();
  });

  it('says when the cluster has no registry', async () => {
    await render(<ClusterRegistriesCard />, { entity: cluster([]) });
    expect(
      await screen.findByText(/not integrated with any registry/),
    ).toBeInTheDocument();
  });
});
