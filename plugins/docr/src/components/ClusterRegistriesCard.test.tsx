import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { ClusterRegistriesCard } from './ClusterRegistriesCard';
import { render } from './__testUtils__/cards';

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
    expect(screen.getByText('docr-acme-prod')).toBeInTheDocument();
  });

  it('says when the cluster has no registry', async () => {
    await render(<ClusterRegistriesCard />, { entity: cluster([]) });
    expect(
      screen.getByText(/not integrated with any registry/),
    ).toBeInTheDocument();
  });
});
