import { screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { RegistryCard } from './RegistryCard';
import {
  GIB,
  catalogEntities,
  fakeCatalog,
  registryEntity,
  render,
} from './__testUtils__/cards';

const app = (name: string, dataCenters: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: `doapp-${name}`,
    title: name,
    annotations: { 'digitalocean.com/app-data-centers': dataCenters },
  },
  spec: { type: 'digitalocean-app', owner: 'group:default/platform' },
});

function registryWithApps(): Entity {
  const registry = registryEntity(4 * GIB);
  registry.relations = [
    ...registry.relations!,
    { type: 'dependencyOf', targetRef: 'resource:default/doapp-shop-web' },
    { type: 'dependencyOf', targetRef: 'resource:default/doapp-shop-api' },
  ];
  return registry;
}

describe('the App Platform apps on a registry’s card', () => {
  it('lists the apps that deploy from the registry beside its clusters, and warns of those in another region', async () => {
    await render(<RegistryCard />, {
      entity: registryWithApps(),
      catalog: fakeCatalog([
        ...catalogEntities(),
        app('shop-web', 'ams3'),
        app('shop-api', 'fra1'),
      ]),
    });
    expect(
      await screen.findByRole('link', { name: 'shop-web' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'shop-api' })).toBeInTheDocument();
    expect(screen.getByText('doks-prod-ams3')).toBeInTheDocument();
    const warning = screen.getByTestId('docr-cross-region');
    expect(warning).toHaveTextContent(
      'shop-api runs in fra1, the registry in ams3: every pull crosses regions',
    );
    expect(warning).not.toHaveTextContent('shop-web');
  });

  it('says when no app deploys from the registry', async () => {
    await render(<RegistryCard />);
    expect(
      await screen.findByText('No App Platform app deploys from this registry'),
    ).toBeInTheDocument();
  });
});
